namespace Chengxin.Benchmarks;

/// <summary>Percentiles of latencies in milliseconds, as every benchmark here reports them.</summary>
public static class Latencies
{
    /// <summary>The nearest-rank percentile <paramref name="p"/> of values sorted ascending; 0 for none.</summary>
    public static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    /// <summary>Where the tail starts: "p50 / p90 / p99 / the slowest ms", or null when there are none.</summary>
    public static string? Spread(IEnumerable<double> milliseconds)
    {
        var sorted = milliseconds.Order().ToArray();
        return sorted.Length == 0 ? null
            : $"{Percentile(sorted, 0.50):0.0} / {Percentile(sorted, 0.90):0.0} / {Percentile(sorted, 0.99):0.0} / {sorted[^1]:0.0} ms";
    }
}
