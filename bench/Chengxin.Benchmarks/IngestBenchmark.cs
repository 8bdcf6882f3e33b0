using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Chengxin.Data;
using Chengxin.Hosting;
using Chengxin.Identity;
using Chengxin.Imports;
using Chengxin.Organisations;
using Chengxin.Records;
using Chengxin.Subjects;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Chengxin.Benchmarks;

public sealed record IngestFigures(int Rows, double CopyRowsPerSecond, double PushRowsPerSecond, double ImportRowsPerSecond, long ImportPeakHeapBytes);

/// <summary>
/// Collection on PostgreSQL: the same synthetic admin-penalty records (1) written by raw binary COPY of
/// their final rows into the same tables — the baseline, (2) pushed in 1,000-item batches through every
/// check, (3) imported from a CSV file by the importer. Tables are emptied between the three.
/// </summary>
public static class IngestBenchmark
{
    private static readonly string[] Tables = ["RecordChanges", "RecordVersions", "Records", "Subjects", "Submissions"];

    public static async Task<IngestFigures> RunAsync(string adminConnection, int rows, int rounds, bool skipBaseline = false)
    {
        var name = "chengxin_bench_" + Guid.NewGuid().ToString("N")[..8];
        await ExecuteAsync(adminConnection, $"CREATE DATABASE {name}");
        var connection = new NpgsqlConnectionStringBuilder(adminConnection) { Database = name }.ConnectionString;
        // An empty content root: the host watches it for configuration changes, and a busy /tmp costs a thread's time.
        var contentRoot = Directory.CreateTempSubdirectory("chengxin-bench-");
        try
        {
            await using var app = PlatformHost.Build(["--environment", "Benchmark", "--contentRoot", contentRoot.FullName], b =>
                b.Configuration.AddInMemoryCollection(Settings(connection)));
            await PlatformHost.PrepareAsync(app, demo: false);
            var provider = await ProviderAsync(app.Services);
            List<IncomingRecord>? batch = Generate(rows);
            var file = WriteCsv(batch);

            // Rounds interleave the three, so a slow spell of the machine touches each alike; each figure is the median.
            var (copies, pushes, imports) = (new List<double>(), new List<double>(), new List<double>());
            for (var round = 0; round < rounds; round++)
            {
                copies.Add(skipBaseline ? 0 : rows / (await TimeAsync(() => CopyAsync(app.Services, provider, batch!))).TotalSeconds);
                await TruncateAsync(connection);
                pushes.Add(rows / (await TimeAsync(() => PushAsync(app.Services, provider, batch!))).TotalSeconds);
                await TruncateAsync(connection);
                imports.Add(rows / (await TimeAsync(() => ImportAsync(app.Services, provider, file, null))).TotalSeconds);
                await TruncateAsync(connection);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round + 1}: COPY {copies[^1]:N0} rows/s, push {pushes[^1]:N0}, import {imports[^1]:N0}"));
            }
            // The generated rows are the benchmark's, not the importer's: let them go before measuring its memory.
            batch = null;
            GC.Collect();
            // Memory is sampled in another, untimed import: a full collection after every chunk would slow a timed one.
            long peak = 0;
            // Live memory after a full collection: what the importer holds, not what it has yet to collect.
            await ImportAsync(app.Services, provider, file, _ => peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true)));
            File.Delete(file);
            return new IngestFigures(rows, Median(copies), Median(pushes), Median(imports), peak);
        }
        finally
        {
            contentRoot.Delete(recursive: true);
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(adminConnection, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        }
    }

    private static Dictionary<string, string?> Settings(string connection)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = "postgres",
            ["Database:ConnectionString"] = connection,
            ["Webhooks:Enabled"] = "false",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        var json = JsonSerializer.SerializeToUtf8Bytes(new { Keys = KeysOptions.Generate() });
        foreach (var (key, value) in new ConfigurationBuilder().AddJsonStream(new MemoryStream(json)).Build().AsEnumerable().Where(p => p.Value is not null))
        {
            settings[key] = value;
        }
        return settings;
    }

    private static async Task<Guid> ProviderAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var code = "91430100000000001";
        code += CreditCode.CheckCharacter(code);
        var (organisation, problems) = await scope.ServiceProvider.GetRequiredService<OrganisationService>()
            .RegisterAsync(new OrganisationRegistration(code, "基准测试报送单位", null, "department", ["admin-penalty"], false, Synthetic: true), CancellationToken.None);
        return organisation?.Id ?? throw new InvalidOperationException(string.Join("; ", problems));
    }

    /// <summary>Distinct synthetic people: 12 months × 28 days × 80 years × 999 sequences is plenty.</summary>
    private static List<IncomingRecord> Generate(int rows)
    {
        var fields = JsonSerializer.SerializeToElement(new
        {
            decisionNo = "湘市监罚〔2025〕0001号",
            authority = "长沙市市场监督管理局",
            domain = "food-drug",
            violation = "销售超过保质期的食品",
            legalProvision = "《中华人民共和国食品安全法》第一百二十四条",
            penaltyType = "fine",
            fineAmount = 5000.0,
            severity = "general",
        });
        return Enumerable.Range(0, rows).Select(i =>
        {
            var birth = new DateOnly(1940 + (i / 336 % 60), 1 + (i % 12), 1 + (i / 12 % 28));
            var id = ResidentIdNumber.Compose("430102", birth, 1 + (i / 20160 % 999));
            return new IncomingRecord(i % PushService.MaxBatch, $"B-{i}", "admin-penalty", new SubjectInput("resident-id", id, "测试" + i), new DateOnly(2025, 6, 1), fields, []);
        }).ToList();
    }

    /// <summary>The baseline: the final rows (encrypted subjects, records, versions, changes) prepared beforehand and written by one COPY per table.</summary>
    private static async Task CopyAsync(IServiceProvider services, Guid provider, List<IncomingRecord> batch)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ChengxinDb>();
        var registry = scope.ServiceProvider.GetRequiredService<SubjectRegistry>();
        var now = DateTimeOffset.UtcNow;
        var subjects = new List<Subject>();
        var records = new List<CreditRecord>();
        var versions = new List<RecordVersion>();
        var changes = new List<RecordChange>();
        foreach (var r in batch)
        {
            var subject = registry.Create(IdType.ResidentId, r.Subject!.IdNumber!, r.Subject.Name!, synthetic: true);
            var fields = RecordContent.Canonical(r.Fields);
            var digest = RecordContent.Digest("admin-penalty", r.OccurredOn!.Value, fields);
            var record = new CreditRecord { SubjectId = subject.Id, ProviderId = provider, SourceId = r.SourceId!, ItemCode = "admin-penalty", CatalogVersion = "430000/2026.1", OccurredOn = r.OccurredOn.Value, CurrentVersion = 1, ContentSha256 = digest, CreatedAt = now, UpdatedAt = now };
            subjects.Add(subject);
            records.Add(record);
            versions.Add(new RecordVersion { RecordId = record.Id, Number = 1, Fields = fields, ContentSha256 = digest, CreatedAt = now });
            changes.Add(new RecordChange { RecordId = record.Id, SubjectId = subject.Id, ProviderId = provider, ItemCode = "admin-penalty", Version = 1, At = now });
        }
        // Preparing the rows is not timed: the stopwatch starts at the first COPY.
        var watch = Stopwatch.StartNew();
        await using var transaction = await db.Database.BeginTransactionAsync();
        await BulkCopy.InsertAsync(db, subjects, CancellationToken.None);
        await BulkCopy.InsertAsync(db, records, CancellationToken.None);
        await BulkCopy.InsertAsync(db, versions, CancellationToken.None);
        await BulkCopy.InsertAsync(db, changes, CancellationToken.None);
        await transaction.CommitAsync();
        CopyElapsed = watch.Elapsed;
    }

    private static TimeSpan? CopyElapsed { get; set; }

    private static async Task PushAsync(IServiceProvider services, Guid provider, List<IncomingRecord> batch)
    {
        foreach (var chunk in batch.Chunk(PushService.MaxBatch))
        {
            await using var scope = services.CreateAsyncScope();
            var response = await scope.ServiceProvider.GetRequiredService<PushService>().PushAsync(provider, chunk, CancellationToken.None);
            if (response.Rejected > 0)
            {
                throw new InvalidOperationException("The benchmark's records were rejected: " + JsonSerializer.Serialize(response.Results.First(r => r.Errors is not null)));
            }
        }
    }

    private static async Task ImportAsync(IServiceProvider services, Guid provider, string file, Action<ImportProgress>? progress)
    {
        await using var stream = File.OpenRead(file);
        await services.GetRequiredService<RecordImporter>().ImportAsync(stream, "bench.csv", provider, "admin-penalty", TextWriter.Null, progress, CancellationToken.None);
    }

    private static string WriteCsv(List<IncomingRecord> batch)
    {
        var path = Path.Combine(Path.GetTempPath(), $"chengxin-bench-{Guid.NewGuid():N}.csv");
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
        writer.WriteLine("sourceId,idType,idNumber,name,occurredOn,decisionNo,authority,domain,violation,legalProvision,penaltyType,fineAmount,severity");
        foreach (var r in batch)
        {
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.SourceId},resident-id,{r.Subject!.IdNumber},{r.Subject.Name},2025-06-01,湘市监罚〔2025〕0001号,长沙市市场监督管理局,food-drug,销售超过保质期的食品,《中华人民共和国食品安全法》第一百二十四条,fine,5000,general"));
        }
        return path;
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private static async Task<TimeSpan> TimeAsync(Func<Task> work)
    {
        CopyElapsed = null;
        var watch = Stopwatch.StartNew();
        await work();
        return CopyElapsed ?? watch.Elapsed;
    }

    private static async Task TruncateAsync(string connection)
    {
        await using var c = new NpgsqlConnection(connection);
        await c.OpenAsync();
        await using var command = new NpgsqlCommand($"TRUNCATE {string.Join(", ", Tables.Select(t => $"\"{t}\""))}", c);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>One statement on its own connection, however long it takes (a VACUUM of ten million rows, say).</summary>
    internal static async Task ExecuteAsync(string connection, string sql)
    {
        await using var c = new NpgsqlConnection(connection);
        await c.OpenAsync();
        await using var command = new NpgsqlCommand(sql, c) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync();
    }
}
