using System.Globalization;
using Chengxin.Audit;
using Chengxin.Data;
using Chengxin.Subjects;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Chengxin.Pages.Provider;

public sealed record ProvidedRecord(string SourceId, string ItemCode, string ItemName, string MaskedSubject, DateOnly OccurredOn, RecordStatus Status, int Versions);

/// <summary>A provider operator's workbench: only their own organisation's records, subjects masked.</summary>
public sealed class IndexModel(ChengxinDb db, UserManager<PortalUser> users, Dashboards.DashboardService dashboards, QueryLog queries, Microsoft.Extensions.Localization.IStringLocalizer<SharedResource> t,
    Catalog.CatalogStore catalog) : PageModel
{
    public IReadOnlyList<Shared.BarChart> Charts { get; private set; } = [];

    public Dashboards.ProviderFigures? Figures { get; private set; }

    public string? Organisation { get; private set; }

    public string? OrganisationCode { get; private set; }

    public IReadOnlyList<string> Provides { get; private set; } = [];

    public IReadOnlyList<ProvidedRecord> Records { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var user = await users.GetUserAsync(User);
        if (user?.OrganisationId is not { } organisationId)
        {
            return;
        }
        var organisation = await db.Organisations.AsNoTracking().Include(o => o.Provides).SingleAsync(o => o.Id == organisationId, cancellationToken);
        var english = CultureInfo.CurrentUICulture.Name == "en";
        Organisation = english ? organisation.NameEn : organisation.NameZh;
        OrganisationCode = organisation.Code;
        // Items by their names in the portal's language, as every other page names them; the code stays beside for the exchange.
        var items = await catalog.ByCodeAsync(cancellationToken);
        string NameOf(string code) => items.GetValueOrDefault(code)?.Item.Name.In(english) ?? code;
        Provides = organisation.Provides.Select(p => p.ItemCode).Order(StringComparer.Ordinal).Select(code => $"{NameOf(code)} ({code})").ToList();
        var rows = await (from r in db.Records.AsNoTracking()
                          join s in db.Subjects.AsNoTracking() on r.SubjectId equals s.Id
                          where r.ProviderId == organisationId
                          orderby r.CreatedAt descending
                          select new { r.SourceId, r.ItemCode, r.SubjectId, Subject = s, r.OccurredOn, r.Status, r.CurrentVersion })
            .Take(200).ToListAsync(cancellationToken);
        var dashboard = await dashboards.BuildAsync(organisationId, cancellationToken);
        Charts = Shared.BarChart.For(dashboard, t);
        Figures = dashboard.Providers.SingleOrDefault();
        Records = rows.Select(r => new ProvidedRecord(r.SourceId, r.ItemCode, NameOf(r.ItemCode), SubjectRegistry.MaskedNumber(r.Subject), r.OccurredOn, r.Status, r.CurrentVersion)).ToList();
        await queries.RegisterAsync(new QueryContext(Actors.Of(User), organisationId, "portal", "provider-own-records", "own-records"),
            rows.GroupBy(r => r.SubjectId).Select(g => new SubjectRead(g.Key, g.Select(r => r.ItemCode).ToList(), g.Count())).ToList(), cancellationToken);
    }
}
