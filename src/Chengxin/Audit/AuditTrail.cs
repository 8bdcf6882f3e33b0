using Chengxin.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Chain = Chengxin.Audit.AuditChain;

namespace Chengxin.Audit;

/// <summary>What happened, by whom, to whom: one audit entry before it is chained.</summary>
/// <param name="Detail">A short JSON object; never an identity number or a name (entries are kept for good).</param>
public sealed record AuditEvent(string Actor, string Action, Guid? SubjectId, string Target, string Detail);

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

    /// <summary>Appends one entry; <paramref name="beforeAppend"/> runs under the lock with the entry's sequence, to write what the entry vouches for.</summary>
    public async Task<long> AppendAsync(AuditEvent entry, CancellationToken cancellationToken, Func<long, Task<string>>? beforeAppend = null) =>
        (await AppendManyAsync([(entry, beforeAppend)], cancellationToken))[0];

    /// <summary>
    /// Appends entries in order under one lock and one transaction (the caller's, or its own); returns
    /// their sequences. <paramref name="beforeCommit"/> writes what the entries vouch for, under the lock.
    /// </summary>
    public async Task<IReadOnlyList<long>> AppendManyAsync(IReadOnlyList<(AuditEvent Entry, Func<long, Task<string>>? BeforeAppend)> entries, CancellationToken cancellationToken,
        Func<Task>? beforeCommit = null)
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
                .Select(e => new { e.Sequence, e.Hash }).FirstOrDefaultAsync(cancellationToken);
            var (sequence, previous) = (last?.Sequence ?? 0, last?.Hash ?? Chain.Genesis);
            var at = Chain.Truncate(clock.GetUtcNow());
            var sequences = new List<long>(entries.Count);
            var rows = new List<AuditEntry>(entries.Count);
            foreach (var (entry, beforeAppend) in entries)
            {
                sequence++;
                var detail = beforeAppend is null ? entry.Detail : await beforeAppend(sequence);
                var facts = new AuditFacts(sequence, at, entry.Actor, entry.Action, entry.SubjectId, entry.Target, detail);
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
                previous = hash;
                sequences.Add(sequence);
            }
            // A group commit goes by COPY; a single entry is saved with whatever its caller added.
            if (beforeCommit is not null && db.Database.IsNpgsql())
            {
                await BulkCopy.InsertBatchedAsync(db, rows, cancellationToken);
            }
            else
            {
                db.AuditEntries.AddRange(rows);
            }
            if (beforeCommit is not null)
            {
                await beforeCommit();
            }
            await db.SaveChangesAsync(cancellationToken);
            if (own is not null)
            {
                await own.CommitAsync(cancellationToken);
            }
            return sequences;
        }
        finally
        {
            if (own is not null)
            {
                await own.DisposeAsync();
            }
        }
    }
}
