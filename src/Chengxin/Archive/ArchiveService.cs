using System.Text.Json;
using Chengxin.Calendar;
using Chengxin.Catalog;
using Chengxin.Data;
using Microsoft.EntityFrameworkCore;

namespace Chengxin.Archive;

/// <summary>One record of a person's archive as every reader sees it, with what the display rule says of it today.</summary>
public sealed record ArchiveRecord(
    Guid RecordId,
    string ItemCode,
    CatalogItem? Item,
    CatalogCategory Category,
    Polarity Polarity,
    Disclosure Disclosure,
    DateOnly OccurredOn,
    string? Grade,
    string ProviderZh,
    string ProviderEn,
    bool IsReference,
    RecordStatus Status,
    string? RevocationReason,
    int CurrentVersion,
    JsonElement Fields,
    DisplayDecision Display);

/// <summary>
/// A person's records with the display rule applied. The person and auditors get every record,
/// marked; everyone else asks <see cref="ShownAsync"/>, which drops what is revoked, repaired,
/// expired or never shown, so no report, check or list can use it.
/// </summary>
public sealed class ArchiveService(ChengxinDb db, CatalogStore catalog, TimeProvider clock)
{
    public async Task<IReadOnlyList<ArchiveRecord>> AllAsync(Guid subjectId, CancellationToken cancellationToken)
    {
        var items = await catalog.ByCodeAsync(cancellationToken);
        var today = ChinaTime.Today(clock);
        var rows = new List<Row>();
        await foreach (var row in RecordsOf.For(db)(db, subjectId).WithCancellation(cancellationToken))
        {
            rows.Add(row);
        }
        return [.. rows.Select(row =>
        {
            var r = row.Record;
            var item = items.GetValueOrDefault(r.ItemCode)?.Item;
            var fields = JsonDocument.Parse(row.Fields).RootElement.Clone();
            var display = item is null
                ? new DisplayDecision(RecordState.Expired, false, null, null)
                : DisplayPeriod.Evaluate(item, r.OccurredOn, DisplayPeriod.ActEnded(fields), r.Grade, r.Status == RecordStatus.Revoked, r.Status == RecordStatus.Repaired, today);
            return new ArchiveRecord(r.Id, r.ItemCode, item, item?.Category ?? default, item?.Polarity ?? Polarity.Neutral, item?.Disclosure ?? Disclosure.Government,
                r.OccurredOn, r.Grade, row.NameZh, row.NameEn, r.IsReference, r.Status, r.RevocationReason, r.CurrentVersion, fields, display);
        })];
    }

    private sealed record Row(CreditRecord Record, string NameZh, string NameEn, string Fields);

    // Compiled: every report and check reads an archive (see AuthorisationService.PersonAndCited).
    private static readonly CompiledQuery<Func<ChengxinDb, Guid, IAsyncEnumerable<Row>>> RecordsOf = new(() => EF.CompileAsyncQuery((ChengxinDb db, Guid subjectId) =>
        from r in db.Records.AsNoTracking()
        join o in db.Organisations.AsNoTracking() on r.ProviderId equals o.Id
        join v in db.RecordVersions.AsNoTracking() on new { RecordId = r.Id, Number = r.CurrentVersion } equals new { v.RecordId, v.Number }
        where r.SubjectId == subjectId
        orderby r.OccurredOn descending
        select new Row(r, o.NameZh, o.NameEn, v.Fields)));

    /// <summary>What may be shown and used today, limited to these categories and to items disclosed this widely.</summary>
    public async Task<IReadOnlyList<ArchiveRecord>> ShownAsync(Guid subjectId, IReadOnlySet<CatalogCategory>? categories, Disclosure widest, CancellationToken cancellationToken) =>
        [.. (await AllAsync(subjectId, cancellationToken)).Where(r => r.Display.Shown && r.Disclosure <= widest && (categories is null || categories.Contains(r.Category)))];
}
