using Chengxin.Audit;
using Chengxin.Data;
using Chengxin.Reports;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Chengxin.Pages.Me;

/// <summary>The person's own credit report: free and unlimited; shown here, downloadable as PDF, verifiable by its code.</summary>
public sealed class ReportModel(ChengxinDb db, UserManager<PortalUser> users, ReportService reports, ReportDocument document) : PageModel
{
    public CreditReportContent? Report { get; private set; }

    public string? VerifyUrl { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? no, CancellationToken cancellationToken)
    {
        if (no is null || await SubjectIdAsync() is not { } subjectId)
        {
            return Page();
        }
        if (await reports.FindAsync(no, subjectId, null, cancellationToken) is not { } found)
        {
            return NotFound();
        }
        Report = found.Content;
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
        var result = await ReportsApi.PdfResultAsync(found.Content, HttpContext, document, cancellationToken);
        return new HttpResultActionResult(result);
    }

    private async Task<Guid?> SubjectIdAsync() => (await users.GetUserAsync(User))?.SubjectId;

    /// <summary>Lets a page handler answer with a minimal-API result (a file, or problem details).</summary>
    private sealed class HttpResultActionResult(IResult result) : IActionResult
    {
        public Task ExecuteResultAsync(ActionContext context) => result.ExecuteAsync(context.HttpContext);
    }
}
