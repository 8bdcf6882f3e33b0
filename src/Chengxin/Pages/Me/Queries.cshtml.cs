using Chengxin.Audit;
using Chengxin.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Chengxin.Pages.Me;

/// <param name="ReportRead">How the read concerned a report: <c>issued</c>, <c>copy</c> (read again), <c>refused</c> (asked to read it again, refused); null when it did not.</param>
/// <param name="AuthorisationChannel">How the authorisation the query cited was given (<c>portal</c>, <c>written</c>); null when it cited none.</param>
public sealed record QueryAboutMe(DateTimeOffset At, string Who, string Channel, string Purpose, string Basis, string? AuthorisationChannel, string Items, int Records, string? ReportNo, string? ReportRead);

/// <summary>"Who looked at me": every registered read of the person's data by anyone else, newest first, a page at a time; a deferred one shows from its release date.</summary>
public sealed class QueriesModel(ChengxinDb db, UserManager<PortalUser> users, Catalog.CatalogStore catalog, Reports.AuthorisationService authorisations, TimeProvider clock,
    IStringLocalizer<SharedResource> t) : PageModel
{
    public const int PageSize = 50;

    /// <summary>The page shown, from 1 (the newest queries).</summary>
    // "p", since "page" is the route value Razor Pages route by.
    [BindProperty(Name = "p", SupportsGet = true)]
    public int PageNumber { get; set; } = 1;

    public int Total { get; private set; }

    public int Pages => Math.Max(1, (Total + PageSize - 1) / PageSize);

    public IReadOnlyList<QueryAboutMe> Queries { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        if ((await users.GetUserAsync(User))?.SubjectId is not { } subjectId)
        {
            return;
        }
        var about = QueryLog.AboutPerson(db, subjectId, clock.GetUtcNow());
        Total = await about.CountAsync(cancellationToken);
        PageNumber = Math.Clamp(PageNumber, 1, Pages);
        var rows = await about.Skip((PageNumber - 1) * PageSize).Take(PageSize).ToListAsync(cancellationToken);
        var reportRead = await QueryLog.ReportReadsAsync(db, subjectId, rows, cancellationToken);
        var channels = await authorisations.ChannelsAsync(rows.Select(r => r.Basis), cancellationToken);
        // The items read, by their names in the catalog rather than their codes.
        var english = System.Globalization.CultureInfo.CurrentUICulture.Name == "en";
        var items = await catalog.ByCodeAsync(cancellationToken);
        string Names(string codes) => string.Join(t["Common.ListSeparator"], codes.Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(c => items.GetValueOrDefault(c)?.Item.Name is { } name ? (english ? name.En : name.Zh) : c));
        Queries = [.. rows.Select(r => new QueryAboutMe(r.At, (english ? r.OrganisationEn : r.OrganisationZh) ?? r.Actor, r.Channel, r.Purpose, r.Basis, channels.GetValueOrDefault(r.Basis),
            Names(r.Items), r.Records, r.ReportNo, reportRead(r)))];
    }
}
