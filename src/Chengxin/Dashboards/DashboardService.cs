using System.Text.Json;
using Chengxin.Calendar;
using Chengxin.Data;
using Microsoft.EntityFrameworkCore;

namespace Chengxin.Dashboards;

public sealed record Bar(string Label, double Value);

public sealed record ProviderFigures(Guid ProviderId, string Code, string NameZh, string NameEn, int Batches, int Rows, int Accepted, int Rejected, int Revocations, double? MedianWorkingDays, double? ShareWithinRule);

public sealed record Dashboard(
    DateOnly From,
    DateOnly To,
    IReadOnlyList<ProviderFigures> Providers,
    IReadOnlyList<Bar> RecordsPerWeek,
    IReadOnlyList<Bar> RejectionsByCode,
    IReadOnlyList<Bar> Timeliness);

/// <summary>
/// Collection figures for the credit office and for each provider: what came in, what was refused and
/// why, what was revoked, and timeliness: working days from the decision to its collection (the rule is
/// at most <see cref="TimelinessRule"/>).
/// </summary>
public sealed class DashboardService(ChengxinDb db, TimeProvider clock)
{
    public const int TimelinessRule = 5;
    public const int Weeks = 12;

    public async Task<Dashboard> BuildAsync(Guid? providerId, CancellationToken cancellationToken)
    {
        var to = ChinaTime.Today(clock);
        var from = to.AddDays(-7 * Weeks + 1);
        var since = ChinaTime.At(from, TimeOnly.MinValue);

        var submissions = await db.Submissions.AsNoTracking()
            .Where(s => s.ReceivedAt >= since && (providerId == null || s.ProviderId == providerId))
            .Select(s => new { s.ProviderId, s.Rows, s.Created, s.Updated, s.Unchanged, s.Rejected, s.RejectionsByCode })
            .ToListAsync(cancellationToken);
        var records = await db.Records.AsNoTracking()
            .Where(r => r.CreatedAt >= since && (providerId == null || r.ProviderId == providerId))
            .Select(r => new { r.ProviderId, r.OccurredOn, r.CreatedAt })
            .ToListAsync(cancellationToken);
        var revocations = await db.RecordChanges.AsNoTracking()
            .Where(c => c.At >= since && c.Kind == RecordChangeKind.Revoked && (providerId == null || c.ProviderId == providerId))
            .GroupBy(c => c.ProviderId).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        var organisations = await db.Organisations.AsNoTracking().ToDictionaryAsync(o => o.Id, cancellationToken);

        var delays = records.Select(r => (r.ProviderId, Days: WorkingCalendar.Official.WorkingDaysBetween(r.OccurredOn, ChinaTime.Today(r.CreatedAt))))
            .Where(d => d.Days is not null).Select(d => (d.ProviderId, Days: d.Days!.Value)).ToList();

        var providerIds = submissions.Select(s => s.ProviderId).Concat(records.Select(r => r.ProviderId)).Concat(revocations.Keys).Distinct();
        var providers = providerIds.Where(organisations.ContainsKey).Select(id =>
        {
            var o = organisations[id];
            var own = submissions.Where(s => s.ProviderId == id).ToList();
            var days = delays.Where(d => d.ProviderId == id).Select(d => d.Days).Order().ToList();
            return new ProviderFigures(id, o.Code, o.NameZh, o.NameEn, own.Count, own.Sum(s => s.Rows), own.Sum(s => s.Created + s.Updated + s.Unchanged), own.Sum(s => s.Rejected),
                revocations.GetValueOrDefault(id), Median(days), days.Count == 0 ? null : (double)days.Count(d => d <= TimelinessRule) / days.Count);
        }).OrderByDescending(p => p.Rows).ToList();

        var weeks = Enumerable.Range(0, Weeks).Select(w => from.AddDays(7 * w)).ToList();
        var perWeek = weeks.Select(start => new Bar(start.ToString("MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            records.Count(r => ChinaTime.Today(r.CreatedAt) is var d && d >= start && d < start.AddDays(7)))).ToList();

        var byCode = submissions.SelectMany(s => JsonSerializer.Deserialize<Dictionary<string, int>>(s.RejectionsByCode) ?? [])
            .GroupBy(p => p.Key).Select(g => new Bar(g.Key, g.Sum(p => p.Value))).OrderByDescending(b => b.Value).ToList();

        var timeliness = new[] { (0, 5, "0–5"), (6, 10, "6–10"), (11, 20, "11–20"), (21, int.MaxValue, ">20") }
            .Select(b => new Bar(b.Item3, delays.Count(d => d.Days >= b.Item1 && d.Days <= b.Item2))).ToList();
        return new Dashboard(from, to, providers, perWeek, byCode, timeliness);
    }

    private static double? Median(List<int> sorted) => sorted.Count == 0 ? null
        : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2.0;
}
