using System.Text.Json;
using Chengxin.Calendar;
using Chengxin.Data;
using Chengxin.Imports;
using Chengxin.Records;
using Chengxin.Seeding;
using Chengxin.Subjects;
using Microsoft.EntityFrameworkCore;

namespace Chengxin.Demo;

/// <summary>
/// Twelve weeks of synthetic collection for the demo's penalty providers, so the workbench and the
/// credit office's dashboard have something true to draw: weekly batches, a few rejections, and
/// decisions collected after 1 to 12 working days (most within the rule's 5). The records go through
/// the same checks as any push; only their collection times are set back to the week they stand for.
/// </summary>
public sealed class DemoHistory(ChengxinDb db, PushService push, Submissions submissions, TimeProvider clock, ILogger<DemoHistory> logger)
{
    private const string Prefix = "DEMO-HIST-";
    private const int Weeks = 12;
    private static readonly TimeOnly MorningInChina = new(10, 0);

    // Working days from decision to collection, drawn in turn: mostly on time, some late.
    private static readonly int[] Delays = [1, 2, 2, 3, 3, 4, 5, 5, 2, 6, 8, 12];
    private static readonly string[] Domains = ["food-drug", "production-safety", "fire-safety", "environment", "product-quality", "e-commerce"];

    // Synthetic people far from the load-test seed's first indexes.
    private const int FirstPerson = 150_000_000;

    public async Task LoadAsync(IReadOnlyList<(Guid Id, string Name)> providers, CancellationToken cancellationToken)
    {
        if (await db.Records.AnyAsync(r => r.SourceId.StartsWith(Prefix), cancellationToken))
        {
            return;
        }
        var today = ChinaTime.Today(clock);
        var loaded = 0;
        for (var p = 0; p < providers.Count; p++)
        {
            var (providerId, name) = providers[p];
            for (var week = Weeks - 1; week >= 0; week--)
            {
                var collectedOn = WorkingCalendar.Official.AddWorkingDays(today.AddDays(-7 * week - 7), 1 + (week + p) % 4);
                if (collectedOn >= today)
                {
                    continue;
                }
                var batch = Enumerable.Range(0, 3 + (week + p) % 3).Select(i => Penalty(p, week, i, name, collectedOn)).ToList();
                var response = await push.PushAsync(providerId, batch, cancellationToken, synthetic: true);
                await submissions.LogPushAsync(providerId, response, cancellationToken);
                await BackdateAsync(providerId, batch, collectedOn, cancellationToken);
                loaded += response.Results.Count(r => r.Status == PushResult.Created);
            }
        }
        logger.LogInformation("Demo collection history: {Records} records over {Weeks} weeks", loaded, Weeks);
    }

    /// <summary>A penalty decided some working days before the batch; every fifth carries an identity number with a wrong check digit.</summary>
    private static IncomingRecord Penalty(int provider, int week, int i, string authority, DateOnly collectedOn)
    {
        var n = (provider * Weeks + week) * 8 + i;
        var delay = Delays[n % Delays.Length];
        var decided = collectedOn;
        for (var left = delay; left > 0;)
        {
            decided = decided.AddDays(-1);
            left -= WorkingCalendar.Official.IsWorkingDay(decided) ? 1 : 0;
        }
        var number = SyntheticSeed.Number(FirstPerson + n);
        if (n % 5 == 4)
        {
            number = number[..^1] + (number[^1] == '0' ? '1' : '0');
        }
        var fields = JsonSerializer.SerializeToElement(new
        {
            decisionNo = $"湘演示罚〔{decided.Year}〕{n:D4}号",
            authority,
            domain = Domains[n % Domains.Length],
            violation = "合成演示数据，非真实信息。",
            legalProvision = "《中华人民共和国行政处罚法》",
            penaltyType = "fine",
            fineAmount = 500 + n % 20 * 250,
            severity = n % 7 == 0 ? "serious" : "general",
        });
        return new IncomingRecord(i, $"{Prefix}{provider}-{week}-{i}", "admin-penalty", new SubjectInput("resident-id", number, SyntheticSeed.Name(n)), decided, fields, []);
    }

    /// <summary>
    /// The demo's own records, as if each was collected two working days after its decision (not all on the day the
    /// demo was loaded, which would make every provider years late). Setting the same times again changes nothing.
    /// </summary>
    public async Task CollectedOnTimeAsync(IEnumerable<(Guid ProviderId, string SourceId, DateOnly OccurredOn)> records, CancellationToken cancellationToken)
    {
        var today = ChinaTime.Today(clock);
        foreach (var (providerId, sourceId, occurredOn) in records)
        {
            // Two working days where the holiday calendar covers the year; two days otherwise.
            var collectedOn = WorkingCalendar.Official.Years.Contains(occurredOn.Year) && WorkingCalendar.Official.Years.Contains(occurredOn.Year + 1)
                ? WorkingCalendar.Official.AddWorkingDays(occurredOn, 2)
                : occurredOn.AddDays(2);
            var at = ChinaTime.At(collectedOn < today ? collectedOn : today, MorningInChina);
            await db.Records.Where(r => r.ProviderId == providerId && r.SourceId == sourceId && r.CreatedAt > at)
                .ExecuteUpdateAsync(u => u.SetProperty(r => r.CreatedAt, at).SetProperty(r => r.UpdatedAt, at), cancellationToken);
        }
    }

    /// <summary>Sets the batch's submission and records back to the day they stand for, at ten in the morning in China.</summary>
    private async Task BackdateAsync(Guid providerId, IReadOnlyList<IncomingRecord> batch, DateOnly collectedOn, CancellationToken cancellationToken)
    {
        var at = ChinaTime.At(collectedOn, MorningInChina);
        var sourceIds = batch.Select(r => r.SourceId!).ToList();
        await db.Records.Where(r => r.ProviderId == providerId && sourceIds.Contains(r.SourceId))
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.CreatedAt, at).SetProperty(r => r.UpdatedAt, at), cancellationToken);
        var latest = await db.Submissions.Where(s => s.ProviderId == providerId).OrderByDescending(s => s.ReceivedAt).Select(s => s.Id).FirstAsync(cancellationToken);
        await db.Submissions.Where(s => s.Id == latest)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.ReceivedAt, at).SetProperty(s => s.FinishedAt, at), cancellationToken);
    }
}
