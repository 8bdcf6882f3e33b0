using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Chengxin.Archive;
using Chengxin.Clients;
using Chengxin.Exchange;
using Chengxin.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Chengxin.Tests.Security;

/// <summary>Records kept no longer than the law allows: deleted with their versions, audited, and receivers told.</summary>
public abstract class RecordPurgeTests(string provider)
{
    private static object PenaltyOn(string sourceId, string idNumber, DateOnly occurredOn, string severity = "general") => new
    {
        sourceId,
        catalogItem = "admin-penalty",
        subject = new { idType = "resident-id", idNumber, name = "钱七" },
        occurredOn = occurredOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        fields = new { decisionNo = "湘市监罚〔2020〕7号", authority = "湖南省市场监督管理局", domain = "food-drug", violation = "销售过期食品", legalProvision = "《食品安全法》", penaltyType = "fine", severity },
    };

    /// <summary>A department's system that pushes admin-penalty records.</summary>
    private static async Task<HttpClient> PusherAsync(TestPlatform platform)
    {
        var department = await platform.AddOrganisationAsync("市场监管", "admin-penalty");
        return await platform.SystemClientAsync(await platform.AddClientAsync(department.Code, ApiScopes.RecordsPush), ApiScopes.RecordsPush);
    }

    /// <summary>Purges as a node would whose retention has been shortened to five years (records are kept ten when pushed).</summary>
    private static async Task<int> PurgeAsync(TestPlatform platform)
    {
        await using var node = platform.Sibling(new Dictionary<string, string?> { ["Retention:RecordYears"] = "5" });
        await using var scope = node.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<RecordPurge>().PurgeAsync("system:test", CancellationToken.None);
    }

    [Fact]
    public async Task ARecordPastItsRetentionIsDeletedAuditedAndReceiversAreTold()
    {
        await using var platform = await TestPlatform.StartAsync(provider, settings: new Dictionary<string, string?> { ["Retention:RecordYears"] = "10" });
        using var pusher = await PusherAsync(platform);
        var city = await platform.AddOrganisationAsync("city-platform", "city-platform", true);
        Assert.Empty((await platform.WithScopeAsync(s => s.GetRequiredService<ReceiverService>().SubscribeAsync(city.Code, ["admin-penalty"], null, CancellationToken.None))).Problems);
        using var reader = await platform.SystemClientAsync(await platform.AddClientAsync(city.Code, ApiScopes.Feed), ApiScopes.Feed);
        var start = (await reader.GetFromJsonAsync<JsonElement>("/api/v1/feed")).GetProperty("next").GetInt64();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var person = TestCodes.NewResidentId();
        var response = await pusher.PostAsJsonAsync("/api/v1/records", new
        {
            records = new[]
            {
                PenaltyOn("old", person, today.AddYears(-6)),                  // display over in year 1, kept 5 years: due
                PenaltyOn("recent-hidden", person, today.AddYears(-4)),        // display over, still within 5 years: kept
                PenaltyOn("recent", person, today.AddDays(-30)),               // shown: kept
            },
        });
        response.EnsureSuccessStatusCode();
        var old = await SecurityFixtures.DbAsync(platform, db => db.Records.SingleAsync(r => r.SourceId == "old"));

        var purged = await PurgeAsync(platform);

        Assert.Equal(1, purged);
        Assert.Equal(["recent", "recent-hidden"], await SecurityFixtures.DbAsync(platform, db => db.Records.OrderBy(r => r.SourceId).Select(r => r.SourceId).ToListAsync()));
        Assert.Equal(0, await SecurityFixtures.DbAsync(platform, db => db.RecordVersions.CountAsync(v => v.RecordId == old.Id)));
        var changes = await SecurityFixtures.DbAsync(platform, db => db.RecordChanges.Where(c => c.RecordId == old.Id).ToListAsync());
        var tombstone = Assert.Single(changes);
        Assert.Equal(Chengxin.Data.RecordChangeKind.Purged, tombstone.Kind);
        Assert.Equal(Guid.Empty, tombstone.SubjectId);
        var entry = await SecurityFixtures.DbAsync(platform, db => db.AuditEntries.SingleAsync(e => e.Action == "retention.purge" && e.Target == "records"));
        Assert.Contains(old.Id.ToString(), entry.Detail, StringComparison.Ordinal);
        Assert.True((await platform.WithScopeAsync(s => s.GetRequiredService<Audit.AuditVerification>().VerifyAsync([], CancellationToken.None))).Intact);

        // The receiver never saw the deleted record's content again; it learns to delete its copy, and nothing about the person.
        var feed = await reader.GetFromJsonAsync<JsonElement>($"/api/v1/feed?after={start}&limit=500");
        var items = feed.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["created", "created", "purged"], items.Select(i => i.GetProperty("kind").GetString()));
        var purge = items[^1];
        Assert.Equal("old", purge.GetProperty("sourceId").GetString());
        Assert.Equal("purged", purge.GetProperty("status").GetString());
        Assert.False(purge.TryGetProperty("subject", out _));
        Assert.False(purge.TryGetProperty("fields", out _));
        Assert.False(purge.TryGetProperty("occurredOn", out _));

        // A second run finds nothing more.
        Assert.Equal(0, await PurgeAsync(platform));
    }

    [Fact]
    public async Task ARecordAlreadyPastItsRetentionIsNotCollected()
    {
        await using var platform = await TestPlatform.StartAsync(provider);
        using var pusher = await PusherAsync(platform);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);

        var response = await pusher.PostAsJsonAsync("/api/v1/records", new { records = new[] { PenaltyOn("too-old", TestCodes.NewResidentId(), today.AddYears(-6)) } });

        var result = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("results")[0];
        Assert.Equal("rejected", result.GetProperty("status").GetString());
        Assert.Equal("past-retention", result.GetProperty("errors")[0].GetProperty("code").GetString());
        Assert.Equal(0, await SecurityFixtures.DbAsync(platform, db => db.Records.CountAsync()));
        Assert.Equal(0, await SecurityFixtures.DbAsync(platform, db => db.Subjects.CountAsync()));
    }

    [Fact]
    public async Task ARevokedRecordIsKeptFiveYearsFromItsDecision()
    {
        await using var platform = await TestPlatform.StartAsync(provider);
        using var pusher = await PusherAsync(platform);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        (await pusher.PostAsJsonAsync("/api/v1/records", new { records = new[] { PenaltyOn("quashed", TestCodes.NewResidentId(), today.AddYears(-5).AddDays(2), "serious") } })).EnsureSuccessStatusCode();
        (await pusher.PostAsJsonAsync("/api/v1/records/revocations", new { sourceId = "quashed", reason = "复议撤销" })).EnsureSuccessStatusCode();

        Assert.Equal(0, await platform.WithScopeAsync(s => s.GetRequiredService<RecordPurge>().PurgeAsync("system:test", CancellationToken.None)));
        Assert.Equal(1, await SecurityFixtures.DbAsync(platform, db => db.Records.CountAsync()));
    }
}

public sealed class RecordPurgeOnSqlite() : RecordPurgeTests("sqlite");

public sealed class RecordPurgeOnPostgres() : RecordPurgeTests("postgres");
