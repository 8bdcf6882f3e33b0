using Chengxin.Audit;
using Chengxin.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Chengxin.Pages.Admin.AuditLog;

/// <summary>
/// The audit administrator's page: the audit log itself, newest first, filtered by who and what,
/// and the chain verified on demand. It reads the audit and nothing else: entries hold ids, never
/// identity numbers or names.
/// </summary>
public sealed class IndexModel(ChengxinDb db, AuditVerification verification) : PageModel
{
    public const int PageSize = 100;

    [BindProperty(SupportsGet = true)]
    public string? Actor { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Action { get; set; }

    /// <summary>Show entries before this sequence number (the next page).</summary>
    [BindProperty(SupportsGet = true)]
    public long? Before { get; set; }

    public IReadOnlyList<AuditEntry> Entries { get; private set; } = [];

    public ChainReport? Chain { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostVerifyAsync(CancellationToken cancellationToken)
    {
        Chain = await verification.VerifyAsync([], cancellationToken);
        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var entries = db.AuditEntries.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(Actor))
        {
            entries = entries.Where(e => e.Actor.StartsWith(Actor.Trim()));
        }
        if (!string.IsNullOrWhiteSpace(Action))
        {
            entries = entries.Where(e => e.Action.StartsWith(Action.Trim()));
        }
        if (Before is { } before)
        {
            entries = entries.Where(e => e.Sequence < before);
        }
        Entries = await entries.OrderByDescending(e => e.Sequence).Take(PageSize).ToListAsync(cancellationToken);
    }
}
