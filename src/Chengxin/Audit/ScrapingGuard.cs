using System.Text.Json;
using Chengxin.Clients;
using Chengxin.Data;
using Microsoft.EntityFrameworkCore;

namespace Chengxin.Audit;

/// <summary><c>Scraping:*</c>: how much person-by-person reading a system may do in a window before it is suspended.</summary>
public sealed class ScrapingOptions
{
    public const string Section = "Scraping";

    public int WindowMinutes { get; set; } = 60;

    /// <summary>Distinct people a system may query (reports, sharing) in the window.</summary>
    public int DistinctSubjects { get; set; } = 500;

    /// <summary>Queries about unknown people or refused for want of authorisation: a high count marks enumeration.</summary>
    public int Misses { get; set; } = 50;

    /// <summary>Requests among a system's last twenty for one district and birth date: more marks a walk through the sequence codes.</summary>
    public int SequentialRun { get; set; } = 5;

    /// <summary>Off hours in China, from this hour (inclusive) to that hour (exclusive), wrapping past midnight.</summary>
    public int OffHoursFrom { get; set; } = 22;

    public int OffHoursTo { get; set; } = 6;

    /// <summary>People a system may query in the window while it is off hours: office systems are quiet at night.</summary>
    public int OffHoursQueries { get; set; } = 50;

    public bool IsOffHours(DateTimeOffset now)
    {
        var hour = now.ToOffset(Calendar.ChinaTime.Offset).Hour;
        return OffHoursFrom <= OffHoursTo ? hour >= OffHoursFrom && hour < OffHoursTo : hour >= OffHoursFrom || hour < OffHoursTo;
    }
}

/// <summary>
/// Detects bulk reading by a system: too many distinct people in a window, or too many misses
/// (unknown people, refused queries), which is what enumerating identity numbers looks like. The
/// system is suspended at once (its tokens stop working), the credit office gets an alert, and
/// both are audited.
/// </summary>
public sealed class ScrapingGuard(ChengxinDb db, IServiceScopeFactory scopes, AuditTrail audit, SequenceWatch sequences, ScrapingOptions options, TimeProvider clock, ILogger<ScrapingGuard> logger)
{
    /// <summary>Checks the actor after a query for <paramref name="idNumber"/>; true when it has just been suspended.</summary>
    public async Task<bool> SuspendIfScrapingAsync(string actor, string? idNumber, CancellationToken cancellationToken)
    {
        if (!actor.StartsWith("client:", StringComparison.Ordinal))
        {
            return false;
        }
        if (sequences.Observe(actor, idNumber))
        {
            sequences.Forget(actor);
            await SuspendAsync(actor, "sequential-numbers", JsonSerializer.Serialize(new { sequentialRun = options.SequentialRun }), cancellationToken);
            return true;
        }
        var since = clock.GetUtcNow().AddMinutes(-options.WindowMinutes);
        var reads = db.QueryRegistrations.AsNoTracking().Where(q => q.Actor == actor && q.At >= since && q.Channel == "api"
            && (q.Basis.StartsWith("authorisation:") || q.Basis.StartsWith("legal:") || q.Basis.StartsWith("refused:")));
        var distinct = await reads.Select(q => q.SubjectId).Distinct().CountAsync(cancellationToken);
        var misses = await reads.CountAsync(q => q.Basis.StartsWith("refused:"), cancellationToken)
            + await db.AuditEntries.AsNoTracking().CountAsync(e => e.Actor == actor && e.At >= since && e.Action == QueryLog.Miss, cancellationToken);
        if (options.IsOffHours(clock.GetUtcNow()) && distinct > options.OffHoursQueries)
        {
            await SuspendAsync(actor, "off-hours-burst", JsonSerializer.Serialize(new { distinct, offHoursAllowed = options.OffHoursQueries }), cancellationToken);
            return true;
        }
        if (distinct <= options.DistinctSubjects && misses <= options.Misses)
        {
            return false;
        }
        await SuspendAsync(actor, "bulk-reading",
            JsonSerializer.Serialize(new { distinct, misses, windowMinutes = options.WindowMinutes, distinctAllowed = options.DistinctSubjects, missesAllowed = options.Misses }), cancellationToken);
        return true;
    }

    private async Task SuspendAsync(string actor, string kind, string detail, CancellationToken cancellationToken)
    {
        var clientId = actor["client:".Length..];
        // In a scope of its own: this request's context already tracks the client's token, which revoking deletes.
        await using (var scope = scopes.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ClientService>().RevokeAsync(clientId, Actors.System("scraping-guard"), cancellationToken);
        }
        db.SecurityAlerts.Add(new SecurityAlert { At = clock.GetUtcNow(), Actor = actor, Kind = kind, Detail = detail });
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(new AuditEvent(Actors.System("scraping-guard"), "client.suspend", null, actor, detail), cancellationToken);
        logger.LogWarning("Suspended {Actor} for {Kind}: {Detail}", actor, kind, detail);
    }
}
