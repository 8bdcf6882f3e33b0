using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Chengxin.Audit;

namespace Chengxin.Benchmarks;

/// <summary>
/// The platform's own measure of a registered read's wait for its commit (<see cref="AuditBatcher.Wait"/>), listened to
/// while a load runs: how much of a report's latency, and of its tail, is the group commit rather than the read.
/// </summary>
public sealed class RegistrationWaits : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<double> _waits = new();
    private long _batches;
    private long _registrations;

    public RegistrationWaits()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument == AuditBatcher.Wait || instrument == AuditBatcher.BatchSize)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((_, seconds, _, _) => _waits.Enqueue(seconds * 1000));
        _listener.SetMeasurementEventCallback<int>((_, size, _, _) =>
        {
            Interlocked.Increment(ref _batches);
            Interlocked.Add(ref _registrations, size);
        });
        _listener.Start();
    }

    public override string ToString()
    {
        var sorted = _waits.Order().ToArray();
        if (sorted.Length == 0)
        {
            return "no registrations";
        }
        double Pick(double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
        return $"registration wait {Pick(0.50):0.0} / {Pick(0.90):0.0} / {Pick(0.99):0.0} / {sorted[^1]:0.0} ms, {(double)_registrations / Math.Max(1, _batches):0.0} a commit";
    }

    public void Dispose() => _listener.Dispose();
}
