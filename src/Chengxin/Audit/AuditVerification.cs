using System.Runtime.CompilerServices;
using System.Text.Json;
using Chengxin.Crypto;
using Chengxin.Data;
using Microsoft.EntityFrameworkCore;

namespace Chengxin.Audit;

/// <summary>
/// Verifies the stored audit log: the chain against the signed checkpoints (those in the database
/// and any kept elsewhere), then every query entry against the registrations it vouches for.
/// </summary>
public sealed class AuditVerification(ChengxinDb db, CheckpointKeys keys)
{
    public async Task<ChainReport> VerifyAsync(IReadOnlyList<Checkpoint> external, CancellationToken cancellationToken)
    {
        var stored = await db.AuditCheckpoints.AsNoTracking().OrderBy(c => c.Sequence).ToListAsync(cancellationToken);
        var checkpoints = new List<Checkpoint>();
        foreach (var c in stored)
        {
            if (!SignatureValue.TryParse(c.Signature, out var signature))
            {
                return new ChainReport(0, 0, c.Sequence, $"The checkpoint at entry {c.Sequence} has an unreadable signature.", 0);
            }
            checkpoints.Add(new Checkpoint(c.Sequence, c.Head, c.At, signature));
        }
        // A checkpoint kept outside must match the database's at the same length, or be missing from it.
        foreach (var e in external)
        {
            var same = checkpoints.Find(c => c.Sequence == e.Sequence);
            if (same is not null && !same.Head.AsSpan().SequenceEqual(e.Head))
            {
                return new ChainReport(0, 0, e.Sequence, $"The stored checkpoint at entry {e.Sequence} differs from the one kept outside.", 0);
            }
        }
        checkpoints.AddRange(external.Where(e => checkpoints.TrueForAll(c => c.Sequence != e.Sequence)));

        var verifier = new ChainVerifier(keys);
        var report = await verifier.VerifyAsync(EntriesAsync(cancellationToken), checkpoints, cancellationToken);
        if (!report.Intact)
        {
            return report;
        }
        // Page by page: a second query cannot run while a reader is still open on the same connection.
        long after = 0;
        while (true)
        {
            var page = await db.AuditEntries.AsNoTracking().Where(e => e.Action == QueryLog.Action && e.Sequence > after).OrderBy(e => e.Sequence)
                .Take(1000).Select(e => new { e.Sequence, e.Detail, e.At }).ToListAsync(cancellationToken);
            var keptSince = Retention.KeptSince(DateTimeOffset.UtcNow);
            foreach (var entry in page)
            {
                if (entry.At < keptSince)
                {
                    // Its registrations are past their retention and may have been purged; the chain still vouches for the entry.
                    continue;
                }
                var rows = await db.QueryRegistrations.AsNoTracking().Where(q => q.AuditSequence == entry.Sequence).ToListAsync(cancellationToken);
                var expected = JsonDocument.Parse(entry.Detail).RootElement;
                var count = expected.GetProperty("registrations").GetInt32();
                if (rows.Count != count || QueryLog.Digest(rows) != expected.GetProperty("digest").GetString())
                {
                    return report with { FirstBadSequence = entry.Sequence, Problem = $"The query registrations of entry {entry.Sequence} were changed or removed ({rows.Count} stored, {count} registered)." };
                }
            }
            if (page.Count < 1000)
            {
                break;
            }
            after = page[^1].Sequence;
        }
        return report;
    }

    /// <summary>Every checkpoint with the public keys that verify it, to hand to another party who keeps them.</summary>
    public async Task<(IReadOnlyList<AuditCheckpoint> Checkpoints, IReadOnlyCollection<VerificationKey> Keys)> ExportAsync(CancellationToken cancellationToken) =>
        (await db.AuditCheckpoints.AsNoTracking().OrderBy(c => c.Sequence).ToListAsync(cancellationToken), keys.Verifiers);

    private async IAsyncEnumerable<StoredEntry> EntriesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Streamed in order in pages, so a long chain is verified in constant memory per page.
        long after = 0;
        while (true)
        {
            var page = await db.AuditEntries.AsNoTracking().Where(e => e.Sequence > after).OrderBy(e => e.Sequence).Take(5000).ToListAsync(cancellationToken);
            foreach (var e in page)
            {
                yield return new StoredEntry(new AuditFacts(e.Sequence, e.At, e.Actor, e.Action, e.SubjectId, e.Target, e.Detail), e.Hash);
            }
            if (page.Count < 5000)
            {
                yield break;
            }
            after = page[^1].Sequence;
        }
    }
}
