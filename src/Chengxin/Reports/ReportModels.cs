using System.Text.Json;
using System.Text.Json.Serialization;
using Chengxin.Catalog;

namespace Chengxin.Reports;

/// <summary>The person a report is about: the number always masked; the name in full on their own report, masked on anyone else's.</summary>
public sealed record ReportSubject(string IdType, string IdNumber, string Name);

public sealed record ReportQuerier(string Code, string Name);

/// <summary>Counts of what the report holds, as the national report's summary gives them.</summary>
public sealed record ReportSummary(int Records, int Positive, int Negative, int Neutral, IReadOnlyDictionary<string, int> ByCategory);

public sealed record ReportRecord(
    string Category,
    string CatalogItem,
    string ItemName,
    string Provider,
    DateOnly OccurredOn,
    string? Grade,
    Polarity Polarity,
    bool IsReference,
    DateOnly? ShownThrough,
    JsonElement Fields);

/// <summary>A query of the person, as the report's query history lists it.</summary>
/// <param name="AuthorisationChannel">How the authorisation it cited was given (<c>portal</c>, <c>written</c>); absent when it cited none.</param>
/// <param name="ReportNo">The report the query issued or read again, or was refused reading again; absent when it concerned none.</param>
/// <param name="ReportRead">How it concerned that report (<c>issued</c>, <c>copy</c>, <c>refused</c>), as "who looked at me" says it.</param>
/// <remarks>The optional fields are absent from reports issued before they were kept.</remarks>
public sealed record ReportQuery(DateTimeOffset At, string Who, string Purpose, string Basis,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? AuthorisationChannel = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ReportNo = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ReportRead = null);

/// <summary>
/// A credit report, structured like the national public credit information report (individual
/// version): identity, summary, records by category, lists, query history.
/// </summary>
public sealed record CreditReportContent(
    string ReportNo,
    string VerificationCode,
    DateTimeOffset IssuedAt,
    string Kind,
    ReportSubject Subject,
    ReportQuerier? Querier,
    string Purpose,
    Guid? AuthorizationId,
    IReadOnlyList<string> Scope,
    ReportSummary Summary,
    IReadOnlyList<ReportRecord> Records,
    IReadOnlyList<string> Lists,
    IReadOnlyList<ReportQuery> Queries);

/// <summary>The body of <c>POST /api/v1/reports</c>.</summary>
/// <param name="Categories">Optional: a part of what the authorisation covers; without it, all it covers.</param>
public sealed record ReportRequest(Subjects.SubjectInput? Subject, string? Purpose, Guid? AuthorizationId, IReadOnlyList<string>? Categories = null);

/// <summary>The body of <c>POST /api/v1/authorizations</c>.</summary>
public sealed record AuthorizationRequest(Subjects.SubjectInput? Subject, string? Purpose, IReadOnlyList<string>? Categories, DateOnly? ValidUntil, EvidenceFile? Evidence);

public sealed record EvidenceFile(string? FileName, string? ContentBase64);

public sealed record AuthorizationCreated(Guid AuthorizationId);

/// <summary>An authorisation as its querier sees it: the terms, and <c>current</c>, <c>revoked</c> or <c>outside-term</c>.</summary>
public sealed record AuthorizationView(Guid AuthorizationId, string Purpose, IReadOnlyList<string> Categories, DateOnly ValidFrom, DateOnly ValidUntil,
    string Channel, string State, DateTimeOffset? RevokedAt);

/// <summary>
/// What <c>/verify/{code}</c> tells anyone: that the report exists, which edition it is (the person's own, <c>self</c>, or an
/// authorised querier's, <c>authorised</c>), when it was issued, whom it is about (masked), and its digest.
/// </summary>
public sealed record ReportVerification(string ReportNo, string Kind, DateTimeOffset IssuedAt, string MaskedIdentity, string ContentSha256);

/// <summary>The body of <c>POST /api/v1/sharing</c>: a department reads a person's shareable items for a stated legal purpose.</summary>
/// <param name="DisclosedFrom">When the law lets the department defer telling the person (an investigation, say): the day the query may appear in their "who looked at me".</param>
public sealed record SharingRequest(Subjects.SubjectInput? Subject, string? Purpose, string? LegalBasis, string? BusinessRef = null, DateOnly? DisclosedFrom = null);

/// <summary>What government sharing returns: the masked person and every record shown today that may be shared with government.</summary>
public sealed record SharingResult(ReportSubject Subject, DateTimeOffset SharedAt, IReadOnlyList<ReportRecord> Records);
