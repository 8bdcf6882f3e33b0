using System.Globalization;
using Chengxin.Data;
using Chengxin.Organisations;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Chengxin.Pages.Office;

/// <summary>The credit office's overview: organisations, catalog versions, and what the platform holds.</summary>
public sealed class IndexModel(ChengxinDb db, OrganisationService organisations) : PageModel
{
    public IReadOnlyList<OrganisationView> Organisations { get; private set; } = [];

    public IReadOnlyList<CatalogVersion> Versions { get; private set; } = [];

    public int Subjects { get; private set; }

    public int RecordCount { get; private set; }

    public int Clients { get; private set; }

    public bool English => CultureInfo.CurrentUICulture.Name == "en";

    /// <summary>Alerts not yet acknowledged, newest first: systems suspended for bulk reading.</summary>
    public IReadOnlyList<SecurityAlert> Alerts { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Organisations = await organisations.ListAsync(cancellationToken);
        Versions = await db.CatalogVersions.AsNoTracking().OrderBy(v => v.Scope).ThenBy(v => v.EffectiveFrom).ToListAsync(cancellationToken);
        Subjects = await db.Subjects.CountAsync(cancellationToken);
        RecordCount = await db.Records.CountAsync(cancellationToken);
        Clients = await db.SystemClients.CountAsync(c => c.RevokedAt == null, cancellationToken);
        Alerts = (await db.SecurityAlerts.AsNoTracking().Where(a => a.AcknowledgedAt == null).ToListAsync(cancellationToken)).OrderByDescending(a => a.At).ToList();
    }
}
