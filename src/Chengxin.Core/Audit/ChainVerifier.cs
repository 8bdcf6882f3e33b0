using Chengxin.Crypto;

namespace Chengxin.Audit;

/// <summary>A stored entry: its facts and the hash that was stored with it.</summary>
public sealed record StoredEntry(AuditFacts Facts, byte[] Hash);

/// <summary>A signed statement that the chain had <see cref="Sequence"/> entries ending in <see cref="Head"/>.</summary>
public sealed record Checkpoint(long Sequence, byte[] Head, DateTimeOffset At, SignatureValue Signature);

/// <summary>The outcome of walking the chain: the first problem found, or none.</summary>
public sealed record ChainReport(long EntriesChecked, long CheckpointsChecked, long? FirstBadSequence, string? Problem, long UnsignedTail)
{
    public bool Intact => Problem is null;
}

/// <summary>
/// Walks the audit chain in order, recomputing every hash and checking every signed checkpoint
/// against it. Stored hashes catch an edited, missing or moved entry; signed checkpoints catch a
/// chain recomputed from some entry on (which stored hashes alone cannot) and a cut-off tail.
/// </summary>
public sealed class ChainVerifier(CheckpointKeys keys)
{
    public ChainReport Verify(IEnumerable<StoredEntry> entries, IReadOnlyList<Checkpoint> checkpoints) =>
        VerifyAsync(entries.ToAsyncEnumerable(), checkpoints, CancellationToken.None).AsTask().GetAwaiter().GetResult();

    /// <summary>Walks entries as they are read, so a chain of any length is verified in constant memory.</summary>
    public async ValueTask<ChainReport> VerifyAsync(IAsyncEnumerable<StoredEntry> entries, IReadOnlyList<Checkpoint> checkpoints, CancellationToken cancellationToken)
    {
        var bySequence = new Dictionary<long, Checkpoint>();
        foreach (var checkpoint in checkpoints)
        {
            if (!keys.Verify(AuditChain.CheckpointMessage(checkpoint.Sequence, checkpoint.Head, checkpoint.At), checkpoint.Signature))
            {
                return new ChainReport(0, 0, checkpoint.Sequence, $"The checkpoint at entry {checkpoint.Sequence} has an invalid signature.", 0);
            }
            bySequence[checkpoint.Sequence] = checkpoint;
        }
        var previous = AuditChain.Genesis;
        long expected = 1, checkedCheckpoints = 0, lastSigned = 0;
        await foreach (var entry in entries.WithCancellation(cancellationToken))
        {
            var sequence = entry.Facts.Sequence;
            if (sequence != expected)
            {
                return Bad(expected - 1, checkedCheckpoints, expected,
                    sequence > expected ? $"Entry {expected} is missing (the next stored entry is {sequence})." : $"Entry {sequence} is out of order.");
            }
            var hash = AuditChain.Hash(previous, entry.Facts);
            if (!hash.AsSpan().SequenceEqual(entry.Hash))
            {
                return Bad(expected - 1, checkedCheckpoints, sequence, $"Entry {sequence} does not match its hash: it, or the entry before it, was changed.");
            }
            if (bySequence.TryGetValue(sequence, out var checkpoint))
            {
                if (!checkpoint.Head.AsSpan().SequenceEqual(hash))
                {
                    return Bad(expected - 1, checkedCheckpoints, lastSigned + 1,
                        $"The chain at entry {sequence} differs from the signed checkpoint: an entry after {lastSigned} was changed and the chain recomputed.");
                }
                checkedCheckpoints++;
                lastSigned = sequence;
            }
            previous = hash;
            expected++;
        }
        var count = expected - 1;
        var beyond = bySequence.Keys.Where(s => s > count).DefaultIfEmpty().Max();
        if (beyond > 0)
        {
            return Bad(count, checkedCheckpoints, count + 1, $"A checkpoint signs {beyond} entries but only {count} are stored: entries after {count} were removed.");
        }
        return new ChainReport(count, checkedCheckpoints, null, null, count - lastSigned);
    }

    private static ChainReport Bad(long entries, long checkpoints, long sequence, string problem) => new(entries, checkpoints, sequence, problem, 0);
}
