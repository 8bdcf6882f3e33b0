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

    public override string ToString() => Latencies.Spread(_waits) is { } spread
        ? $"registration wait {spread}, {(double)_registrations / Math.Max(1, _batches):0.0} a commit"
        : "no registrations";

    public void Dispose() => _listener.Dispose();
}
