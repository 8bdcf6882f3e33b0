using Chengxin.Crypto;
using Chengxin.Data;
using Microsoft.EntityFrameworkCore;

namespace Chengxin.Audit;

/// <summary><c>Audit:*</c>: how often the chain's head is signed.</summary>
public sealed class AuditOptions
{
    public const string Section = "Audit";

    /// <summary>Sign a checkpoint once this many entries have been added since the last one…</summary>
    public int CheckpointEvery { get; set; } = 1000;

    /// <summary>…or this many seconds have passed with at least one new entry.</summary>
    public int CheckpointSeconds { get; set; } = 60;
}

/// <summary>Signs the chain's current head with the checkpoint key, which lives in configuration and never in the database.</summary>
public sealed class AuditCheckpoints(ChengxinDb db, CheckpointKeys keys, TimeProvider clock)
{
    /// <summary>Signs the head if it moved since the last checkpoint; returns the new checkpoint, or null when there was nothing new.</summary>
    public async Task<AuditCheckpoint?> SignHeadAsync(CancellationToken cancellationToken)
    {
        var signer = keys.Signer ?? throw new InvalidOperationException("No checkpoint signing key is configured (Keys:AuditSigning).");
        var head = await db.AuditEntries.AsNoTracking().OrderByDescending(e => e.Sequence).Select(e => new { e.Sequence, e.Hash }).FirstOrDefaultAsync(cancellationToken);
        var last = await db.AuditCheckpoints.AsNoTracking().MaxAsync(c => (long?)c.Sequence, cancellationToken) ?? 0;
        if (head is null || head.Sequence <= last)
        {
            return null;
        }
        var at = AuditChain.Truncate(clock.GetUtcNow());
        var checkpoint = new AuditCheckpoint
        {
            Sequence = head.Sequence,
            Head = head.Hash,
            At = at,
            Signature = signer.Sign(AuditChain.CheckpointMessage(head.Sequence, head.Hash, at)).ToString(),
        };
        db.AuditCheckpoints.Add(checkpoint);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another signer (the scheduled job, or an operator's `audit checkpoint`) signed this length first.
            db.ChangeTracker.Clear();
            return null;
        }
        return checkpoint;
    }

    /// <summary>How many entries were added since the last checkpoint, and since when the oldest of them has waited for a signature.</summary>
    public async Task<(long Unsigned, DateTimeOffset? WaitingSince)> LagAsync(CancellationToken cancellationToken)
    {
        var last = await db.AuditCheckpoints.AsNoTracking().MaxAsync(c => (long?)c.Sequence, cancellationToken) ?? 0;
        var head = await db.AuditEntries.AsNoTracking().MaxAsync(e => (long?)e.Sequence, cancellationToken) ?? 0;
        var waitingSince = head > last
            ? await db.AuditEntries.AsNoTracking().Where(e => e.Sequence == last + 1).Select(e => (DateTimeOffset?)e.At).SingleOrDefaultAsync(cancellationToken)
            : null;
        return (head - last, waitingSince);
    }
}

/// <summary>Signs checkpoints every N entries or T seconds, on one node at a time (a database lease).</summary>
public sealed class AuditCheckpointer(IServiceScopeFactory scopes, AuditOptions options, TimeProvider clock, ILogger<AuditCheckpointer> logger) : BackgroundService
{
    private readonly string _holder = $"{Environment.MachineName}/{Guid.NewGuid():N}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var poll = TimeSpan.FromSeconds(Math.Clamp(options.CheckpointSeconds / 4.0, 0.2, 15));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<ChengxinDb>();
                var now = clock.GetUtcNow();
                if (await Leases.TryTakeAsync(db, "audit-checkpoints", _holder, now, poll * 4, stoppingToken))
                {
                    var checkpoints = scope.ServiceProvider.GetRequiredService<AuditCheckpoints>();
                    var (unsigned, waitingSince) = await checkpoints.LagAsync(stoppingToken);
                    if (unsigned >= options.CheckpointEvery || (waitingSince is { } since && now - since >= TimeSpan.FromSeconds(options.CheckpointSeconds)))
                    {
                        await checkpoints.SignHeadAsync(stoppingToken);
                    }
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Signing an audit checkpoint failed; retrying");
            }
            await Task.Delay(poll, clock, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }
}
