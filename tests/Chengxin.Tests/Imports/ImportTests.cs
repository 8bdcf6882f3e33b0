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
        Assert.Equal("row,sourceId,field,code,message,reason", lines[0]);
        if (expect.TryGetProperty("rejectedRows", out var rows))
        {
            foreach (var pair in rows.EnumerateArray())
            {
                var (row, code) = (pair[0].GetInt32(), pair[1].GetString());
                Assert.Contains(lines, l => l.StartsWith($"{row},", StringComparison.Ordinal) && l.Contains($",{code},", StringComparison.Ordinal));
                if (code == "checksum")
                {
                    Assert.Contains(lines, l => l.StartsWith($"{row},", StringComparison.Ordinal) && l.EndsWith(",证件号码校验码错误", StringComparison.Ordinal));
                }
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

    [Fact]
    public async Task ARowImportedFromAFileAndPushedAgainByTheApiIsUnchanged()
    {
        var provider = await ProviderAsync();
        await using (var stream = File.OpenRead(Path.Combine(ImportFiles.Folder, "good-utf8.csv")))
        {
            await Platform.Services.GetRequiredService<RecordImporter>().ImportAsync(stream, "good-utf8.csv", provider.Id, "admin-penalty", TextWriter.Null, null, CancellationToken.None);
        }
        // The file's first row, as a department's system would push it.
        var body = JsonDocument.Parse("""
            {"records":[{"sourceId":"F-01044","catalogItem":"admin-penalty","occurredOn":"2025-05-01",
              "subject":{"idType":"resident-id","idNumber":"430102197110060435","name":"张三"},
              "fields":{"severity":"general","fineAmount":1000,"penaltyType":"fine","legalProvision":"《食品安全法》","violation":"销售过期食品",
                        "domain":"food-drug","authority":"长沙市市场监督管理局","decisionNo":"湘市监罚〔2025〕1号"}}]}
            """).RootElement;

        var response = await Platform.WithScopeAsync(services =>
            services.GetRequiredService<Chengxin.Records.PushService>().PushAsync(provider.Id, Chengxin.Records.PushService.ReadBatch(body).Batch!, CancellationToken.None));

        Assert.Equal(Chengxin.Records.PushResult.Unchanged, response.Results.Single().Status);
    }

    [Fact]
    public async Task AFileOfSeveralTransactionsKeepsEveryRowsOutcome()
    {
        // 4,500 rows: five chunks of checks, two transactions. Row numbers count the header as row 1.
        var provider = await ProviderAsync();
        var lines = new List<string> { "sourceId,idType,idNumber,name,occurredOn,decisionNo,authority,domain,violation,legalProvision,penaltyType,fineAmount,severity" };
        string Number(int i) => Identity.ResidentIdNumber.Compose("430102", new DateOnly(1950 + (i % 40), 1 + (i % 12), 1 + (i % 28)), 1 + (i / 480));
        string Row(int i, string source, string decisionNo, string? idNumber = null) =>
            $"{source},resident-id,{idNumber ?? Number(i)},测试{i},2025-06-01,{decisionNo},长沙市市场监督管理局,food-drug,销售超过保质期的食品,《中华人民共和国食品安全法》第一百二十四条,fine,5000,general";
        for (var i = 0; i < 4_500; i++)
        {
            lines.Add(i switch
            {
                // Row 2,502 (third chunk) corrects row 2 (first chunk): same sourceId and person, new content, in the same transaction.
                2_500 => Row(0, "S-0", "湘市监罚〔2025〕0002号"),
                // Row 3,202 repeats row 1,502 exactly.
                3_200 => Row(1_500, "S-1500", "湘市监罚〔2025〕0001号"),
                // Row 4,302, in the second transaction, is about the person of row 12, in the first: checked before the first was stored.
                4_300 => Row(10, "S-again", "湘市监罚〔2025〕0003号"),
                // Row 4,402, in the second transaction, corrects row 22, in the first.
                4_400 => Row(20, "S-20", "湘市监罚〔2025〕0004号"),
                // Row 4,102, in the second transaction, has an invalid identity number.
                4_100 => Row(i, "S-4100", "湘市监罚〔2025〕0001号", Number(i)[..17] + (Number(i)[17] == '0' ? '1' : '0')),
                _ => Row(i, $"S-{i}", "湘市监罚〔2025〕0001号"),
            });
        }
        var path = Path.Combine(Path.GetTempPath(), $"chengxin-import-{Guid.NewGuid():N}.csv");
        await File.WriteAllLinesAsync(path, lines);
        var rejected = new StringWriter();
        var progress = new List<int>();
        int Retries() => Platform.Logs.Lines.Count(l => l.Contains("met a concurrent write", StringComparison.Ordinal));
        var retriesBefore = Retries();
        try
        {
            await using var stream = File.OpenRead(path);
            var result = await Platform.Services.GetRequiredService<RecordImporter>()
                .ImportAsync(stream, "several.csv", provider.Id, "admin-penalty", rejected, p => progress.Add(p.Rows), CancellationToken.None);

            Assert.Equal((4_500, 4_496, 2, 1, 1), (result.Rows, result.Created, result.Updated, result.Unchanged, result.Rejected));
            Assert.Equal(4_496, await StoredAsync(provider.Id));
            Assert.Contains(rejected.ToString().Split('\n'), l => l.StartsWith("4102,S-4100,idNumber,", StringComparison.Ordinal));
            var versions = await Platform.WithScopeAsync(s => s.GetRequiredService<ChengxinDb>().Records
                .Where(r => r.ProviderId == provider.Id && r.SourceId == "S-0").Select(r => new { r.CurrentVersion, Versions = r.Versions.Count }).SingleAsync());
            Assert.Equal((2, 2), (versions.CurrentVersion, versions.Versions));
            var people = await Platform.WithScopeAsync(s => s.GetRequiredService<ChengxinDb>().Records
                .Where(r => r.ProviderId == provider.Id && (r.SourceId == "S-10" || r.SourceId == "S-again")).Select(r => r.SubjectId).Distinct().CountAsync());
            Assert.Equal(1, people);
            // The second transaction knew the person and the record from the first: it was not redone.
            Assert.Equal(retriesBefore, Retries());
            Assert.True(progress.Count >= 2, "progress is reported after every transaction");
            Assert.Equal(progress.Order(), progress);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task AFileDamagedPartWayKeepsTheRowsBeforeTheDamage()
    {
        // 1,500 good rows, then a quoted field that never ends: the reader fails inside the second chunk, before any transaction is full.
        var provider = await ProviderAsync();
        var lines = new List<string> { "sourceId,idType,idNumber,name,occurredOn,decisionNo,authority,domain,violation,legalProvision,penaltyType,fineAmount,severity" };
        for (var i = 0; i < 1_500; i++)
        {
            var number = Identity.ResidentIdNumber.Compose("430103", new DateOnly(1960 + (i % 30), 1 + (i % 12), 1 + (i % 28)), 1 + (i / 360));
            lines.Add($"D-{i},resident-id,{number},测试{i},2025-06-01,湘市监罚〔2025〕0001号,长沙市市场监督管理局,food-drug,销售超过保质期的食品,第一百二十四条,fine,5000,general");
        }
        lines.Add("D-broken,resident-id,\"430103196001011234");
        var path = Path.Combine(Path.GetTempPath(), $"chengxin-import-{Guid.NewGuid():N}.csv");
        await File.WriteAllLinesAsync(path, lines);
        try
        {
            await using var stream = File.OpenRead(path);
            var refusal = await Assert.ThrowsAsync<ImportFileException>(() => Platform.Services.GetRequiredService<RecordImporter>()
                .ImportAsync(stream, "damaged.csv", provider.Id, "admin-penalty", TextWriter.Null, null, CancellationToken.None));

            Assert.Contains("Rows before it were imported", refusal.Message, StringComparison.Ordinal);
            Assert.Equal(1_500, await StoredAsync(provider.Id));
        }
        finally
        {
            File.Delete(path);
        }
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
