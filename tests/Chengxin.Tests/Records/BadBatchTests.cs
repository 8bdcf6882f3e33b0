using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Chengxin.Clients;
using Chengxin.Data;
using Chengxin.Organisations;
using Chengxin.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Chengxin.Tests.Records;

/// <summary>
/// Every file in BadBatches/ is a bad push with its expected answer. None may get a 500, and none may
/// store what it should not: the records of a case's organisation are exactly its accepted items.
/// </summary>
public abstract partial class BadBatchTests<TPlatform>(TPlatform fixture) : IClassFixture<TPlatform>
    where TPlatform : PlatformFixture
{
    private TestPlatform Platform => fixture.Platform;

    [Fact]
    public void TheCorpusHoldsAtLeastFiftyDistinctBadBatches() => Assert.True(BadBatchCorpus.Cases().Count >= 50);

    [Theory]
    [MemberData(nameof(BadBatchCorpus.Cases), MemberType = typeof(BadBatchCorpus))]
    public async Task ABadBatchGetsItsExpectedAnswerAndStoresNothingItShouldNot(string file)
    {
        using var spec = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(BadBatchCorpus.Folder, file)));
        var root = spec.RootElement;
        var kind = root.TryGetProperty("provider", out var p) ? p.GetString()! : "department";
        var organisation = await NewProviderAsync(kind);
        using var client = await Platform.SystemClientAsync(await Platform.AddClientAsync(organisation.Code, ApiScopes.RecordsPush), ApiScopes.RecordsPush);

        var body = root.TryGetProperty("raw", out var raw) ? raw.GetString()! : Body(root);
        var response = await client.PostAsync("/api/v1/records", new StringContent(Expand(body), Encoding.UTF8, "application/json"));

        var expect = root.GetProperty("expect");
        Assert.Equal(expect.GetProperty("status").GetInt32(), (int)response.StatusCode);
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        var accepted = 0;
        if (response.StatusCode == HttpStatusCode.BadRequest)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.False(string.IsNullOrEmpty(answer.GetProperty("detail").GetString() ?? answer.GetProperty("title").GetString()));
        }
        else
        {
            var results = answer.GetProperty("results").EnumerateArray().ToList();
            var expected = expect.GetProperty("results").EnumerateArray().ToList();
            Assert.Equal(expected.Count, results.Count);
            for (var i = 0; i < expected.Count; i++)
            {
                Assert.Equal(i, results[i].GetProperty("index").GetInt32());
                Assert.Equal(expected[i].GetProperty("status").GetString(), results[i].GetProperty("status").GetString());
                if (expected[i].TryGetProperty("codes", out var codes))
                {
                    var errors = results[i].GetProperty("errors").EnumerateArray().ToList();
                    var actual = errors.Select(e => e.GetProperty("code").GetString()).ToHashSet();
                    Assert.All(codes.EnumerateArray(), c => Assert.Contains(c.GetString(), actual));
                    Assert.All(errors, e => Assert.False(string.IsNullOrWhiteSpace(e.GetProperty("message").GetString())));
                    if (expected[i].TryGetProperty("fields", out var fields))
                    {
                        var named = errors.Select(e => e.GetProperty("field").GetString()).ToHashSet();
                        Assert.All(fields.EnumerateArray(), f => Assert.Contains(f.GetString(), named));
                    }
                }
            }
            accepted = results.Count(r => r.GetProperty("status").GetString() != "rejected");
            Assert.Equal(accepted, answer.GetProperty("accepted").GetInt32());
        }

        var (stored, prohibited) = await Platform.WithScopeAsync(async s =>
        {
            var db = s.GetRequiredService<ChengxinDb>();
            return (await db.Records.CountAsync(r => r.ProviderId == organisation.Id),
                    await db.RecordVersions.CountAsync(v => v.Fields.Contains("PROHIBITED-VALUE")));
        });
        Assert.Equal(accepted, stored);
        Assert.Equal(0, prohibited);
    }

    private static string Body(JsonElement root)
    {
        var body = root.GetProperty("body");
        if (!root.TryGetProperty("repeat", out var repeat))
        {
            return body.GetRawText();
        }
        var template = body.GetProperty("records")[0].GetRawText();
        return "{\"records\":[" + string.Join(",", Enumerable.Repeat(template, repeat.GetInt32())) + "]}";
    }

    private Task<OrganisationView> NewProviderAsync(string kind) =>
        Platform.AddOrganisationAsync("测试提供单位", kind, uses: false, "admin-penalty", "exam-cheating");

    /// <summary>Fills the case's placeholders: fresh source ids and identity numbers, and long generated strings.</summary>
    private static string Expand(string text)
    {
        var named = new Dictionary<string, string>();
        return Placeholder().Replace(text, m =>
        {
            var (kind, argument) = (m.Groups[1].Value, m.Groups[2].Success ? m.Groups[2].Value : null);
            switch (kind)
            {
                case "src" when argument is null:
                    return "src-" + Guid.NewGuid().ToString("N");
                case "src":
                    return Remember(named, "src:" + argument, () => "src-" + Guid.NewGuid().ToString("N"));
                case "id" when argument is null:
                    return TestCodes.NewResidentId();
                case "id" when argument.Length == 4:
                    return TestCodes.NewResidentId(new DateOnly(int.Parse(argument, CultureInfo.InvariantCulture), 1, 15));
                case "id":
                    return TestCodes.NewResidentId(DateOnly.ParseExact(argument, "yyyy-MM-dd", CultureInfo.InvariantCulture));
                case "repeat":
                    var parts = argument!.Split(':');
                    return string.Concat(Enumerable.Repeat(parts[0], int.Parse(parts[1], CultureInfo.InvariantCulture)));
                default:
                    throw new InvalidOperationException($"Unknown placeholder {m.Value}.");
            }
        });
    }

    private static string Remember(Dictionary<string, string> named, string key, Func<string> create) =>
        named.TryGetValue(key, out var value) ? value : named[key] = create();

    [GeneratedRegex(@"\{\{(src|id|repeat)(?::([^}]+))?\}\}")]
    private static partial Regex Placeholder();
}

public static class BadBatchCorpus
{
    public static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Records", "BadBatches");

    public static TheoryData<string> Cases() => [.. Directory.GetFiles(Folder, "*.json").Select(f => Path.GetFileName(f)).Order()];
}

public sealed class BadBatchesOnSqlite(SqlitePlatform fixture) : BadBatchTests<SqlitePlatform>(fixture);

public sealed class BadBatchesOnPostgres(PostgresPlatform fixture) : BadBatchTests<PostgresPlatform>(fixture);
