using System.Text.RegularExpressions;
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
public sealed partial class SharingService(ChengxinDb db, SubjectRegistry subjects, ArchiveService archive, QueryLog queries, AuditTrail audit, TimeProvider clock)
{
    public const int MaxDeferralYears = 2;

    /// <summary>The audit action of a sharing request from an organisation that is not a user department.</summary>
    public const string Refused = "sharing.refused";

    /// <summary>
    /// The sharing result, or field errors (400), or a refusal (403) when the organisation is not a user department:
    /// a request outside the caller's organisation is refused and logged (EXCHANGE.md), before its content is looked at.
    /// </summary>
    public async Task<(SharingResult? Result, Dictionary<string, string[]> Errors, ReportRefusal? Refusal)> ShareAsync(Guid departmentId, string actor, SharingRequest request,
        CancellationToken cancellationToken)
    {
        var department = await db.Organisations.AsNoTracking().SingleAsync(o => o.Id == departmentId, cancellationToken);
        if (!department.Uses)
        {
            await audit.AppendAsync(new AuditEvent(actor, Refused, null, $"organisation:{department.Code}", "{}"), cancellationToken);
            return (null, [], new ReportRefusal(403, "Only user departments may read shared data.",
                "Government sharing is for departments registered as using the platform (chengxin org add --uses); ask the credit office to register yours."));
        }
        var errors = subjects.Check(request.Subject, out var type, out var number).ToDictionary(e => e.Field, e => new[] { e.Message });
        if (TextField.Problem("purpose", request.Purpose, 200, "the matter being handled") is { } purposeProblem)
        {
            errors["purpose"] = [purposeProblem];
        }
        const string Provides = "the provision that allows the department to read without consent, cited as the law or regulation by its title in book-title marks and the article, e.g. \"《中华人民共和国行政许可法》第三十一条\"";
        if (TextField.Problem("legalBasis", request.LegalBasis, 200, Provides) is { } basisProblem)
        {
            errors["legalBasis"] = [basisProblem];
        }
        else if (!Provision().IsMatch(request.LegalBasis!))
        {
            errors["legalBasis"] = [$"legalBasis does not cite a provision: give {Provides}."];
        }
        if (request.BusinessRef is { Length: > 64 })
        {
            errors["businessRef"] = ["businessRef is at most 64 characters: the department's number for the matter being handled."];
        }
        var today = Calendar.ChinaTime.Today(clock);
        if (request.DisclosedFrom is { } deferred && (deferred <= today || deferred > today.AddYears(MaxDeferralYears)))
        {
            errors["disclosedFrom"] = [$"disclosedFrom defers telling the person: a date after today, at most {MaxDeferralYears} years ahead."];
        }
        if (errors.Count > 0)
        {
            return (null, errors, null);
        }
        // The matter's number goes with the purpose, so the person and the auditors can tell which case the read was for.
        var purpose = string.IsNullOrWhiteSpace(request.BusinessRef) ? request.Purpose!.Trim() : $"{request.Purpose!.Trim()}（{request.BusinessRef.Trim()}）";
        var subject = await subjects.FindAsync(type, number, cancellationToken);
        var sharedAt = AuditChain.Truncate(clock.GetUtcNow());
        if (subject is null)
        {
            // Nothing to register against a person; the miss is still audited (it counts towards enumeration detection).
            await audit.AppendAsync(new AuditEvent(actor, QueryLog.Miss, null, $"api:{purpose}", "{}"), cancellationToken);
            return (new SharingResult(AsAsked(type, number, request.Subject!.Name!), sharedAt, []), errors, null);
        }
        var name = subjects.Name(subject);
        if (!SubjectRegistry.SameName(name, request.Subject!.Name))
        {
            // The number is the person's, the name is not: registered as a refused read, answered as for an unknown person.
            await queries.RegisterAsync(new QueryContext(actor, departmentId, "api", purpose, "refused:other-name"), [new SubjectRead(subject.Id, [], 0)], cancellationToken);
            return (new SharingResult(AsAsked(type, number, request.Subject.Name!), sharedAt, []), errors, null);
        }
        var records = await archive.ShownAsync(subject.Id, null, Disclosure.Government, cancellationToken);
        // A deferred disclosure starts at midnight in China on the day given.
        DateTimeOffset? disclosedFrom = request.DisclosedFrom is { } from ? Calendar.ChinaTime.At(from, TimeOnly.MinValue) : null;
        await queries.RegisterAsync(new QueryContext(actor, departmentId, "api", purpose, $"legal:{request.LegalBasis!.Trim()}"),
            [new SubjectRead(subject.Id, [.. records.Select(r => r.ItemCode)], records.Count)], cancellationToken, disclosedFrom);
        return (new SharingResult(AsAsked(type, number, request.Subject.Name!), sharedAt,
            [.. records.Select(r => new ReportRecord(AuthorisationService.CategoryName(r.Category), r.ItemCode, r.Item?.Name.Zh ?? r.ItemCode, r.ProviderZh,
                r.OccurredOn, r.Grade, r.Polarity, r.IsReference, r.Display.ShownThrough, r.Fields))]), errors, null);
    }

    /// <summary>
    /// The identity an answer gives, known person or not: the certificate and name as asked, masked. Not the registered name,
    /// which may differ from the one asked in spaces or width; so an unknown person's answer is a known one's without records.
    /// </summary>
    private static ReportSubject AsAsked(IdType type, string number, string name) =>
        new(type.ToCode(), SubjectRegistry.MaskedNumber(type, number), Masking.Name(name.Trim()));

    // A provision: an instrument by its title in book-title marks, then its article (Chinese or Arabic numerals).
    [GeneratedRegex(@"《[^《》]{2,80}》.{0,40}?第[0-9一二三四五六七八九十百千零〇两]+条")]
    private static partial Regex Provision();
}
