using System.Text.Json;
using Chengxin.Data;
using Microsoft.EntityFrameworkCore;

namespace Chengxin.Audit;

/// <summary>
/// Keeps query registrations for their ten years and no longer: a daily job, on one node at a time,
/// deletes older ones (the database refuses any younger deletion) and writes an audit entry saying
/// how many went. The audit entries themselves are kept: they hold no personal data beyond ids.
/// </summary>
public sealed class Retention(ChengxinDb db, AuditTrail audit, TimeProvider clock)
{
    public static readonly int QueryRegistrationYears = 10;

    /// <summary>The oldest moment a registration is still kept at <paramref name="now"/>.</summary>
    public static DateTimeOffset KeptSince(DateTimeOffset now) => now.AddYears(-QueryRegistrationYears);

    public async Task<int> PurgeAsync(string actor, CancellationToken cancellationToken)
    {
        var before = KeptSince(clock.GetUtcNow()).AddDays(-1);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var purged = await db.QueryRegistrations.Where(q => q.At < before).ExecuteDeleteAsync(cancellationToken);
        if (purged > 0)
        {
            await audit.AppendAsync(new AuditEvent(actor, "retention.purge", null, "query-registrations",
                JsonSerializer.Serialize(new { purged, before, years = QueryRegistrationYears })), cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return purged;
    }
}

/// <summary>Runs the retention purges once a day, on one node (a database lease): query registrations past ten years, records past theirs.</summary>
public sealed class RetentionJob(IServiceScopeFactory scopes, TimeProvider clock, ILogger<RetentionJob> logger) : BackgroundService
{
    private readonly string _holder = $"{Environment.MachineName}/{Guid.NewGuid():N}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<ChengxinDb>();
                if (await Leases.TryTakeAsync(db, "retention", _holder, clock.GetUtcNow(), TimeSpan.FromHours(23), stoppingToken))
                {
                    var purged = await scope.ServiceProvider.GetRequiredService<Retention>().PurgeAsync(Actors.System("retention"), stoppingToken);
                    logger.LogInformation("Retention: {Purged} query registrations past {Years} years deleted", purged, Retention.QueryRegistrationYears);
                    var records = await scope.ServiceProvider.GetRequiredService<Archive.RecordPurge>().PurgeAsync(Actors.System("retention"), stoppingToken);
                    logger.LogInformation("Retention: {Purged} records past their retention deleted", records);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "The retention purge failed; it runs again in an hour");
                await Task.Delay(TimeSpan.FromHours(1), clock, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
                continue;
            }
            await Task.Delay(TimeSpan.FromHours(24), clock, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }
}
