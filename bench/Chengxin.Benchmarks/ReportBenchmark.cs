using System.Collections.Concurrent;
using System.Diagnostics;
using Chengxin.Cli;
using Chengxin.Data;
using Chengxin.Hosting;
using Chengxin.Identity;
using Chengxin.Organisations;
using Chengxin.Reports;
using Chengxin.Seeding;
using Chengxin.Subjects;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Chengxin.Benchmarks;

public sealed record LoadFigures(int Requests, double PerSecond, double P50Ms, double P99Ms, CpuCost Cpu);

public sealed record ReportFigures(int Subjects, long Records, TimeSpan SeedTime, LoadFigures Raw, LoadFigures Reports, IReadOnlyList<(double Raw, double Reports)> Rounds);

/// <summary>One load's latencies (of the requests after its settling second) and its processor time per request (of them all).</summary>
public sealed record LoadRun(List<double> Latencies, CpuCost Cpu)
{
    /// <summary>Where the tail starts: p50 / p90 / p99 / the slowest, in milliseconds.</summary>
    public string Spread() => Benchmarks.Latencies.Spread(Latencies) ?? "no requests";
}

/// <summary>
/// Report reads on PostgreSQL. `chengxin seed` fills a fresh database (the verb itself, run in this
/// process); a bank holds written authorisations from a sample of the people. Then, at the same
/// concurrency for the same time: (1) the baseline, a raw indexed lookup of the rows a report is
/// made of (the person by blind index, their records with current versions); (2) authorised credit
/// reports issued through <see cref="ReportService"/>: authorisation checked, display rule applied,
/// content built, encrypted and stored, the read registered and chained in the audit log.
/// </summary>
public static class ReportBenchmark
{
    private const string Purpose = "个人贷款审批";

    /// <summary>Long enough for the JIT's second tier to finish with the measured code: a serving platform runs warm.</summary>
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(10);

    private const int Rounds = 3;

    /// <summary>
    /// The people the load is spread over (20,000, so most reads miss PostgreSQL's buffers as a province's would).
    /// CHENGXIN_BENCH_SAMPLE=2000 keeps every read in the buffers: for comparing two builds' own costs without the cache's noise.
    /// </summary>
    private static readonly int SampleSize = int.TryParse(Environment.GetEnvironmentVariable("CHENGXIN_BENCH_SAMPLE"), out var size) && size > 0 ? size : 20_000;

    /// <summary>
    /// The connections both sides share: CHENGXIN_BENCH_POOL, else one per client and a few for the group commit. With the
    /// database on the same few cores, fewer connections cost less processor a request (docs/performance.md, session 20).
    /// </summary>
    public static int PoolSize(int clients) =>
        int.TryParse(Environment.GetEnvironmentVariable("CHENGXIN_BENCH_POOL"), out var pool) && pool > 0 ? pool : clients + 8;

