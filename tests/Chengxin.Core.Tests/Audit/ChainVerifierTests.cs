using Chengxin.Audit;
using Chengxin.Crypto;

namespace Chengxin.Core.Tests.Audit;

/// <summary>Every kind of tampering with a stored chain is found, and named by the first entry it touched.</summary>
public sealed class ChainVerifierTests
{
    private static readonly SigningKey Key = SigningKey.FromPrivate(SigningKey.Ed25519, "a1", SigningKey.GeneratePrivate(SigningKey.Ed25519));
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);

    private readonly ChainVerifier _verifier = new(new CheckpointKeys(null, [Key.Public]));

    /// <summary>A chain of <paramref name="count"/> entries, and checkpoints signed at the given lengths.</summary>
    private static (List<StoredEntry> Entries, List<Checkpoint> Checkpoints) Chain(int count, params int[] checkpointsAt)
    {
        var entries = Build(Enumerable.Range(1, count).Select(Facts));
        var checkpoints = checkpointsAt.Select(n => Sign(n, entries[n - 1].Hash)).ToList();
        return (entries, checkpoints);
    }

    private static AuditFacts Facts(int sequence) => new(sequence, Start.AddSeconds(sequence), "client:court", "records.push", Guid.CreateVersion7(), $"submission/{sequence}", $"{{\"created\":{sequence}}}");

    private static List<StoredEntry> Build(IEnumerable<AuditFacts> facts)
    {
        var previous = AuditChain.Genesis;
        var entries = new List<StoredEntry>();
        foreach (var fact in facts)
        {
            previous = AuditChain.Hash(previous, fact);
            entries.Add(new StoredEntry(fact, previous));
        }
        return entries;
    }

    private static Checkpoint Sign(long sequence, byte[] head)
    {
        var at = Start.AddHours(1);
        return new Checkpoint(sequence, head, at, Key.Sign(AuditChain.CheckpointMessage(sequence, head, at)));
    }

    [Fact]
    public void AnUntouchedChainIsIntact()
    {
        var (entries, checkpoints) = Chain(20, 10, 20);

        var report = _verifier.Verify(entries, checkpoints);

        Assert.True(report.Intact, report.Problem);
        Assert.Equal(20, report.EntriesChecked);
        Assert.Equal(2, report.CheckpointsChecked);
        Assert.Equal(0, report.UnsignedTail);
    }

    [Fact]
    public void EntriesAfterTheLastCheckpointAreCountedAsUnsigned()
    {
        var (entries, checkpoints) = Chain(20, 10);

        var report = _verifier.Verify(entries, checkpoints);

        Assert.True(report.Intact);
        Assert.Equal(10, report.UnsignedTail);
    }

    [Fact]
    public void AFlippedByteInAnEntryIsNamed()
    {
        var (entries, checkpoints) = Chain(20, 20);

        entries[6] = entries[6] with { Facts = entries[6].Facts with { Detail = "{\"created\":8}" } };

        var report = _verifier.Verify(entries, checkpoints);
        Assert.Equal(7, report.FirstBadSequence);
        Assert.Contains("Entry 7", report.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void AFlippedByteInAStoredHashIsNamed()
    {
        var (entries, checkpoints) = Chain(20, 20);

        var hash = entries[11].Hash.ToArray();
        hash[0] ^= 0x01;
        entries[11] = entries[11] with { Hash = hash };

        Assert.Equal(12, _verifier.Verify(entries, checkpoints).FirstBadSequence);
    }

    [Fact]
    public void ADeletedEntryIsNamed()
    {
        var (entries, checkpoints) = Chain(20, 20);

        entries.RemoveAt(4);

        var report = _verifier.Verify(entries, checkpoints);
        Assert.Equal(5, report.FirstBadSequence);
        Assert.Contains("Entry 5 is missing", report.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void TwoSwappedEntriesAreFound()
    {
        var (entries, checkpoints) = Chain(20, 20);

        // Swapping the contents keeps the sequence numbers in order; only the hashes tell.
        (entries[3], entries[8]) = (entries[3] with { Facts = entries[8].Facts with { Sequence = 4 } }, entries[8] with { Facts = entries[3].Facts with { Sequence = 9 } });

        Assert.Equal(4, _verifier.Verify(entries, checkpoints).FirstBadSequence);
    }

    [Fact]
    public void ATruncatedTailIsCaughtByTheCheckpoint()
    {
        var (entries, checkpoints) = Chain(20, 10, 20);

        entries.RemoveRange(15, 5);

        var report = _verifier.Verify(entries, checkpoints);
        Assert.False(report.Intact);
        Assert.Equal(16, report.FirstBadSequence);
        Assert.Contains("removed", report.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void AChainRecomputedFromAnEntryOnIsCaughtByTheSignedCheckpoint()
    {
        var (entries, checkpoints) = Chain(20, 10, 20);

        // The attacker edits entry 14 and recomputes every hash after it: stored hashes agree again.
        var facts = entries.Select(e => e.Facts).ToList();
        facts[13] = facts[13] with { Detail = "{\"created\":0}" };
        var recomputed = Build(facts);

        var report = _verifier.Verify(recomputed, checkpoints);
        Assert.False(report.Intact);
        Assert.Equal(11, report.FirstBadSequence);
        Assert.Contains("signed checkpoint", report.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void ACheckpointSignedByAnotherKeyIsRefused()
    {
        var (entries, _) = Chain(10);
        var impostor = SigningKey.FromPrivate(SigningKey.Ed25519, "a1", SigningKey.GeneratePrivate(SigningKey.Ed25519));
        var at = Start;
        var forged = new Checkpoint(10, entries[9].Hash, at, impostor.Sign(AuditChain.CheckpointMessage(10, entries[9].Hash, at)));

        var report = _verifier.Verify(entries, [forged]);

        Assert.Contains("invalid signature", report.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void EntryHashesAreDomainSeparatedAndLengthPrefixed()
    {
        var a = Facts(1) with { Actor = "ab", Action = "c" };
        var b = a with { Actor = "a", Action = "bc" };

        Assert.NotEqual(AuditChain.Hash(AuditChain.Genesis, a), AuditChain.Hash(AuditChain.Genesis, b));
    }
}
