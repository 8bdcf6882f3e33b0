using System.Collections.Concurrent;
using System.Data.Common;
using System.Threading.RateLimiting;
using Chengxin.Data;
using Microsoft.EntityFrameworkCore;

namespace Chengxin.Operations;

/// <summary>
/// Fixed one-minute windows counted across every node: each node counts locally and, every second,
/// adds what it counted to the shared row of the window (<c>RateWindows</c>) and learns the total.
/// A caller is refused once the last known total of the other nodes plus this node's count reaches
/// the limit, so with several nodes the allowance holds to within a second's traffic.
/// </summary>
public sealed class SharedRateCounters(IServiceScopeFactory scopes, TimeProvider clock, ILogger<SharedRateCounters> logger)
{
    private sealed class Window
    {
        public int Local;
        public int Synced;
        public long Total;
    }

    private readonly ConcurrentDictionary<(string Key, long Minute), Window> _windows = new();
    private long _forgotten;

    public long CurrentMinute => clock.GetUtcNow().ToUnixTimeSeconds() / 60;

    /// <summary>Takes one permit for <paramref name="key"/>, or says how long until its window ends.</summary>
    public (bool Acquired, TimeSpan RetryAfter) TryAcquire(string key, int limit)
    {
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        var minute = now / 60;
        var window = _windows.GetOrAdd((key, minute), _ => new Window());
        lock (window)
        {
            var others = window.Total - window.Synced;
            if (others + window.Local >= limit)
            {
                return (false, TimeSpan.FromSeconds(Math.Max(1, ((minute + 1) * 60) - now)));
            }
            window.Local++;
            return (true, TimeSpan.Zero);
        }
    }

    /// <summary>Adds this node's new counts to the shared rows and reads back the totals; forgets windows past.</summary>
    public async Task SyncAsync(CancellationToken cancellationToken)
    {
        var current = CurrentMinute;
        foreach (var old in _windows.Keys.Where(k => k.Minute < current - 1))
        {
            _windows.TryRemove(old, out _);
        }
        var pending = _windows.Select(p => (p.Key, p.Value, Delta: Volatile.Read(ref p.Value.Local) - p.Value.Synced)).Where(p => p.Delta > 0).ToList();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ChengxinDb>();
        await db.Database.OpenConnectionAsync(cancellationToken);
        var connection = db.Database.GetDbConnection();
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var ((key, minute), window, delta) in pending)
        {
            var total = await AddAsync(connection, transaction, key, minute, delta, cancellationToken);
            lock (window)
            {
                window.Synced += delta;
                window.Total = total;
            }
        }
        // What the other nodes counted this minute, including callers this node has not seen yet.
        await using (var read = Execute(connection, transaction, "SELECT \"Key\", \"Count\" FROM \"RateWindows\" WHERE \"Minute\" = @m", ("m", current)))
        await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var window = _windows.GetOrAdd((reader.GetString(0), current), _ => new Window());
                lock (window)
                {
                    window.Total = Math.Max(window.Total, reader.GetInt64(1));
                }
            }
        }
        // Rows of windows past are deleted once a minute, not every round.
        if (current > _forgotten)
        {
            await using var forget = Execute(connection, transaction, "DELETE FROM \"RateWindows\" WHERE \"Minute\" < @m", ("m", current - 2));
            await forget.ExecuteNonQueryAsync(cancellationToken);
            _forgotten = current;
        }
        await transaction.CommitAsync(cancellationToken);
        logger.LogDebug("Rate counters: {Count} windows added to", pending.Count);
    }

    private static async Task<long> AddAsync(DbConnection connection, DbTransaction transaction, string key, long minute, int delta, CancellationToken cancellationToken)
    {
        // The same upsert on both databases; RETURNING gives the total all nodes have added.
        await using var command = Execute(connection, transaction, """
            INSERT INTO "RateWindows" ("Key", "Minute", "Count") VALUES (@k, @m, @d)
            ON CONFLICT ("Key", "Minute") DO UPDATE SET "Count" = "RateWindows"."Count" + excluded."Count"
            RETURNING "Count"
            """, ("k", key), ("m", minute), ("d", delta));
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static DbCommand Execute(DbConnection connection, DbTransaction transaction, string sql, params (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }
        return command;
    }
}

/// <summary>Synchronises the shared counters every <c>RateLimits:SyncMilliseconds</c>.</summary>
public sealed class RateCounterSync(SharedRateCounters counters, Microsoft.Extensions.Options.IOptions<RateLimitOptions> options, TimeProvider clock, ILogger<RateCounterSync> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await counters.SyncAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Counting goes on locally; the next round adds what this one could not.
                logger.LogWarning(e, "Synchronising the rate counters failed");
            }
            await Task.Delay(TimeSpan.FromMilliseconds(options.Value.SyncMilliseconds), clock, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }
}

/// <summary>One caller's limiter over the shared counters.</summary>
public sealed class SharedWindowLimiter(SharedRateCounters counters, string key, int limit) : RateLimiter
{
    private long _lastUsed = DateTime.UtcNow.Ticks;

    public override TimeSpan? IdleDuration => TimeSpan.FromTicks(DateTime.UtcNow.Ticks - Interlocked.Read(ref _lastUsed));

    public override RateLimiterStatistics? GetStatistics() => null;

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        Interlocked.Exchange(ref _lastUsed, DateTime.UtcNow.Ticks);
        var (acquired, retryAfter) = counters.TryAcquire(key, limit);
        return new Lease(acquired, retryAfter);
    }

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AttemptAcquireCore(permitCount));

    private sealed class Lease(bool acquired, TimeSpan retryAfter) : RateLimitLease
    {
        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => acquired ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = !acquired && metadataName == MetadataName.RetryAfter.Name ? retryAfter : null;
            return metadata is not null;
        }
    }
}
