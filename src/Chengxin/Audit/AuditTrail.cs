using Chengxin.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Chain = Chengxin.Audit.AuditChain;

namespace Chengxin.Audit;

/// <summary>What happened, by whom, to whom: one audit entry before it is chained.</summary>
/// <param name="Detail">A short JSON object; never an identity number or a name (entries are kept for good).</param>
public sealed record AuditEvent(string Actor, string Action, Guid? SubjectId, string Target, string Detail);

/// <summary>What an entry vouches for once its sequence is known: its detail (with their digest) and the rows written with it.</summary>
public delegate (string Detail, IReadOnlyList<object> Rows) VouchedFor(long sequence);

/// <summary>
/// Appends entries to the hash-chained audit log, in the caller's transaction so the entry and the
/// change it describes commit together or not at all. Appends are serialised (an advisory lock on
/// PostgreSQL, the write lock on SQLite), because each entry's hash covers the one before.
/// </summary>
public sealed class AuditTrail(ChengxinDb db, TimeProvider clock)
{
    private const long LockKey = 0x43_58_41_55_44_49_54; // "CXAUDIT"

    /// <summary>Makes a change and appends its entry in one transaction: both are kept or neither.</summary>
    public async Task<T> RecordAsync<T>(Func<Task<T>> change, Func<T, AuditEvent?> entry, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var result = await change();
        if (entry(result) is { } happened)
        {
            await AppendAsync(happened, cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    /// <summary>Appends one entry, with what it vouches for, in the caller's transaction or its own.</summary>
    public async Task<long> AppendAsync(AuditEvent entry, CancellationToken cancellationToken, VouchedFor? vouchedFor = null) =>
        (await AppendLockedAsync([(entry, vouchedFor)], groupCommit: false, cancellationToken)).Sequences[0];

    /// <summary>The last entry of the chain: the one the next entry's hash covers.</summary>
    public sealed record Head(long Sequence, byte[] Hash);

    /// <summary>
    /// Appends entries in order under the lock, after the head read under it, in the caller's
    /// transaction or its own. A group commit writes them and their rows in one round trip on
    /// PostgreSQL; otherwise they are saved with whatever the caller has added.
    /// </summary>
    private async Task<(IReadOnlyList<long> Sequences, Head Head)> AppendLockedAsync(IReadOnlyList<(AuditEvent Entry, VouchedFor? VouchedFor)> entries, bool groupCommit, CancellationToken cancellationToken)
    {
        IDbContextTransaction? own = null;
        if (db.Database.CurrentTransaction is null)
        {
            own = await db.Database.BeginTransactionAsync(cancellationToken);
        }
        try
        {
            if (db.Database.IsNpgsql())
            {
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({LockKey})", cancellationToken);
            }
            var last = await db.AuditEntries.AsNoTracking().OrderByDescending(e => e.Sequence)
                .Select(e => new Head(e.Sequence, e.Hash)).FirstOrDefaultAsync(cancellationToken);
            var (rows, sequences, head) = Chained(entries, last ?? new Head(0, Chain.Genesis));
            if (groupCommit && db.Database.IsNpgsql())
            {
                await BulkCopy.InsertBatchedAsync(db, rows, cancellationToken);
            }
            else
            {
                db.AddRange(rows);
            }
            await db.SaveChangesAsync(cancellationToken);
            if (own is not null)
            {
                await own.CommitAsync(cancellationToken);
            }
            return (sequences, head);
        }
        finally
        {
            if (own is not null)
            {
                await own.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// A group commit of reads on PostgreSQL. After a head the caller remembers, the lock, the entries and
    /// their rows go in one round trip that commits by itself; if another writer has appended since, the
    /// first sequence is taken, nothing is written, and the head is read under the lock as for any append.
    /// </summary>
    public async Task<(IReadOnlyList<long> Sequences, Head Head)> GroupCommitAsync(IReadOnlyList<(AuditEvent Entry, VouchedFor? VouchedFor)> entries, Head? remembered, CancellationToken cancellationToken)
    {
        if (remembered is null || !db.Database.IsNpgsql() || db.Database.CurrentTransaction is not null)
        {
            return await AppendLockedAsync(entries, groupCommit: true, cancellationToken);
        }
        var (rows, sequences, head) = Chained(entries, remembered);
        try
        {
            await BulkCopy.InsertBatchedAsync(db, rows, cancellationToken, before: $"SELECT pg_advisory_xact_lock({LockKey})");
            return (sequences, head);
        }
        catch (Npgsql.PostgresException e) when (e.SqlState == Npgsql.PostgresErrorCodes.UniqueViolation && e.ConstraintName == "PK_AuditEntries")
        {
            db.ChangeTracker.Clear();
            return await AppendLockedAsync(entries, groupCommit: true, cancellationToken);
        }
    }

    /// <summary>The entries chained after the head, each followed by the rows it vouches for.</summary>
    private (List<object> Rows, List<long> Sequences, Head Head) Chained(IReadOnlyList<(AuditEvent Entry, VouchedFor? VouchedFor)> entries, Head after)
    {
        var (sequence, previous) = (after.Sequence, after.Hash);
        var at = Chain.Truncate(clock.GetUtcNow());
        var sequences = new List<long>(entries.Count);
        var rows = new List<object>(entries.Count * 2);
        foreach (var (entry, vouchedFor) in entries)
        {
            sequence++;
            var (detail, written) = vouchedFor is null ? (entry.Detail, []) : vouchedFor(sequence);
            // Cut to the columns before hashing: a value the database cut (or refused) after would no longer verify.
            var facts = new AuditFacts(sequence, at, Columns.Fit(entry.Actor, AuditEntry.ActorLength), entry.Action, entry.SubjectId, Columns.Fit(entry.Target, AuditEntry.TargetLength), detail);
            var hash = Chain.Hash(previous, facts);
            rows.Add(new AuditEntry
            {
                Sequence = sequence,
                At = facts.At,
                Actor = facts.Actor,
                Action = facts.Action,
                SubjectId = facts.Subject,
                Target = facts.Target,
                Detail = facts.Detail,
                Hash = hash,
            });
            rows.AddRange(written);
            previous = hash;
            sequences.Add(sequence);
        }
        return (rows, sequences, new Head(sequence, previous));
    }
}