    public static async Task<ReportFigures> RunAsync(string adminConnection, int subjects, long records, int clients, TimeSpan duration, string? keepDatabase)
    {
        var name = keepDatabase ?? "chengxin_reports_" + Guid.NewGuid().ToString("N")[..8];
        var exists = keepDatabase is not null && await ExistsAsync(adminConnection, name);
        if (!exists)
        {
            await ExecuteAsync(adminConnection, $"CREATE DATABASE {name}");
        }
        var connection = new NpgsqlConnectionStringBuilder(adminConnection) { Database = name, MaxPoolSize = PoolSize(clients) }.ConnectionString;
        var settings = Settings(connection, name);
        var contentRoot = Directory.CreateTempSubdirectory("chengxin-bench-");
        try
        {
            var seedTime = TimeSpan.Zero;
            if (!exists)
            {
                seedTime = await SeedAsync(settings, subjects, records);
            }
            await using var app = PlatformHost.Build(["--environment", "Benchmark", "--contentRoot", contentRoot.FullName], b => b.Configuration.AddInMemoryCollection(settings));
            await PlatformHost.PrepareAsync(app, demo: false);
            var seeded = await CountAsync(app.Services);
            var size = Math.Min(SampleSize, seeded);
            var sample = Enumerable.Range(0, size).Select(i => (int)((long)i * seeded / size)).ToArray();
            var (bank, authorisations) = await AuthoriseAsync(app.Services, sample);
            await ExecuteAsync(connection, "VACUUM ANALYZE");

            var raw = new Phase("raw lookups", sample, (index, _) => RawLookupAsync(app.Services, index));
            var reports = new Phase("credit reports", sample, (index, _) => ReportAsync(app.Services, bank, authorisations[index], index));
            // Interleaved rounds, so a slow spell of the machine touches both alike; the JIT warms each first.
            foreach (var phase in new[] { raw, reports })
            {
                Console.WriteLine($"{DateTimeOffset.Now:HH:mm:ss} warming up: {phase.Name}, {WarmUp.TotalSeconds:N0} s");
                await LoadAsync(clients, WarmUp, phase);
            }
            var rounds = new List<(double Raw, double Reports)>();
            var (rawRuns, reportRuns) = (new List<LoadRun>(), new List<LoadRun>());
            for (var round = 1; round <= Rounds; round++)
            {
                var rawRound = await LoadAsync(clients, duration / Rounds, raw);
                using var waits = new RegistrationWaits();
                var reportRound = await LoadAsync(clients, duration / Rounds, reports);
                rawRuns.Add(rawRound);
                reportRuns.Add(reportRound);
                rounds.Add((rawRound.Latencies.Count / (duration / Rounds).TotalSeconds, reportRound.Latencies.Count / (duration / Rounds).TotalSeconds));
                Console.WriteLine($"{DateTimeOffset.Now:HH:mm:ss} round {round}: raw {rounds[^1].Raw:N0}/s, reports {rounds[^1].Reports:N0}/s ({rounds[^1].Reports / rounds[^1].Raw:0.00}); " +
                    $"raw {rawRound.Spread()}, {rawRound.Cpu}; reports {reportRound.Spread()}, {waits}, {reportRound.Cpu}");
            }
            return new ReportFigures(seeded, records, seedTime, Figures(rawRuns, rounds.Select(r => r.Raw)), Figures(reportRuns, rounds.Select(r => r.Reports)), rounds);
        }
        finally
        {
            contentRoot.Delete(recursive: true);
            NpgsqlConnection.ClearAllPools();
            if (keepDatabase is null)
            {
                await ExecuteAsync(adminConnection, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
            }
        }
    }

    /// <summary>Runs <c>chengxin seed</c> with this configuration, as an operator would.</summary>
    private static async Task<TimeSpan> SeedAsync(Dictionary<string, string?> settings, int subjects, long records)
    {
        var watch = Stopwatch.StartNew();
        var args = new List<string> { "seed", "--subjects", subjects.ToString(System.Globalization.CultureInfo.InvariantCulture), "--records", records.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        // The verb reads its configuration like the platform: from the environment here.
        foreach (var (key, value) in settings)
        {
            Environment.SetEnvironmentVariable(key.Replace(":", "__", StringComparison.Ordinal), value);
        }
        var exit = await Commands.Build().Parse([.. args]).InvokeAsync();
        return exit == 0 ? watch.Elapsed : throw new InvalidOperationException($"chengxin seed exited with {exit}.");
    }

    private static async Task<int> CountAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ChengxinDb>().Subjects.CountAsync(s => s.Synthetic);
    }

    /// <summary>A bank with a written authorisation from each sampled person, for every category, valid a year.</summary>
    private static async Task<(Guid Bank, Dictionary<int, Guid> Authorisations)> AuthoriseAsync(IServiceProvider services, int[] sample)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ChengxinDb>();
        var code = "91430100888888880";
        code += CreditCode.CheckCharacter(code);
        var (bank, problems) = await scope.ServiceProvider.GetRequiredService<OrganisationService>().RegisterAsync(
            new OrganisationRegistration(code, "合成测试银行", "Synthetic bank", "bank", [], true, Synthetic: true), CancellationToken.None);
        if (bank is null)
        {
            throw new InvalidOperationException(string.Join("; ", problems));
        }
        var registry = scope.ServiceProvider.GetRequiredService<SubjectRegistry>();
        var today = Calendar.ChinaTime.Today(TimeProvider.System);
        var categories = string.Join(',', Enum.GetValues<Catalog.CatalogCategory>().Select(AuthorisationService.CategoryName));
        var rows = new Dictionary<int, Guid>();
        var authorisations = new List<Authorisation>();
        foreach (var index in sample)
        {
            var subject = await registry.FindAsync(IdType.ResidentId, SyntheticSeed.Number(index), CancellationToken.None)
                ?? throw new InvalidOperationException($"Seeded person {index} is not found.");
            var authorisation = new Authorisation
            {
                SubjectId = subject.Id,
                SubjectIndex = subject.BlindIndex,
                QuerierId = bank.Id,
                Purpose = Purpose,
                Categories = categories,
                ValidFrom = today,
                ValidUntil = today.AddYears(1),
                Channel = "written",
                EvidenceFileName = "authorisation.pdf",
                EvidenceSha256 = new string('0', 64),
                CreatedAt = DateTimeOffset.UtcNow,
            };
            authorisations.Add(authorisation);
            rows[index] = authorisation.Id;
        }
        await using var transaction = await db.Database.BeginTransactionAsync();
        await BulkCopy.InsertAsync(db, authorisations, CancellationToken.None);
        await transaction.CommitAsync();
        return (bank.Id, rows);
    }

