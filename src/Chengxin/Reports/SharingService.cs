using Chengxin.Archive;
using Chengxin.Audit;
using Chengxin.Catalog;
using Chengxin.Data;
using Chengxin.Identity;
using Chengxin.Subjects;
using Microsoft.EntityFrameworkCore;

namespace Chengxin.Reports;

/// <summary>
/// Government sharing: a user department handling a matter reads a person's records that may be
/// shared with government, without the person's consent but for a stated purpose on a stated legal
/// basis, and the read is registered like every other. A person the platform does not know gets the
/// same answer as a person with no records: an empty list.
/// </summary>
public sealed class SharingService(ChengxinDb db, SubjectRegistry subjects, ArchiveService archive, QueryLog queries, AuditTrail audit, TimeProvider clock)
{
    public const int MaxDeferralYears = 2;

    public async Task<(SharingResult? Result, Dictionary<string, string[]> Errors)> ShareAsync(Guid departmentId, string actor, SharingRequest request, CancellationToken cancellationToken)
    {
        var errors = subjects.Check(request.Subject, out var type, out var number).ToDictionary(e => e.Field, e => new[] { e.Message });
        if (string.IsNullOrWhiteSpace(request.Purpose) || request.Purpose.Trim().Length > 200)
        {
            errors["purpose"] = ["purpose is required, at most 200 characters: the matter being handled."];
        }
        if (string.IsNullOrWhiteSpace(request.LegalBasis) || request.LegalBasis.Trim().Length > 200)
        {
            errors["legalBasis"] = ["legalBasis is required, at most 200 characters: the provision that allows the department to read without consent."];
        }
        var today = Calendar.ChinaTime.Today(clock);
        if (request.DisclosedFrom is { } deferred && (deferred <= today || deferred > today.AddYears(MaxDeferralYears)))
        {
            errors["disclosedFrom"] = [$"disclosedFrom defers telling the person: a date after today, at most {MaxDeferralYears} years ahead."];
        }
        var department = await db.Organisations.AsNoTracking().SingleAsync(o => o.Id == departmentId, cancellationToken);
        if (!department.Uses)
        {
            errors["organisation"] = ["Only user departments (registered as using the platform) may read shared data."];
        }
        if (errors.Count > 0)
        {
            return (null, errors);
        }
        var subject = await subjects.FindAsync(type, number, cancellationToken);
        var sharedAt = AuditChain.Truncate(clock.GetUtcNow());
        if (subject is null)
        {
            // Nothing to register against a person; the miss is still audited (it counts towards enumeration detection).
            await audit.AppendAsync(new AuditEvent(actor, QueryLog.Miss, null, $"api:{request.Purpose!.Trim()}", "{}"), cancellationToken);
            return (new SharingResult(new ReportSubject(type.ToCode(), Masking.IdNumber(number), "*"), sharedAt, []), errors);
        }
        var name = subjects.Name(subject);
        if (!SubjectRegistry.SameName(name, request.Subject!.Name))
        {
            // The number is the person's, the name is not: registered as a refused read, answered as for an unknown person.
            await queries.RegisterAsync(new QueryContext(actor, departmentId, "api", request.Purpose!.Trim(), "refused:other-name"), [new SubjectRead(subject.Id, [], 0)], cancellationToken);
            return (new SharingResult(new ReportSubject(type.ToCode(), Masking.IdNumber(number), "*"), sharedAt, []), errors);
        }
        var records = await archive.ShownAsync(subject.Id, null, Disclosure.Government, cancellationToken);
        // A deferred disclosure starts at midnight in China on the day given.
        DateTimeOffset? disclosedFrom = request.DisclosedFrom is { } from ? Calendar.ChinaTime.At(from, TimeOnly.MinValue) : null;
        await queries.RegisterAsync(new QueryContext(actor, departmentId, "api", request.Purpose!.Trim(), $"legal:{request.LegalBasis!.Trim()}"),
            [new SubjectRead(subject.Id, [.. records.Select(r => r.ItemCode)], records.Count)], cancellationToken, disclosedFrom);
        return (new SharingResult(new ReportSubject(subject.IdType, SubjectRegistry.MaskedNumber(subject), Masking.Name(name)), sharedAt,
            [.. records.Select(r => new ReportRecord(AuthorisationService.CategoryName(r.Category), r.ItemCode, r.Item?.Name.Zh ?? r.ItemCode, r.ProviderZh,
                r.OccurredOn, r.Grade, r.Polarity, r.IsReference, r.Display.ShownThrough, r.Fields))]), errors);
    }
}
