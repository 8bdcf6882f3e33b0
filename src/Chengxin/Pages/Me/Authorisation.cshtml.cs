using Chengxin.Accounts;
using Chengxin.Calendar;
using Chengxin.Data;
using Chengxin.Reports;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Chengxin.Pages.Me;

/// <summary>
/// One of the person's authorisations as its consent receipt: what was authorised, in words, signed by the platform,
/// printable, with the signed file to download; and, while it stands, revoking it once the person has read what that does.
/// </summary>
[RequireRecentSignIn]
public sealed class AuthorisationModel(UserManager<PortalUser> users, AuthorisationService authorisations, Organisations.OrganisationDirectory organisations,
    TimeProvider clock) : PageModel
{
    public ConsentReceipt Receipt { get; private set; } = null!;

    /// <summary>The querier's name in the portal's language (the signed receipt names it as registered, in Chinese).</summary>
    public string Querier { get; private set; } = "";

    public bool Current { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        var user = await users.GetUserAsync(User);
        if (user?.SubjectId is not { } subjectId
            || await (await authorisations.OfPersonAsync(subjectId, cancellationToken)).AsNoTracking().SingleOrDefaultAsync(a => a.Id == id, cancellationToken) is not { } authorisation)
        {
            return NotFound();
        }
        Receipt = await authorisations.ReceiptAsync(authorisation, subjectId, cancellationToken);
        Querier = System.Globalization.CultureInfo.CurrentUICulture.Name == "en" && await organisations.FindAsync(authorisation.QuerierId, cancellationToken) is { } querier
            ? querier.NameEn
            : Receipt.Querier;
        Current = AuthorisationService.Ended(authorisation, ChinaTime.Today(clock)) is null;
        return Page();
    }

    /// <summary>The evidence file a querier gave for a written authorisation: the person may see what is said to be their signature.</summary>
    public async Task<IActionResult> OnGetEvidenceAsync(Guid id, CancellationToken cancellationToken)
    {
        if ((await users.GetUserAsync(User))?.SubjectId is not { } subjectId
            || await authorisations.EvidenceAsync(subjectId, id, cancellationToken) is not { } evidence)
        {
            return NotFound();
        }
        // A download, never shown inline: the file is the querier's, not the platform's.
        return File(evidence.Content, EvidenceFiles.ContentType(evidence.FileName), evidence.FileName);
    }
}
