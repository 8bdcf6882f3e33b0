using System.Text.Json;
using Chengxin.Data;
using Chengxin.Subjects;
using Microsoft.EntityFrameworkCore;

namespace Chengxin.Audit;

/// <summary>
/// Four eyes on a full identity number: an officer asks with a reason, another officer decides,
/// and an approved number is shown to the asker once, within an hour of approval. Each step is
/// audited and the viewing is a registered read.
/// </summary>
public sealed class Unmasking(ChengxinDb db, SubjectRegistry subjects, AuditTrail audit, QueryLog queries, TimeProvider clock)
{
    public static readonly TimeSpan ViewWindow = TimeSpan.FromHours(1);

    /// <summary>Asks to see the number of the person a provider's record is about.</summary>
    public async Task<(UnmaskRequest? Request, string? Problem)> RequestAsync(Guid officerId, string providerCode, string sourceId, string reason, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(reason) || reason.Trim().Length < 10 || reason.Trim().Length > 500)
        {
            return (null, "reason: say why the full number is needed (10 to 500 characters), e.g. the objection case it is for.");
        }
        var code = providerCode.Trim().ToUpperInvariant();
        var subjectId = await (from r in db.Records
                               join o in db.Organisations on r.ProviderId equals o.Id
                               where o.Code == code && r.SourceId == sourceId.Trim()
                               select (Guid?)r.SubjectId).SingleOrDefaultAsync(cancellationToken);
        if (subjectId is null)
        {
            return (null, "No record with this provider code and source id.");
        }
        var request = new UnmaskRequest { SubjectId = subjectId.Value, RequestedBy = officerId, Reason = reason.Trim(), RequestedAt = clock.GetUtcNow() };
        db.UnmaskRequests.Add(request);
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(new AuditEvent($"user:{officerId}", "unmask.request", request.SubjectId, $"unmask:{request.Id:N}", JsonSerializer.Serialize(new { request.Reason })), cancellationToken);
        return (request, null);
    }

    /// <summary>A second officer approves or refuses; nobody decides their own request.</summary>
    public async Task<string?> DecideAsync(Guid requestId, Guid officerId, bool approve, CancellationToken cancellationToken)
    {
        var request = await db.UnmaskRequests.SingleOrDefaultAsync(u => u.Id == requestId, cancellationToken);
        if (request is null || request.DecidedAt is not null)
        {
            return "No pending request with this id.";
        }
        if (request.RequestedBy == officerId)
        {
            return "A request must be decided by another officer.";
        }
        request.DecidedBy = officerId;
        request.DecidedAt = clock.GetUtcNow();
        request.Approved = approve;
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(new AuditEvent($"user:{officerId}", approve ? "unmask.approve" : "unmask.refuse", request.SubjectId, $"unmask:{request.Id:N}", "{}"), cancellationToken);
        return null;
    }

    /// <summary>The full number, once, for the officer who asked, within the window after approval; the read is registered.</summary>
    public async Task<(string? Number, string? Problem)> ViewAsync(Guid requestId, Guid officerId, CancellationToken cancellationToken)
    {
        var request = await db.UnmaskRequests.SingleOrDefaultAsync(u => u.Id == requestId && u.RequestedBy == officerId, cancellationToken);
        if (request is null || !request.Approved || request.ViewedAt is not null || clock.GetUtcNow() - request.DecidedAt > ViewWindow)
        {
            return (null, "This number can no longer be shown: the request was not approved, was already viewed, or its hour has passed. Ask again.");
        }
        var subject = await db.Subjects.AsNoTracking().SingleAsync(s => s.Id == request.SubjectId, cancellationToken);
        request.ViewedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        await queries.RegisterAsync(new QueryContext($"user:{officerId}", null, "portal", request.Reason, $"unmask:{request.Id:N}"),
            [new SubjectRead(request.SubjectId, ["identity"], 0)], cancellationToken);
        return (subjects.Number(subject), null);
    }
}
