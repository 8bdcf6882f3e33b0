using System.Text.Json;
using Chengxin.Data;
using Chengxin.Imports;
using Chengxin.Organisations;
using Chengxin.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Chengxin.Tests.Imports;

/// <summary>
/// Every file in Imports/Files is imported as a provider would, and answers as expectations.json says:
/// refused whole with a readable reason, or imported with the listed rows rejected.
/// </summary>
public abstract class ImportTests<TPlatform>(TPlatform fixture) : IClassFixture<TPlatform>
    where TPlatform : PlatformFixture
{
    private TestPlatform Platform => fixture.Platform;

    private Task<OrganisationView> ProviderAsync() => Platform.AddOrganisationAsync("长沙市市场监督管理局", "admin-penalty");

    [Theory]
    [MemberData(nameof(ImportFiles.Names), MemberType = typeof(ImportFiles))]
    public async Task AFileImportsAsExpected(string file)
    {
        var expect = ImportFiles.Expectation(file);
        var provider = await ProviderAsync();
        var rejected = new StringWriter();
        var importer = Platform.Services.GetRequiredService<RecordImporter>();
        await using var stream = File.OpenRead(Path.Combine(ImportFiles.Folder, file));

        if (expect.TryGetProperty("refused", out var reason))
        {
            var refusal = await Assert.ThrowsAsync<ImportFileException>(() => importer.ImportAsync(stream, file, provider.Id, "admin-penalty", rejected, null, CancellationToken.None));
            Assert.Contains(reason.GetString()!, refusal.Message, StringComparison.Ordinal);
            var before = expect.TryGetProperty("importedBefore", out var imported) ? imported.GetInt32() : 0;
            Assert.Equal(before, await StoredAsync(provider.Id));
            return;
        }

        var result = await importer.ImportAsync(stream, file, provider.Id, "admin-penalty", rejected, null, CancellationToken.None);

        Assert.Equal(expect.GetProperty("rows").GetInt32(), result.Rows);
        Assert.Equal(expect.GetProperty("created").GetInt32(), result.Created);
        Assert.Equal(expect.GetProperty("rejected").GetInt32(), result.Rejected);
        Assert.Equal(result.Created, await StoredAsync(provider.Id));
        var lines = rejected.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal("row,sourceId,field,code,message", lines[0]);
        if (expect.TryGetProperty("rejectedRows", out var rows))
        {
            foreach (var pair in rows.EnumerateArray())
            {
                var (row, code) = (pair[0].GetInt32(), pair[1].GetString());
                Assert.Contains(lines, l => l.StartsWith($"{row},", StringComparison.Ordinal) && l.Contains($",{code},", StringComparison.Ordinal));
            }
        }
    }

    [Fact]
    public async Task ImportingTheSameFileTwiceChangesNothing()
    {
        var provider = await ProviderAsync();
        var importer = Platform.Services.GetRequiredService<RecordImporter>();
        async Task<ImportProgress> ImportAsync()
        {
            await using var stream = File.OpenRead(Path.Combine(ImportFiles.Folder, "good-utf8.csv"));
            return await importer.ImportAsync(stream, "good-utf8.csv", provider.Id, "admin-penalty", TextWriter.Null, null, CancellationToken.None);
        }
        await ImportAsync();

        var again = await ImportAsync();

        Assert.Equal(3, again.Unchanged);
        Assert.Equal(3, await StoredAsync(provider.Id));
    }

    private Task<int> StoredAsync(Guid providerId) =>
        Platform.WithScopeAsync(s => s.GetRequiredService<ChengxinDb>().Records.CountAsync(r => r.ProviderId == providerId));
}

public static class ImportFiles
{
    public static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Imports", "Files");

    private static readonly JsonElement Expectations = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "expectations.json"))).RootElement;

    public static TheoryData<string> Names() => [.. Expectations.EnumerateObject().Select(p => p.Name).Order()];

    public static JsonElement Expectation(string file) => Expectations.GetProperty(file);
}

public sealed class ImportOnSqlite(SqlitePlatform fixture) : ImportTests<SqlitePlatform>(fixture);

public sealed class ImportOnPostgres(PostgresPlatform fixture) : ImportTests<PostgresPlatform>(fixture);
