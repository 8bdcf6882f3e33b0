using Chengxin.Audit;
using Chengxin.Data;
using Chengxin.Reports;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Chengxin.Pages.Me;

public sealed record OwnReport(string ReportNo, DateTimeOffset IssuedAt);

/// <summary>The person's own credit report: free and unlimited; shown here, downloadable as PDF, verifiable by its code; the earlier ones listed to open again.</summary>
public sealed class ReportModel(ChengxinDb db, UserManager<PortalUser> users, ReportService reports, ReportDocument document,
    Catalog.CatalogStore catalog, Organisations.OrganisationDirectory organisations) : PageModel
{
    public const int Earlier = 50;

    /// <summary>The person's own reports, newest first.</summary>
    public IReadOnlyList<OwnReport> Issued { get; private set; } = [];

    public CreditReportContent? Report { get; private set; }

    public string? VerifyUrl { get; private set; }

    /// <summary>An item's and a provider's names in the portal's language, when it is not the report's.</summary>
    public (Func<string, string?> Item, Func<string, string?> Provider) Names { get; private set; } = (_ => null, _ => null);

    /// <summary>Set when a PDF was asked for and this server cannot print one.</summary>
    public bool PdfUnavailable { get; private set; }

    /// <summary>The digest the verification page shows for this report.</summary>
    public string? ContentSha256 { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? no, CancellationToken cancellationToken)
    {
        if (await SubjectIdAsync() is not { } subjectId)
        {
            return Page();
        }
        Issued = await db.Reports.AsNoTracking().Where(r => r.SubjectId == subjectId && r.Kind == "self").OrderByDescending(r => r.IssuedAt)
            .Take(Earlier).Select(r => new OwnReport(r.ReportNo, r.IssuedAt)).ToListAsync(cancellationToken);
        if (no is null)
        {
            return Page();
        }
        if (await reports.FindAsync(no, subjectId, null, cancellationToken) is not { } found)
        {
            return NotFound();
        }
        Report = found.Content;
        ContentSha256 = found.Row.ContentSha256;
        if (System.Globalization.CultureInfo.CurrentUICulture.Name == "en")
        {
            // The report itself is a Chinese document (its PDF too); the page around it speaks the portal's language.
            var items = await catalog.ByCodeAsync(cancellationToken);
            var providers = (await organisations.AllAsync(cancellationToken)).GroupBy(o => o.Name).ToDictionary(g => g.Key, g => g.First().NameEn);
            Names = (code => items.GetValueOrDefault(code)?.Item.Name.En, provider => providers.GetValueOrDefault(provider));
        }
        VerifyUrl = document.VerifyUrl($"{Request.Scheme}://{Request.Host}", Report.VerificationCode);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (await SubjectIdAsync() is not { } subjectId || await db.Subjects.FindAsync([subjectId], cancellationToken) is not { } subject)
        {
            return Forbid();
        }
        var report = await reports.SelfAsync(subject, Actors.Of(User), cancellationToken);
        return RedirectToPage(new { no = report.ReportNo });
    }

    public async Task<IActionResult> OnGetPdfAsync(string no, CancellationToken cancellationToken)
    {
        if (await SubjectIdAsync() is not { } subjectId || await reports.FindAsync(no, subjectId, null, cancellationToken) is not { } found)
        {
            return NotFound();
        }
        if (!document.CanPrint)
        {
            // A person gets the page back with the reason in words, not the API's problem details.
            PdfUnavailable = true;
            return await OnGetAsync(no, cancellationToken);
        }
        var result = await ReportsApi.PdfResultAsync(found.Content, found.Row.ContentSha256, HttpContext, document, cancellationToken);
        return new HttpResultActionResult(result);
    }

    private async Task<Guid?> SubjectIdAsync() => (await users.GetUserAsync(User))?.SubjectId;

    /// <summary>Lets a page handler answer with a minimal-API result (a file, or problem details).</summary>
    private sealed class HttpResultActionResult(IResult result) : IActionResult
    {
        public Task ExecuteResultAsync(ActionContext context) => result.ExecuteAsync(context.HttpContext);
    }
}
