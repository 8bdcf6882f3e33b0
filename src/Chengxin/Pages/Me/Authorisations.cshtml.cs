using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Chengxin.Accounts;
using Chengxin.Audit;
using Chengxin.Calendar;
using Chengxin.Catalog;
using Chengxin.Data;
using Chengxin.Reports;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Chengxin.Pages.Me;

public sealed record OwnAuthorisation(Guid Id, string Querier, string QuerierCode, string Purpose, IReadOnlyList<CatalogCategory> Categories,
    DateOnly ValidFrom, DateOnly ValidUntil, string Channel, DateTimeOffset? RevokedAt, bool Current);

/// <summary>The person's authorisations: grant one to an organisation, see every one (also those queriers registered), revoke at once, download a signed receipt.</summary>
[RequireRecentSignIn]
public sealed class AuthorisationsModel(ChengxinDb db, UserManager<PortalUser> users, AuthorisationService authorisations, TimeProvider clock) : PageModel
{
    public IReadOnlyList<OwnAuthorisation> Authorisations { get; private set; } = [];

    public IReadOnlyDictionary<string, string[]> Errors { get; private set; } = new Dictionary<string, string[]>();

    [BindProperty]
    public GrantForm Grant { get; set; } = new();

    public sealed class GrantForm
    {
        [Display(Name = "Authorisations.Querier")]
        public string? QuerierCode { get; set; }

        // Nullable, so that a missing value is the service's error in the portal's words, not the binder's in English.
        [Display(Name = "Authorisations.Purpose")]
        public string? Purpose { get; set; }

        public List<string> Categories { get; set; } = [];

        [Display(Name = "Authorisations.ValidUntil")]
        public DateOnly? ValidUntil { get; set; }
    }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await SubjectAsync() is not { } subject)
        {
            return Page();
        }
        Grant.ValidUntil ??= ChinaTime.Today(clock).AddMonths(1);
        await LoadAsync(subject.Id, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostGrantAsync(CancellationToken cancellationToken)
    {
        if (await SubjectAsync() is not { } subject)
        {
            return Forbid();
        }
        var (granted, errors) = await authorisations.GrantAsync(subject, Grant.QuerierCode ?? "", Grant.Purpose, Grant.Categories, Grant.ValidUntil, Actors.Of(User), cancellationToken);
        if (granted is null)
        {
            Errors = errors;
            await LoadAsync(subject.Id, cancellationToken);
            return Page();
        }
        return RedirectToPage();
    }

    /// <param name="notSigned">The person says they never signed the written authorisation a querier registered.</param>
    public async Task<IActionResult> OnPostRevokeAsync(Guid id, bool notSigned, CancellationToken cancellationToken)
    {
        if (await SubjectAsync() is not { } subject)
        {
            return Forbid();
        }
        await authorisations.RevokeAsync(subject.Id, id, Actors.Of(User), cancellationToken, notSigned);
        return RedirectToPage();
    }

    /// <summary>The signed consent receipt, as a JSON file.</summary>
    public async Task<IActionResult> OnGetReceiptAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await SubjectAsync() is not { } subject
            || await db.Authorisations.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id && a.SubjectId == subject.Id, cancellationToken) is not { } authorisation)
        {
            return NotFound();
        }
        var receipt = await authorisations.ReceiptAsync(authorisation, cancellationToken);
        return File(JsonSerializer.SerializeToUtf8Bytes(receipt, ReceiptJson),
            "application/json", $"consent-receipt-{id:N}.json");
    }

    private static readonly JsonSerializerOptions ReceiptJson = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private async Task<Subject?> SubjectAsync()
    {
        var user = await users.GetUserAsync(User);
        return user?.SubjectId is { } subjectId ? await db.Subjects.FindAsync(subjectId) : null;
    }

    private async Task LoadAsync(Guid subjectId, CancellationToken cancellationToken)
    {
        var today = ChinaTime.Today(clock);
        var rows = await (from a in db.Authorisations.AsNoTracking()
                          join o in db.Organisations.AsNoTracking() on a.QuerierId equals o.Id
                          where a.SubjectId == subjectId
                          orderby a.CreatedAt descending
                          select new { Authorisation = a, o.NameZh, o.NameEn, o.Code }).ToListAsync(cancellationToken);
        var english = System.Globalization.CultureInfo.CurrentUICulture.Name == "en";
        Authorisations = [.. rows.Select(r => new OwnAuthorisation(r.Authorisation.Id, english ? r.NameEn : r.NameZh, r.Code, r.Authorisation.Purpose,
            [.. AuthorisationService.Categories(r.Authorisation)], r.Authorisation.ValidFrom, r.Authorisation.ValidUntil, r.Authorisation.Channel,
            r.Authorisation.RevokedAt, r.Authorisation.RevokedAt is null && r.Authorisation.ValidUntil >= today))];
    }
}
