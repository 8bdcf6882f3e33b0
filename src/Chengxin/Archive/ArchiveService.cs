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
/// The columns of one record an archive is made of: the record, its provider's names, its current version's fields, and the
/// catalog version (<c>scope/version</c>) it was collected under, by which it is judged.
/// </summary>
public sealed record ArchiveRow(Guid Id, string ItemCode, DateOnly OccurredOn, string? Grade, RecordStatus Status, bool IsReference, string? RevocationReason,
    int CurrentVersion, string NameZh, string NameEn, string Fields, string CatalogVersion);

/// <summary>
/// A person's records with the display rule applied. The person and auditors get every record,
/// marked; everyone else asks <see cref="ShownAsync"/>, which drops what is revoked, repaired,
/// expired or never shown, so no report, check or list can use it.
/// </summary>
public sealed class ArchiveService(ChengxinDb db, CatalogStore catalog, TimeProvider clock)
{
    public async Task<IReadOnlyList<ArchiveRecord>> AllAsync(Guid subjectId, CancellationToken cancellationToken)
    {
        var rows = new List<ArchiveRow>();
        await foreach (var row in RecordsOf.For(db)(db, subjectId).WithCancellation(cancellationToken))
        {
            rows.Add(row);
        }
        return await ShapeAsync(rows, cancellationToken);
    }

    /// <summary>Rows read elsewhere (with the person and the cited authorisation, for a report), with the display rule applied.</summary>
    public async Task<IReadOnlyList<ArchiveRecord>> ShapeAsync(IEnumerable<ArchiveRow> rows, CancellationToken cancellationToken)
    {
        var items = await catalog.ByCodeAsync(cancellationToken);
        var collected = await catalog.ByVersionAsync(cancellationToken);
        var today = ChinaTime.Today(clock);
        return [.. rows.Select(r =>
        {
            var current = items.GetValueOrDefault(r.ItemCode)?.Item;
            var item = AsCollected(current, collected, r.CatalogVersion, r.ItemCode);
            // Disclosure alone follows a later version when it is narrower: protection a newer catalog adds applies at once.
            var disclosure = item is null ? Disclosure.Government : (Disclosure)Math.Max((int)item.Disclosure, (int)current!.Disclosure);
            var fields = JsonElement.Parse(r.Fields);
            var display = item is null
                ? new DisplayDecision(RecordState.Expired, false, null, null)
                : DisplayPeriod.Evaluate(item, r.OccurredOn, DisplayPeriod.ActEnded(fields), r.Grade, r.Status == RecordStatus.Revoked, r.Status == RecordStatus.Repaired, today, fields);
            return new ArchiveRecord(r.Id, r.ItemCode, item, item?.Category ?? default, item?.Polarity ?? Polarity.Neutral, disclosure,
                r.OccurredOn, r.Grade, r.NameZh, r.NameEn, r.IsReference, r.Status, r.RevocationReason, r.CurrentVersion, fields, display);
        })];
    }

    /// <summary>
    /// The item a record is judged by: as the catalog version it was collected under has it (its display period, its repair
    /// rule), not as one published since, so a later version that lengthens display cannot bring back what was due to stop.
    /// An item withdrawn from the catalog in force (<paramref name="current"/> null) is shown no more: null.
    /// </summary>
    public static CatalogItem? AsCollected(CatalogItem? current, IReadOnlyDictionary<string, IReadOnlyDictionary<string, CatalogItem>> collected, string version, string code) =>
        current is null ? null : collected.GetValueOrDefault(version)?.GetValueOrDefault(code) ?? current;

    // Compiled: every check and the person's own page read an archive. A report reads it with the person, by the same
    // join written into AuthorisationService.FindAsync's query (a compiled query cannot call a helper): change both alike.
    // Only the columns an archive shows: materialising whole records cost a new identifier and two clock reads each.
    private static readonly CompiledQuery<Func<ChengxinDb, Guid, IAsyncEnumerable<ArchiveRow>>> RecordsOf = new(() => EF.CompileAsyncQuery((ChengxinDb db, Guid subjectId) =>
        from r in db.Records.AsNoTracking()
        join o in db.Organisations.AsNoTracking() on r.ProviderId equals o.Id
        join v in db.RecordVersions.AsNoTracking() on new { RecordId = r.Id, Number = r.CurrentVersion } equals new { v.RecordId, v.Number }
        where r.SubjectId == subjectId
        orderby r.OccurredOn descending
        select new ArchiveRow(r.Id, r.ItemCode, r.OccurredOn, r.Grade, r.Status, r.IsReference, r.RevocationReason, r.CurrentVersion, o.NameZh, o.NameEn, v.Fields, r.CatalogVersion)));

    /// <summary>What may be shown and used today, limited to these categories and to items disclosed this widely.</summary>
    public async Task<IReadOnlyList<ArchiveRecord>> ShownAsync(Guid subjectId, IReadOnlySet<CatalogCategory>? categories, Disclosure widest, CancellationToken cancellationToken) =>
        Shown(await AllAsync(subjectId, cancellationToken), categories, widest);

    public static IReadOnlyList<ArchiveRecord> Shown(IEnumerable<ArchiveRecord> records, IReadOnlySet<CatalogCategory>? categories, Disclosure widest) =>
        [.. records.Where(r => r.Display.Shown && r.Disclosure <= widest && (categories is null || categories.Contains(r.Category)))];
}
