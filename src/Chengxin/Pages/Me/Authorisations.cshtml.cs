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
public sealed class AuthorisationsModel(ChengxinDb db, UserManager<PortalUser> users, AuthorisationService authorisations, Organisations.OrganisationDirectory organisations,
    TimeProvider clock) : PageModel
{
    /// <summary>The kinds of organisation a person authorises to query them, suggested by the form (any registered one may be named).</summary>
    private static readonly HashSet<string> QuerierKinds = ["bank", "employer", "credit-agency", "association"];
    public IReadOnlyList<OwnAuthorisation> Authorisations { get; private set; } = [];

    public IReadOnlyDictionary<string, string[]> Errors { get; private set; } = new Dictionary<string, string[]>();

    /// <summary>Registered queriers, to pick by name: (code, name in the portal's language).</summary>
    public IReadOnlyList<(string Code, string Name)> Queriers { get; private set; } = [];

    /// <summary>What the last grant or revocation did, said once after the redirect.</summary>
    [TempData]
    public string? Done { get; set; }

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
        Done = $"granted:{granted.Id}";
        return RedirectToPage();
    }

    /// <param name="notSigned">The person says they never signed the written authorisation a querier registered.</param>
    public async Task<IActionResult> OnPostRevokeAsync(Guid id, bool notSigned, CancellationToken cancellationToken)
    {
        if (await SubjectAsync() is not { } subject)
        {
            return Forbid();
        }
        if (await authorisations.RevokeAsync(subject.Id, id, Actors.Of(User), cancellationToken, notSigned))
        {
            Done = $"{(notSigned ? "disputed" : "revoked")}:{id}";
        }
        return RedirectToPage();
    }

    /// <summary>The signed consent receipt, as a JSON file.</summary>
    public async Task<IActionResult> OnGetReceiptAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await SubjectAsync() is not { } subject
            || await (await authorisations.OfPersonAsync(subject.Id, cancellationToken)).AsNoTracking().SingleOrDefaultAsync(a => a.Id == id, cancellationToken) is not { } authorisation)
        {
            return NotFound();
        }
        var receipt = await authorisations.ReceiptAsync(authorisation, subject.Id, cancellationToken);
        return File(JsonSerializer.SerializeToUtf8Bytes(receipt, ReceiptJson),
            "application/json", $"consent-receipt-{id:N}.json");
    }

    // Chinese as text, not \uXXXX: the person may open the file and read it.
    private static readonly JsonSerializerOptions ReceiptJson = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All),
    };

    private async Task<Subject?> SubjectAsync()
    {
        var user = await users.GetUserAsync(User);
        return user?.SubjectId is { } subjectId ? await db.Subjects.FindAsync(subjectId) : null;
    }

    private async Task LoadAsync(Guid subjectId, CancellationToken cancellationToken)
    {
        var today = ChinaTime.Today(clock);
        var rows = await (from a in (await authorisations.OfPersonAsync(subjectId, cancellationToken)).AsNoTracking()
                          join o in db.Organisations.AsNoTracking() on a.QuerierId equals o.Id
                          orderby a.CreatedAt descending
                          select new { Authorisation = a, o.NameZh, o.NameEn, o.Code }).ToListAsync(cancellationToken);
        var english = System.Globalization.CultureInfo.CurrentUICulture.Name == "en";
        Queriers = [.. (await organisations.AllAsync(cancellationToken)).Where(o => QuerierKinds.Contains(o.Kind))
            .Select(o => (o.Code, english ? o.NameEn : o.Name)).OrderBy(o => o.Item2, StringComparer.Ordinal)];
        Authorisations = [.. rows.Select(r => new OwnAuthorisation(r.Authorisation.Id, english ? r.NameEn : r.NameZh, r.Code, r.Authorisation.Purpose,
            [.. AuthorisationService.Categories(r.Authorisation)], r.Authorisation.ValidFrom, r.Authorisation.ValidUntil, r.Authorisation.Channel,
            r.Authorisation.RevokedAt, r.Authorisation.RevokedAt is null && r.Authorisation.ValidUntil >= today))];
    }
}
