using System.Globalization;
using Chengxin.Catalog;
using Chengxin.Data;
using Chengxin.Subjects;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Chengxin.Pages.Me;

public sealed record OwnRecord(string Item, DateOnly OccurredOn, string Provider, RecordStatus Status);

/// <summary>The subject's own page: their identity in full (their own view only) and every record about them.</summary>
public sealed class IndexModel(ChengxinDb db, UserManager<PortalUser> users, SubjectRegistry subjects, CatalogStore catalog) : PageModel
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
        var items = (await catalog.InForceAsync(cancellationToken)).GroupBy(i => i.Item.Code).ToDictionary(g => g.Key, g => g.First().Item.Name.In(english));
        var rows = await (from r in db.Records.AsNoTracking()
                          join o in db.Organisations.AsNoTracking() on r.ProviderId equals o.Id
                          where r.SubjectId == subjectId
                          orderby r.OccurredOn descending
                          select new { r.ItemCode, r.OccurredOn, o.NameZh, o.NameEn, r.Status }).ToListAsync(cancellationToken);
        Records = rows.Select(r => new OwnRecord(items.GetValueOrDefault(r.ItemCode, r.ItemCode), r.OccurredOn, english ? r.NameEn : r.NameZh, r.Status)).ToList();
    }
}
