using Chengxin.Audit;
using Chengxin.Data;
using Chengxin.Subjects;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Chengxin.Pages.Audit;

public sealed record ReviewedQuery(QueryRegistration Query, string MaskedSubject, string? Organisation, IReadOnlyList<QueryReview> Reviews);

/// <summary>
/// Auditors review query registrations: filter by who, channel and basis, draw a random sample,
/// flag a registration and comment on it (reviews are added, never edited), and check the audit chain.
/// </summary>
public sealed class QueriesModel(ChengxinDb db, UserManager<PortalUser> users, QueryLog queries, AuditVerification verification) : PageModel
{
    public const int PageSize = 100;

    [BindProperty(SupportsGet = true)]
    public string? Actor { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Channel { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Basis { get; set; }

    [BindProperty(SupportsGet = true)]
    public bool Sample { get; set; }

    [BindProperty(SupportsGet = true)]
    public bool FlaggedOnly { get; set; }

    public IReadOnlyList<ReviewedQuery> Rows { get; private set; } = [];

    public ChainReport? Chain { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostReviewAsync(Guid id, bool flagged, string? comment, CancellationToken cancellationToken)
    {
        var reviewer = await users.GetUserAsync(User);
        if (reviewer is null || !await db.QueryRegistrations.AnyAsync(q => q.Id == id, cancellationToken))
        {
            return NotFound();
        }
        db.QueryReviews.Add(new QueryReview { RegistrationId = id, ReviewerId = reviewer.Id, Flagged = flagged, Comment = (comment ?? "").Trim()[..Math.Min((comment ?? "").Trim().Length, 2000)], At = DateTimeOffset.UtcNow });
        await db.SaveChangesAsync(cancellationToken);
        return RedirectToPage(new { Actor, Channel, Basis, FlaggedOnly });
    }

    public async Task OnPostVerifyAsync(CancellationToken cancellationToken)
    {
        Chain = await verification.VerifyAsync([], cancellationToken);
        await LoadAsync(cancellationToken);
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var query = db.QueryRegistrations.AsNoTracking().AsQueryable();
        if (!string.IsNullOrWhiteSpace(Actor))
        {
            query = query.Where(q => q.Actor.Contains(Actor.Trim()));
        }
        if (!string.IsNullOrWhiteSpace(Channel))
        {
            query = query.Where(q => q.Channel == Channel.Trim());
        }
        if (!string.IsNullOrWhiteSpace(Basis))
        {
            query = query.Where(q => q.Basis.StartsWith(Basis.Trim()));
        }
        if (FlaggedOnly)
        {
            var flagged = db.QueryReviews.Where(r => r.Flagged).Select(r => r.RegistrationId);
            query = query.Where(q => flagged.Contains(q.Id));
        }
        List<QueryRegistration> picked;
        if (Sample)
        {
            // A random sample: ids drawn in memory from the filtered set's ids, so it works the same on every database.
            var ids = await query.Select(q => q.Id).Take(100_000).ToListAsync(cancellationToken);
            var chosen = ids.OrderBy(_ => Random.Shared.Next()).Take(PageSize).ToList();
            picked = await db.QueryRegistrations.AsNoTracking().Where(q => chosen.Contains(q.Id)).ToListAsync(cancellationToken);
        }
        else
        {
            // The latest page only, picked by the database: registrations are numbered in the chain's order as they are made.
            picked = [.. (await query.OrderByDescending(q => q.AuditSequence).ThenByDescending(q => q.Id).Take(PageSize).ToListAsync(cancellationToken))
                .OrderByDescending(q => q.At)];
        }
        var subjectIds = picked.Select(q => q.SubjectId).Distinct().ToList();
        var people = await db.Subjects.AsNoTracking().Where(s => subjectIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, cancellationToken);
        var orgIds = picked.Where(q => q.OrganisationId != null).Select(q => q.OrganisationId!.Value).Distinct().ToList();
        var organisations = await db.Organisations.AsNoTracking().Where(o => orgIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.NameZh, cancellationToken);
        var pickedIds = picked.Select(q => q.Id).ToList();
        var reviews = (await db.QueryReviews.AsNoTracking().Where(r => pickedIds.Contains(r.RegistrationId)).ToListAsync(cancellationToken)).ToLookup(r => r.RegistrationId);
        Rows = [.. picked.Select(q => new ReviewedQuery(q, people.TryGetValue(q.SubjectId, out var s) ? SubjectRegistry.MaskedNumber(s) : "—",
            q.OrganisationId is { } org ? organisations.GetValueOrDefault(org) : null, [.. reviews[q.Id].OrderBy(r => r.At)]))];
        // The auditor's own review is a read of (masked) personal data too.
        await queries.RegisterAsync(new QueryContext(Actors.Of(User), null, "portal", "audit-review", "audit"),
            [.. Rows.GroupBy(r => r.Query.SubjectId).Select(g => new SubjectRead(g.Key, [], 0))], cancellationToken);
    }
}
