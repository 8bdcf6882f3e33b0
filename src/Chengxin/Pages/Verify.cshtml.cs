using Chengxin.Reports;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Chengxin.Pages;

/// <summary><c>/verify/{code}</c>: anyone checks that a report was issued; only its number, time, masked identity and digest are shown.</summary>
[AllowAnonymous]
public sealed class VerifyModel(ReportService reports) : PageModel
{
    public string? Code { get; private set; }

    public bool Malformed { get; private set; }

    public ReportVerification? Found { get; private set; }

    public async Task OnGetAsync(string? code, CancellationToken cancellationToken)
    {
        Code = code;
        if (string.IsNullOrWhiteSpace(code))
        {
            return;
        }
        Malformed = ReportService.NormaliseCode(code) is null;
        Found = Malformed ? null : await reports.VerifyAsync(code, cancellationToken);
        if (Found is null)
        {
            Response.StatusCode = Malformed ? StatusCodes.Status400BadRequest : StatusCodes.Status404NotFound;
        }
    }
}
