using System.Text.Json;
using Chengxin.Audit;
using Chengxin.Calendar;
using Chengxin.Catalog;
using Chengxin.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Chengxin.Archive;

public sealed class RetentionOptions
{
    /// <summary>Years a record no longer shown is kept from the end of its act (Credit Reporting Industry Regulation art. 16).</summary>
    public int RecordYears { get; set; } = RecordRetention.DefaultYears;
}

/// <summary>
/// Deletes records past their retention (<see cref="RecordRetention"/>): their versions, their
/// change-log rows and the record itself go in one transaction with an audit entry naming them,
/// and a content-free "purged" change tells every receiver to delete its copy.
/// </summary>
public sealed class RecordPurge(ChengxinDb db, CatalogStore catalog, AuditTrail audit, TimeProvider clock, IOptions<RetentionOptions> options)
{
    public const int BatchSize = 500;

    public async Task<int> PurgeAsync(string actor, CancellationToken cancellationToken)
    {
        var items = await catalog.ByCodeAsync(cancellationToken);
        var collected = await catalog.ByVersionAsync(cancellationToken);
        var today = ChinaTime.Today(clock);
        var years = options.Value.RecordYears;
        // Nothing decided within the retention can be due: the rule keeps every record that long from its act.
        var decidedBy = today.AddYears(-years);
        var (purged, kept) = (0, 0);
        while (true)
        {
            // Purged rows leave the candidates, so the offset only skips those kept (still shown).
            var batch = await (from r in db.Records.AsNoTracking()
                               join v in db.RecordVersions.AsNoTracking() on new { RecordId = r.Id, Number = r.CurrentVersion } equals new { v.RecordId, v.Number }
                               where r.OccurredOn <= decidedBy
                               orderby r.Id
                               select new { Record = r, v.Fields }).Skip(kept).Take(BatchSize).ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                return purged;
            }
            // Judged as the archive judges it: by the catalog version the record was collected under.
            var due = batch.Where(row => ArchiveService.AsCollected(items.GetValueOrDefault(row.Record.ItemCode)?.Item, collected, row.Record.CatalogVersion, row.Record.ItemCode) is { } item
                    && Due(item, row.Record, row.Fields, today, years))
                .Select(row => row.Record).ToList();
            kept += batch.Count - due.Count;
            if (due.Count > 0)
            {
                await DeleteAsync(due, actor, years, cancellationToken);
                purged += due.Count;
            }
        }
    }

    private static bool Due(CatalogItem item, CreditRecord record, string fields, DateOnly today, int years)
    {
        var parsed = JsonElement.Parse(fields);
        var actEnded = DisplayPeriod.ActEnded(parsed);
        var display = DisplayPeriod.Evaluate(item, record.OccurredOn, actEnded, record.Grade, record.Status == RecordStatus.Revoked, record.Status == RecordStatus.Repaired, today, parsed);
        DateOnly? stopped = record.Status == RecordStatus.Active ? null : ChinaTime.Today(record.RevokedAt ?? record.UpdatedAt);
        return RecordRetention.Purgeable(display, record.OccurredOn, actEnded, stopped, years, today);
    }

    private async Task DeleteAsync(IReadOnlyList<CreditRecord> records, string actor, int years, CancellationToken cancellationToken)
    {
        var ids = records.Select(r => r.Id).ToList();
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.RecordChanges.Where(c => ids.Contains(c.RecordId)).ExecuteDeleteAsync(cancellationToken);
        await db.RecordVersions.Where(v => ids.Contains(v.RecordId)).ExecuteDeleteAsync(cancellationToken);
        await db.Records.Where(r => ids.Contains(r.Id)).ExecuteDeleteAsync(cancellationToken);
        db.RecordChanges.AddRange(records.Select(r => new RecordChange
        {
            RecordId = r.Id,
            ProviderId = r.ProviderId,
            ItemCode = r.ItemCode,
            Kind = RecordChangeKind.Purged,
            Version = r.CurrentVersion,
            SourceId = r.SourceId,
            At = now,
        }));
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(new AuditEvent(actor, "retention.purge", null, "records",
            JsonSerializer.Serialize(new { purged = ids.Count, years, records = ids })), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
    }
}
