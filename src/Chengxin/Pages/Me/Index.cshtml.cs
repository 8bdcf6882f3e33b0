using System.Globalization;
using System.Text.Json;
using Chengxin.Archive;
using Chengxin.Audit;
using Chengxin.Calendar;
using Chengxin.Catalog;
using Chengxin.Data;
using Chengxin.Subjects;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Chengxin.Pages.Me;

public sealed record OwnField(string Label, string Value);

public sealed record OwnVersion(int Number, DateTimeOffset At, IReadOnlyList<OwnField> Fields);

/// <param name="DaysLeft">Days until display stops, counting today, while the record is shown with a known end.</param>
/// <param name="DaysToRepairable">Days until a repair may be applied for (0 or less: it may now), while the record is shown and repairable.</param>
public sealed record OwnRecord(string Item, DateOnly OccurredOn, string Provider, RecordState State, string? RevocationReason,
    DateOnly? ShownThrough, int? DaysLeft, DateOnly? RepairableFrom, int? DaysToRepairable, string LegalBasis, bool IsReference, IReadOnlyList<OwnVersion> Versions);

/// <summary>
/// The person's own archive: their identity in full (their own view only) and every record about
/// them by catalog category, with its state, how long it is still shown, when it may be repaired,
/// its legal basis and every version. Records no longer shown stay here, marked.
/// </summary>
public sealed class IndexModel(ChengxinDb db, UserManager<PortalUser> users, SubjectRegistry subjects, ArchiveService archive, QueryLog queries, TimeProvider clock) : PageModel
{
    public (string Name, string Number)? Identity { get; private set; }

    public IReadOnlyList<IGrouping<CatalogCategory, OwnRecord>> Categories { get; private set; } = [];

    public int RecordCount { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var user = await users.GetUserAsync(User);
        if (user?.SubjectId is not { } subjectId || await db.Subjects.FindAsync([subjectId], cancellationToken) is not { } subject)
        {
            return;
        }
        // Masked even here (design: displays mask): the person knows their number, a screen shared or looked over should not show it.
        Identity = (subjects.Name(subject), SubjectRegistry.MaskedNumber(subject));
        var english = CultureInfo.CurrentUICulture.Name == "en";
        var today = ChinaTime.Today(clock);
        var records = await archive.AllAsync(subjectId, cancellationToken);
        var ids = records.Select(r => r.RecordId).ToList();
        var versions = (await db.RecordVersions.AsNoTracking().Where(v => ids.Contains(v.RecordId)).ToListAsync(cancellationToken)).ToLookup(v => v.RecordId);
        RecordCount = records.Count;
        Categories = [.. records.Select(r => (r.Category, Record: new OwnRecord(
                r.Item?.Name.In(english) ?? r.ItemCode, r.OccurredOn, english ? r.ProviderEn : r.ProviderZh, r.Display.State, r.RevocationReason,
                r.Display.ShownThrough, r.Display.Shown && r.Display.ShownThrough is { } through ? through.DayNumber - today.DayNumber + 1 : null,
                r.Display.RepairableFrom, r.Display.Shown && r.Display.RepairableFrom is { } from ? from.DayNumber - today.DayNumber : null,
                r.Item?.LegalBasis.In(english) ?? "", r.IsReference,
                [.. versions[r.RecordId].OrderByDescending(v => v.Number).Select(v => new OwnVersion(v.Number, v.CreatedAt, Fields(r.Item, v.Fields, english)))])))
            .GroupBy(x => x.Category, x => x.Record).OrderBy(g => g.Key)];
        // The person's own reads are registered too (basis "self"), so the log is complete; "who looked at me" leaves them out.
        await queries.RegisterAsync(new QueryContext(Actors.Of(User), null, "portal", "own-archive", "self"),
            [new SubjectRead(subjectId, records.Select(r => r.ItemCode).ToList(), records.Count)], cancellationToken);
    }

    private static List<OwnField> Fields(CatalogItem? item, string json, bool english)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateObject().Select(p =>
        {
            var field = item?.Fields.FirstOrDefault(f => f.Name == p.Name);
            return new OwnField(field?.Label?.In(english) ?? p.Name, CatalogField.Display(field, p.Value, english));
        }).ToList();
    }
}
