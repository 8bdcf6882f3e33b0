using System.Globalization;
using Chengxin.Benchmarks;

// dotnet run -c Release --project bench/Chengxin.Benchmarks -- [rows] [large-rows]
// dotnet run -c Release --project bench/Chengxin.Benchmarks -- reports [subjects] [records] [clients] [seconds] [keep-database]
// Needs CHENGXIN_BENCH_POSTGRES (an admin connection string); bench/run.sh starts a throwaway cluster.
var admin = Environment.GetEnvironmentVariable("CHENGXIN_BENCH_POSTGRES")
    ?? throw new InvalidOperationException("Set CHENGXIN_BENCH_POSTGRES, or run bench/run.sh.");
int Int(int position, int fallback) => args.Length > position ? int.Parse(args[position], CultureInfo.InvariantCulture) : fallback;

if (args.Length > 0 && args[0] == "reports")
{
    var (subjects, records, clients, seconds) = (Int(1, 1_000_000), args.Length > 2 ? long.Parse(args[2], CultureInfo.InvariantCulture) : 10_000_000L, Int(3, 32), Int(4, 30));
    var keep = args.Length > 5 ? args[5] : null;
    var r = await ReportBenchmark.RunAsync(admin, subjects, records, clients, TimeSpan.FromSeconds(seconds), keep);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""

        Seeded {r.Subjects:N0} people and {r.Records:N0} records ({(r.SeedTime == TimeSpan.Zero ? "kept from an earlier run" : $"{r.SeedTime.TotalSeconds:N0} s")}); {clients} concurrent clients on {ReportBenchmark.PoolSize(clients)} pooled connections, {seconds} s each in {r.Rounds.Count} interleaved rounds.
        Rounds (raw/s, reports/s, ratio): {string.Join("; ", r.Rounds.Select(x => $"{x.Raw:N0}, {x.Reports:N0}, {x.Reports / x.Raw:0.00}"))}

        | report reads, PostgreSQL | requests | per second (median round) | p50 ms | p99 ms | throughput ratio | target |
        | --- | ---: | ---: | ---: | ---: | ---: | --- |
        | raw indexed lookup of the same rows (baseline) | {r.Raw.Requests:N0} | {r.Raw.PerSecond:N0} | {r.Raw.P50Ms:0.0} | {r.Raw.P99Ms:0.0} | 1.00 | |
        | authorised credit report, issued and registered | {r.Reports.Requests:N0} | {r.Reports.PerSecond:N0} | {r.Reports.P50Ms:0.0} | {r.Reports.P99Ms:0.0} | {r.Reports.PerSecond / r.Raw.PerSecond:0.00} | ≥ 0.50, p99 ≤ 15 ms |

        Processor time a request (mean of the rounds): raw lookup {r.Raw.Cpu}; report {r.Reports.Cpu}.
        """));
    return;
}

var rows = Int(0, 50_000);
var large = Int(1, 0);

var figures = await IngestBenchmark.RunAsync(admin, rows, rounds: 5);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""

    | {rows:N0} admin-penalty records, PostgreSQL, median of 5 rounds | rows/s | ratio to COPY | target |
    | --- | ---: | ---: | ---: |
    | raw binary COPY of the final rows (baseline) | {figures.CopyRowsPerSecond:N0} | 1.00 | |
    | push, 1,000-item batches, every check | {figures.PushRowsPerSecond:N0} | {figures.PushRowsPerSecond / figures.CopyRowsPerSecond:0.00} | ≥ 0.40 |
    | import of a CSV file | {figures.ImportRowsPerSecond:N0} | {figures.ImportRowsPerSecond / figures.CopyRowsPerSecond:0.00} | ≥ 0.60 |
    """));

if (large > 0)
{
    var big = await IngestBenchmark.RunAsync(admin, large, rounds: 1, skipBaseline: true);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""

        | importer memory | rows | peak managed heap | ratio |
        | --- | ---: | ---: | ---: |
        | small file | {rows:N0} | {figures.ImportPeakHeapBytes / 1048576.0:N1} MiB | 1.00 |
        | large file | {large:N0} | {big.ImportPeakHeapBytes / 1048576.0:N1} MiB | {(double)big.ImportPeakHeapBytes / figures.ImportPeakHeapBytes:0.00} |
        """));
}
