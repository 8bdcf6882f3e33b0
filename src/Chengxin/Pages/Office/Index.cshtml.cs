using System.Globalization;
using Chengxin.Accounts;
using Chengxin.Audit;
using Chengxin.Data;
using Chengxin.Organisations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Chengxin.Pages.Office;

/// <summary>The credit office's overview: organisations, catalog versions, and what the platform holds.</summary>
public sealed class IndexModel(ChengxinDb db, OrganisationService organisations, UserManager<PortalUser> users, AuditTrail audit, TimeProvider clock) : PageModel
{
    public IReadOnlyList<OrganisationView> Organisations { get; private set; } = [];

    public IReadOnlyList<CatalogVersion> Versions { get; private set; } = [];

    public int Subjects { get; private set; }

    public int RecordCount { get; private set; }

    public int Clients { get; private set; }

    public bool English => CultureInfo.CurrentUICulture.Name == "en";

    /// <summary>Alerts not yet acknowledged, newest first: systems suspended for bulk reading, authorisations people say they never signed.</summary>
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

    /// <summary>An officer has looked at the alert: it leaves the list, and the audit log says who and when.</summary>
    public async Task<IActionResult> OnPostAcknowledgeAsync(Guid id, CancellationToken cancellationToken)
    {
        var alert = await db.SecurityAlerts.SingleOrDefaultAsync(a => a.Id == id && a.AcknowledgedAt == null, cancellationToken);
        if (alert is null)
        {
            return RedirectToPage();
        }
        alert.AcknowledgedAt = clock.GetUtcNow();
        alert.AcknowledgedBy = Guid.Parse(users.GetUserId(User)!);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(new AuditEvent(Actors.Of(User), "alert.acknowledge", null, $"alert:{alert.Id:N}", System.Text.Json.JsonSerializer.Serialize(new { alert.Kind, alert.Actor })), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return RedirectToPage();
    }
}
