using System.Globalization;
using Chengxin.Benchmarks;

// dotnet run -c Release --project bench/Chengxin.Benchmarks -- [rows] [large-rows]
// Needs CHENGXIN_BENCH_POSTGRES (an admin connection string); bench/run.sh starts a throwaway cluster.
var admin = Environment.GetEnvironmentVariable("CHENGXIN_BENCH_POSTGRES")
    ?? throw new InvalidOperationException("Set CHENGXIN_BENCH_POSTGRES, or run bench/run.sh.");
var rows = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 50_000;
var large = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 0;

var figures = await IngestBenchmark.RunAsync(admin, rows);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""

    | {rows:N0} admin-penalty records, PostgreSQL | rows/s | ratio to COPY | target |
    | --- | ---: | ---: | ---: |
    | raw binary COPY of the final rows (baseline) | {figures.CopyRowsPerSecond:N0} | 1.00 | |
    | push, 1,000-item batches, every check | {figures.PushRowsPerSecond:N0} | {figures.PushRowsPerSecond / figures.CopyRowsPerSecond:0.00} | ≥ 0.40 |
    | import of a CSV file | {figures.ImportRowsPerSecond:N0} | {figures.ImportRowsPerSecond / figures.CopyRowsPerSecond:0.00} | ≥ 0.60 |
    """));

if (large > 0)
{
    var big = await IngestBenchmark.RunAsync(admin, large, skipBaseline: true);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""

        | importer memory | rows | peak managed heap | ratio |
        | --- | ---: | ---: | ---: |
        | small file | {rows:N0} | {figures.ImportPeakHeapBytes / 1048576.0:N1} MiB | 1.00 |
        | large file | {large:N0} | {big.ImportPeakHeapBytes / 1048576.0:N1} MiB | {(double)big.ImportPeakHeapBytes / figures.ImportPeakHeapBytes:0.00} |
        """));
}