    private static async Task RawLookupAsync(IServiceProvider services, int index)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ChengxinDb>();
        var blindIndex = scope.ServiceProvider.GetRequiredService<SubjectRegistry>().IndexValues(IdType.ResidentId, SyntheticSeed.Number(index))[0];
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await connection.OpenAsync();
        Guid subjectId;
        await using (var find = new NpgsqlCommand("SELECT \"Id\" FROM \"Subjects\" WHERE \"BlindIndex\" = $1", connection) { Parameters = { new() { Value = blindIndex } } })
        {
            subjectId = (Guid)(await find.ExecuteScalarAsync())!;
        }
        await using var read = new NpgsqlCommand("""
            SELECT r.*, v."Fields" FROM "Records" r
            JOIN "RecordVersions" v ON v."RecordId" = r."Id" AND v."Number" = r."CurrentVersion"
            WHERE r."SubjectId" = $1
            """, connection) { Parameters = { new() { Value = subjectId } } };
        await using var reader = await read.ExecuteReaderAsync();
        var values = new object[reader.FieldCount];
        while (await reader.ReadAsync())
        {
            reader.GetValues(values);
        }
    }

    private static async Task ReportAsync(IServiceProvider services, Guid bank, Guid authorisation, int index)
    {
        await using var scope = services.CreateAsyncScope();
        var request = new ReportRequest(new SubjectInput("resident-id", SyntheticSeed.Number(index), SyntheticSeed.Name(index)), Purpose, authorisation, null);
        var (report, refusal) = await scope.ServiceProvider.GetRequiredService<ReportService>().AuthorisedAsync(bank, "client:bench", request, CancellationToken.None);
        if (report is null)
        {
            throw new InvalidOperationException($"A report was refused: {refusal!.Title} {refusal.Detail}");
        }
    }

    /// <summary>What one side of the comparison runs, and where in the sample it has got to.</summary>
    private sealed class Phase(string name, int[] sample, Func<int, int, Task> work)
    {
        public string Name => name;
        public int[] Sample => sample;
        public Func<int, int, Task> Work => work;
        public int Next = -1;
    }

    /// <summary>Per second: the median of the rounds; latencies: over every request of every round.</summary>
    private static LoadFigures Figures(List<LoadRun> runs, IEnumerable<double> perSecond)
    {
        var sorted = runs.SelectMany(r => r.Latencies).Order().ToArray();
        var rates = perSecond.Order().ToArray();
        var cpu = new CpuCost(runs.Average(r => r.Cpu.PlatformMicroseconds), runs.All(r => r.Cpu.MachineMicroseconds is not null) ? runs.Average(r => r.Cpu.MachineMicroseconds!.Value) : null,
            runs.Sum(r => r.Cpu.GcPauseMs), runs.Sum(r => r.Cpu.Collections), runs.Average(r => r.Cpu.AllocatedKilobytes));
        return new LoadFigures(sorted.Length, rates[rates.Length / 2], Latencies.Percentile(sorted, 0.50), Latencies.Percentile(sorted, 0.99), cpu);
    }

    /// <summary>
    /// <paramref name="clients"/> loops, each taking the phase's next person of the sample, for the duration after
    /// a second of settling; the latencies of the requests started in the duration.
    /// </summary>
    private static async Task<LoadRun> LoadAsync(int clients, TimeSpan duration, Phase phase)
    {
        var (sample, work) = (phase.Sample, phase.Work);
        var (meter, before) = (new CpuMeter(), phase.Next);
        var warmUntil = Stopwatch.GetTimestamp() + Stopwatch.Frequency;
        var stopAt = warmUntil + (long)(Stopwatch.Frequency * duration.TotalSeconds);
        var latencies = new ConcurrentBag<double>();
        var workers = Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
        {
            while (true)
            {
                var started = Stopwatch.GetTimestamp();
                if (started >= stopAt)
                {
                    return;
                }
                var index = sample[(int)((uint)Interlocked.Increment(ref phase.Next) % (uint)sample.Length)];
                await work(index, client);
                if (started >= warmUntil)
                {
                    latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
            }
        })).ToArray();
        await Task.WhenAll(workers);
        return new LoadRun([.. latencies], meter.Per(phase.Next - before));
    }


    private static Dictionary<string, string?> Settings(string connection, string name)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = "postgres",
            ["Database:ConnectionString"] = connection,
            ["Webhooks:Enabled"] = "false",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        // A kept database is read again with the keys it was written with: the same key file each run.
        var keys = Path.Combine(Path.GetTempPath(), $"{name}.keys.json");
        if (!File.Exists(keys))
        {
            File.WriteAllBytes(keys, System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new { Keys = KeysOptions.Generate() }));
        }
        foreach (var (key, value) in new ConfigurationBuilder().AddJsonFile(keys).Build().AsEnumerable().Where(p => p.Value is not null))
        {
            settings[key] = value;
        }
        return settings;
    }

    private static async Task<bool> ExistsAsync(string admin, string name)
    {
        await using var c = new NpgsqlConnection(admin);
        await c.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", c) { Parameters = { new() { Value = name } } };
        return await command.ExecuteScalarAsync() is not null;
    }

    private static Task ExecuteAsync(string connection, string sql) => IngestBenchmark.ExecuteAsync(connection, sql);
}
