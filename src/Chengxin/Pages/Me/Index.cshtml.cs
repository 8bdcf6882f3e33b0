using System.Globalization;
using System.Text.Json;
using Chengxin.Audit;
using Chengxin.Catalog;
using Chengxin.Data;
using Chengxin.Subjects;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Chengxin.Pages.Me;

public sealed record OwnField(string Label, string Value);

public sealed record OwnVersion(int Number, DateTimeOffset At, IReadOnlyList<OwnField> Fields);

public sealed record OwnRecord(string Item, DateOnly OccurredOn, string Provider, RecordStatus Status, string? RevocationReason, IReadOnlyList<OwnVersion> Versions);

/// <summary>The subject's own page: their identity in full (their own view only) and every record about them, with every version.</summary>
public sealed class IndexModel(ChengxinDb db, UserManager<PortalUser> users, SubjectRegistry subjects, CatalogStore catalog, QueryLog queries) : PageModel
{
    public (string Name, string Number)? Identity { get; private set; }

    public IReadOnlyList<OwnRecord> Records { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var user = await users.GetUserAsync(User);
        if (user?.SubjectId is not { } subjectId || await db.Subjects.FindAsync([subjectId], cancellationToken) is not { } subject)
        {
            return;
        }
        Identity = (subjects.Name(subject), subjects.Number(subject));
        var english = CultureInfo.CurrentUICulture.Name == "en";
        var items = await catalog.ByCodeAsync(cancellationToken);
        var rows = await (from r in db.Records.AsNoTracking()
                          join o in db.Organisations.AsNoTracking() on r.ProviderId equals o.Id
                          where r.SubjectId == subjectId
                          orderby r.OccurredOn descending
                          select new { r.Id, r.ItemCode, r.OccurredOn, o.NameZh, o.NameEn, r.Status, r.RevocationReason }).ToListAsync(cancellationToken);
        var ids = rows.Select(r => r.Id).ToList();
        var versions = (await db.RecordVersions.AsNoTracking().Where(v => ids.Contains(v.RecordId)).ToListAsync(cancellationToken))
            .ToLookup(v => v.RecordId);
        Records = rows.Select(r =>
        {
            var item = items.GetValueOrDefault(r.ItemCode)?.Item;
            return new OwnRecord(item?.Name.In(english) ?? r.ItemCode, r.OccurredOn, english ? r.NameEn : r.NameZh, r.Status, r.RevocationReason,
                versions[r.Id].OrderByDescending(v => v.Number).Select(v => new OwnVersion(v.Number, v.CreatedAt, Fields(item, v.Fields, english))).ToList());
        }).ToList();
        // The person's own reads are registered too (basis "self"), so the log is complete; their "who looked at me" leaves them out.
        await queries.RegisterAsync(new QueryContext(Actors.Of(User), null, "portal", "own-archive", "self"),
            [new SubjectRead(subjectId, rows.Select(r => r.ItemCode).ToList(), rows.Count)], cancellationToken);
    }

    private static List<OwnField> Fields(CatalogItem? item, string json, bool english)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateObject().Select(p =>
        {
            var label = item?.Fields.FirstOrDefault(f => f.Name == p.Name)?.Label?.In(english) ?? p.Name;
            return new OwnField(label, p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText());
        }).ToList();
    }
}
