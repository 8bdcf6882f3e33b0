using Chengxin.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Chengxin.Pages.Me;

public sealed record QueryAboutMe(DateTimeOffset At, string Who, string Channel, string Purpose, string Basis, string Items, int Records);

/// <summary>"Who looked at me": every registered read of the person's data by anyone else, newest first; a deferred one shows from its release date.</summary>
public sealed class QueriesModel(ChengxinDb db, UserManager<PortalUser> users, Catalog.CatalogStore catalog, TimeProvider clock, IStringLocalizer<SharedResource> t) : PageModel
{
    public IReadOnlyList<QueryAboutMe> Queries { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        if ((await users.GetUserAsync(User))?.SubjectId is not { } subjectId)
        {
            return;
        }
        var now = clock.GetUtcNow();
        var english = System.Globalization.CultureInfo.CurrentUICulture.Name == "en";
        var rows = await (from q in db.QueryRegistrations.AsNoTracking()
                          join o in db.Organisations.AsNoTracking() on q.OrganisationId equals o.Id into orgs
                          from o in orgs.DefaultIfEmpty()
                          where q.SubjectId == subjectId && q.Basis != "self"
                          orderby q.At descending
                          select new { q.At, q.Actor, Zh = o == null ? null : o.NameZh, En = o == null ? null : o.NameEn, q.Channel, q.Purpose, q.Basis, q.Items, q.Records, q.DisclosedFrom })
            .Take(1000).ToListAsync(cancellationToken);
        // The items read, by their names in the catalog rather than their codes.
        var items = await catalog.ByCodeAsync(cancellationToken);
        string Names(string codes) => string.Join(t["Common.ListSeparator"], codes.Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(c => items.GetValueOrDefault(c)?.Item.Name is { } name ? (english ? name.En : name.Zh) : c));
        Queries = [.. rows.Where(r => r.DisclosedFrom is null || r.DisclosedFrom <= now)
            .Select(r => new QueryAboutMe(r.At, (english ? r.En : r.Zh) ?? r.Actor, r.Channel, r.Purpose, r.Basis, Names(r.Items), r.Records))];
    }
}
