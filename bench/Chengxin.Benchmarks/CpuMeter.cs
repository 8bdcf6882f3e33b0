using System.Diagnostics;

namespace Chengxin.Benchmarks;

/// <summary>
/// Processor time spent while a load ran, per request: this process's (the platform's .NET side, with the benchmark's load loops in it) and the machine's
/// (with PostgreSQL, when it runs here). Unlike a rate, a cost per request says where the time goes on any machine.
/// </summary>
public readonly record struct CpuCost(double PlatformMicroseconds, double? MachineMicroseconds, double GcPauseMs = 0, int Collections = 0, double AllocatedKilobytes = 0)
{
    public override string ToString() =>
        $"platform {PlatformMicroseconds:N0} µs" + (MachineMicroseconds is { } machine ? $", machine {machine:N0} µs" : "") + " of processor a request" +
        $", {AllocatedKilobytes:N0} KB allocated a request, garbage collector paused {GcPauseMs:N0} ms in {Collections:N0} collections";
}

public sealed class CpuMeter
{
    private readonly TimeSpan _process = Process.GetCurrentProcess().TotalProcessorTime;
    private readonly long? _machine = MachineBusyTicks();
    private readonly TimeSpan _paused = GC.GetTotalPauseDuration();
    private readonly int _collections = GC.CollectionCount(0);
    private readonly long _allocated = GC.GetTotalAllocatedBytes();

    public CpuCost Per(long requests)
    {
        var platform = (Process.GetCurrentProcess().TotalProcessorTime - _process).TotalMicroseconds / Math.Max(1, requests);
        // /proc/stat counts in USER_HZ, 100 a second on Linux.
        var busy = MachineBusyTicks() - _machine;
        return new CpuCost(platform, busy is { } ticks ? ticks * 10_000.0 / Math.Max(1, requests) : null,
            (GC.GetTotalPauseDuration() - _paused).TotalMilliseconds, GC.CollectionCount(0) - _collections, (GC.GetTotalAllocatedBytes() - _allocated) / 1024.0 / Math.Max(1, requests));
    }

    /// <summary>user + nice + system + irq + softirq of every processor, or null where there is no /proc/stat.</summary>
    private static long? MachineBusyTicks()
    {
        if (!File.Exists("/proc/stat"))
        {
            return null;
        }
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return new[] { 1, 2, 3, 6, 7 }.Sum(i => long.Parse(fields[i], System.Globalization.CultureInfo.InvariantCulture));
    }
}
