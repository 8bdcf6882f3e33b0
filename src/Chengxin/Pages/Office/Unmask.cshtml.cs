using Chengxin.Accounts;
using Chengxin.Audit;
using Chengxin.Data;
using Chengxin.Subjects;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Chengxin.Pages.Office;

public sealed record UnmaskRow(UnmaskRequest Request, string MaskedNumber, bool Mine);

/// <summary>Four eyes on a full identity number: ask with a reason, let a colleague decide, view once.</summary>
[RequireRecentSignIn]
public sealed class UnmaskModel(ChengxinDb db, UserManager<PortalUser> users, Unmasking unmasking) : PageModel
{
    public IReadOnlyList<UnmaskRow> Requests { get; private set; } = [];

    public string? Problem { get; private set; }

    public string? Revealed { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostRequestAsync(string provider, string sourceId, string reason, CancellationToken cancellationToken)
    {
        var (_, problem) = await unmasking.RequestAsync(OfficerId(), provider ?? "", sourceId ?? "", reason ?? "", cancellationToken);
        return await AfterAsync(problem, cancellationToken);
    }

    public async Task<IActionResult> OnPostDecideAsync(Guid id, bool approve, CancellationToken cancellationToken) =>
        await AfterAsync(await unmasking.DecideAsync(id, OfficerId(), approve, cancellationToken), cancellationToken);

    public async Task<IActionResult> OnPostViewAsync(Guid id, CancellationToken cancellationToken)
    {
        (Revealed, Problem) = await unmasking.ViewAsync(id, OfficerId(), cancellationToken);
        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task<IActionResult> AfterAsync(string? problem, CancellationToken cancellationToken)
    {
        if (problem is null)
        {
            return RedirectToPage();
        }
        Problem = problem;
        await LoadAsync(cancellationToken);
        return Page();
    }

    private Guid OfficerId() => Guid.Parse(users.GetUserId(User)!);

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var me = OfficerId();
        var rows = (await db.UnmaskRequests.AsNoTracking().ToListAsync(cancellationToken)).OrderByDescending(r => r.RequestedAt).Take(100).ToList();
        var ids = rows.Select(r => r.SubjectId).Distinct().ToList();
        var people = await db.Subjects.AsNoTracking().Where(s => ids.Contains(s.Id)).ToDictionaryAsync(s => s.Id, cancellationToken);
        Requests = [.. rows.Select(r => new UnmaskRow(r, SubjectRegistry.MaskedNumber(people[r.SubjectId]), r.RequestedBy == me))];
    }
}
