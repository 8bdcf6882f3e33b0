using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Chengxin.Operations;

namespace Chengxin.Audit;

/// <summary>
/// Group commit for registered reads: entries that arrive while one batch is being written go in
/// the next, under one chain lock and one transaction, instead of queueing one by one on the lock;
/// on PostgreSQL a batch after this node's own last entry is one round trip (<see cref="AuditTrail.GroupCommitAsync"/>).
/// Each read still gets its own entry and its own registrations; the caller's await returns once
/// they are committed, so no data leaves before its read is registered. Only for callers with no
/// transaction of their own (a change's entry must commit with the change).
/// </summary>
public sealed class AuditBatcher(IServiceScopeFactory scopes, ILogger<AuditBatcher> logger) : IAsyncDisposable
{
    public const int MaxBatch = 256;

    /// <summary>From a read's asking to its registration's commit: what every registered read waits before it answers (on /metrics).</summary>
    public static readonly Histogram<double> Wait = OperationsSetup.Meter.CreateHistogram<double>(
        "chengxin.registration.wait", "s", "Time a read waits for its registration to be committed: the queue and the batch's commit.");

    /// <summary>How many registrations each commit carries.</summary>
    public static readonly Histogram<int> BatchSize = OperationsSetup.Meter.CreateHistogram<int>(
        "chengxin.registration.batch_size", "{registration}", "Registrations committed together in one group commit.");

    private sealed record Pending(AuditEvent Entry, VouchedFor VouchedFor, TaskCompletionSource<long> Done, long Asked);

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _start = new();
    private Task? _worker;

    // The chain's last entry as this node wrote it: the next batch goes after it in one round trip, unless another writer came between.
    private AuditTrail.Head? _head;

    /// <summary>Appends the entry, with what it vouches for, in the next batch; returns once that batch is committed.</summary>
    public Task<long> AppendAsync(AuditEvent entry, VouchedFor vouchedFor, CancellationToken cancellationToken)
    {
        lock (_start)
        {
            _worker ??= Task.Run(RunAsync, CancellationToken.None);
        }
        var pending = new Pending(entry, vouchedFor, new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously), Stopwatch.GetTimestamp());
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new InvalidOperationException("The platform is stopping; the read was not registered.");
        }
        return pending.Done.Task.WaitAsync(cancellationToken);
    }

    private async Task RunAsync()
    {
        var batch = new List<Pending>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var (sequences, head) = await scope.ServiceProvider.GetRequiredService<AuditTrail>().GroupCommitAsync(
                    [.. batch.Select(p => (p.Entry, (VouchedFor?)p.VouchedFor))], _head, CancellationToken.None);
                _head = head;
                BatchSize.Record(batch.Count);
                for (var i = 0; i < batch.Count; i++)
                {
                    Wait.Record(Stopwatch.GetElapsedTime(batch[i].Asked).TotalSeconds);
                    batch[i].Done.TrySetResult(sequences[i]);
                }
            }
            catch (Exception e)
            {
                _head = null;
                logger.LogError(e, "Registering {Count} reads failed; their callers get the error and return nothing", batch.Count);
                foreach (var pending in batch)
                {
                    pending.Done.TrySetException(e);
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        if (_worker is not null)
        {
            await _worker;
        }
    }
}
