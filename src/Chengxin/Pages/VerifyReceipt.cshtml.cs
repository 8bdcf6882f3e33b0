using System.Text.Json;
using Chengxin.Reports;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Chengxin.Pages;

/// <summary>
/// <c>/verify/receipt</c>: anyone holding a consent receipt's signed file (the person, or a querier the person showed it to)
/// checks that the platform signed it as it stands. Nothing is looked up or stored: the answer is the signature's alone.
/// </summary>
[AllowAnonymous]
public sealed class VerifyReceiptModel(AuthorisationService authorisations) : PageModel
{
    public const int MaxBytes = 16 * 1024;

    [BindProperty]
    public string? Text { get; set; }

    [BindProperty]
    public IFormFile? Upload { get; set; }

    /// <summary>The receipt read from the file or the text, when it could be read.</summary>
    public ConsentReceipt? Receipt { get; private set; }

    public bool? Genuine { get; private set; }

    public bool Unreadable { get; private set; }

    public void OnGet()
    {
    }

    public async Task OnPostAsync(CancellationToken cancellationToken)
    {
        var json = Text;
        if (Upload is { Length: > 0 and <= MaxBytes })
        {
            using var reader = new StreamReader(Upload.OpenReadStream());
            json = await reader.ReadToEndAsync(cancellationToken);
        }
        Receipt = Read(json);
        Unreadable = Receipt is null;
        Genuine = Receipt is null ? null : authorisations.IsGenuine(Receipt);
        if (Genuine != true)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        }
    }

    private static ConsentReceipt? Read(string? json)
    {
        if (string.IsNullOrWhiteSpace(json) || json.Length > MaxBytes)
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<ConsentReceipt>(json, ReportService.Json) is { Signature: not null, Querier: not null, Purpose: not null, Categories: not null } receipt
                ? receipt : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
