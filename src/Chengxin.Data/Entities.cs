using Chengxin.Catalog;
using Chengxin.Crypto;
using Microsoft.AspNetCore.Identity;

namespace Chengxin.Data;

/// <summary>A department, court, school, association, agency or platform, keyed by its unified social credit code.</summary>
public sealed class Organisation
{
    public Guid Id { get; set; } = PooledRandom.NewGuidVersion7();
    public required string Code { get; set; }
    public required string NameZh { get; set; }
    public required string NameEn { get; set; }
    public required string Kind { get; set; }
    public required string Division { get; set; }
    /// <summary>A user department: it runs checks and reads shared data for a legal purpose.</summary>
    public bool Uses { get; set; }
    public bool Synthetic { get; set; }
    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
    public List<OrganisationItem> Provides { get; set; } = [];
}

/// <summary>A catalog item an organisation is registered to provide.</summary>
public sealed class OrganisationItem
{
    public Guid OrganisationId { get; set; }
    public required string ItemCode { get; set; }
}

/// <summary>A published catalog version (the province's or a city's), kept whole so a record can be judged by the version it was collected under.</summary>
public sealed class CatalogVersion
{
    public Guid Id { get; set; } = PooledRandom.NewGuidVersion7();
    public required string Scope { get; set; }
    public required string Version { get; set; }
    public DateOnly EffectiveFrom { get; set; }
    public required string ContentSha256 { get; set; }
    public DateTimeOffset LoadedAt { get; set; } = DateTimeOffset.UtcNow;
    public List<CatalogEntry> Items { get; set; } = [];
}

/// <summary>One item of a catalog version: the searchable columns, and the whole definition as JSON.</summary>
public sealed class CatalogEntry
{
    public Guid CatalogVersionId { get; set; }
    public required string Code { get; set; }
    public CatalogCategory Category { get; set; }
    public Polarity Polarity { get; set; }
    public Disclosure Disclosure { get; set; }
    public required string Definition { get; set; }
}

/// <summary>
/// A person the platform holds records about. The certificate number and name are stored only
/// encrypted; <see cref="BlindIndex"/> finds the row by number. Everything else refers to <see cref="Id"/>,
/// which never changes when keys rotate.
/// </summary>
public sealed class Subject
{
    public Guid Id { get; set; } = PooledRandom.NewGuidVersion7();
    public required string IdType { get; set; }
    public required string BlindIndex { get; set; }
    public required byte[] IdNumberCipher { get; set; }
    public required byte[] NameCipher { get; set; }
    /// <summary>The data key both ciphertexts were made with, so key rotation finds what it has left to re-encrypt.</summary>
    public required string KeyId { get; set; }
    /// <summary>Only the last four characters, for masked display without decrypting.</summary>
    public required string IdNumberTail { get; set; }
    /// <summary>For resident IDs, the division code (first six digits) used in masked display.</summary>
    public string? DivisionCode { get; set; }
    public bool Synthetic { get; set; }
    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
}

/// <summary>A person's role at an organisation (legal representative, responsible person), so measures against the organisation can reach them.</summary>
public sealed class SubjectRole
{
    public Guid Id { get; set; } = PooledRandom.NewGuidVersion7();
    public Guid SubjectId { get; set; }
    public required string OrganisationCode { get; set; }
    public required string OrganisationName { get; set; }
    public required string Role { get; set; }
    public DateOnly? Since { get; set; }
}

public enum RecordStatus
{
    Active,
    Revoked,
    Repaired,
    /// <summary>Only in the change feed: the record was deleted at the end of its retention.</summary>
    Purged,
}

/// <summary>One fact about one subject from one provider, unique by (provider, source id); its content lives in versions.</summary>
public sealed class CreditRecord
{
    public Guid Id { get; set; } = PooledRandom.NewGuidVersion7();
    public Guid SubjectId { get; set; }
    public Guid ProviderId { get; set; }
    public required string SourceId { get; set; }
    public required string ItemCode { get; set; }
    public required string CatalogVersion { get; set; }
    public DateOnly OccurredOn { get; set; }
    public string? Grade { get; set; }
    public RecordStatus Status { get; set; }
    public int CurrentVersion { get; set; }
    /// <summary>The digest of the current version's content, so a retried push is recognised without reading versions.</summary>
    public string ContentSha256 { get; set; } = "";
    /// <summary>From the financial credit database or a licensed credit agency: shown as a reference to its source.</summary>
    public bool IsReference { get; set; }
    public bool Synthetic { get; set; }
    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
    public DateTimeOffset UpdatedAt { get; set; } = DateTimeOffset.UtcNow;
    public DateTimeOffset? RevokedAt { get; set; }
    public string? RevocationReason { get; set; }
    public List<RecordVersion> Versions { get; set; } = [];
}

public enum RecordChangeKind
{
    Created,
    Updated,
    Revoked,
    /// <summary>Deleted at the end of its retention: receivers delete their copy.</summary>
    Purged,
}

/// <summary>
/// One change to a record, written in the same transaction as the change itself: the outbox from
/// which the change feed and the webhooks deliver every change, in order, to every entitled receiver.
/// </summary>
public sealed class RecordChange
{
    public long Sequence { get; set; }
    public Guid RecordId { get; set; }
    public Guid SubjectId { get; set; }
    public Guid ProviderId { get; set; }
    public required string ItemCode { get; set; }
    public RecordChangeKind Kind { get; set; }
    public int Version { get; set; }
    public DateTimeOffset At { get; set; } = DateTimeOffset.UtcNow;

    /// <summary>Set on a purge only: the record row is gone, and receivers find their copy by it.</summary>
    public string? SourceId { get; set; }
}

/// <summary>A version of a record's content. Versions are only ever added.</summary>
public sealed class RecordVersion
{
    public Guid RecordId { get; set; }
    public int Number { get; set; }
    public required string ContentSha256 { get; set; }
    public required string Fields { get; set; }
    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
}

/// <summary>A department's system that signs in with client credentials; the OpenIddict application holds the hashed secret.</summary>
public sealed class SystemClient
{
    public required string ClientId { get; set; }
    public required string Name { get; set; }
    public Guid OrganisationId { get; set; }
    public required string Scopes { get; set; }
    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
    public DateTimeOffset? RevokedAt { get; set; }
}

/// <summary>A person who signs in to the portal.</summary>
public sealed class PortalUser : IdentityUser<Guid>
{
    public required string DisplayName { get; set; }
    public Guid? OrganisationId { get; set; }
    public Guid? SubjectId { get; set; }
    public bool Synthetic { get; set; }
}

/// <summary>An organisation that receives the changes of the items it subscribed to: by the feed, and by webhook when it gave a URL.</summary>
public sealed class Receiver
{
    public Guid Id { get; set; } = PooledRandom.NewGuidVersion7();
    public Guid OrganisationId { get; set; }
    public string? WebhookUrl { get; set; }
    /// <summary>The webhook signing secret, encrypted like every secret the platform must read back.</summary>
    public byte[]? WebhookSecretCipher { get; set; }
    /// <summary>The last change sequence its webhook acknowledged.</summary>
    public long DeliveredThrough { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset? NextAttemptAt { get; set; }
    public DateTimeOffset? LastDeliveredAt { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
    public List<ReceiverItem> Items { get; set; } = [];
}

public sealed class ReceiverItem
{
    public Guid ReceiverId { get; set; }
    public required string ItemCode { get; set; }
}

/// <summary>Changes a webhook could not deliver after every retry; the credit office sees them and can send them again.</summary>
public sealed class DeadLetter
{
    public Guid Id { get; set; } = PooledRandom.NewGuidVersion7();
    public Guid ReceiverId { get; set; }
    public long FromSequence { get; set; }
    public long ToSequence { get; set; }
    public int Attempts { get; set; }
    public required string LastError { get; set; }
    public DateTimeOffset At { get; set; } = DateTimeOffset.UtcNow;
    public DateTimeOffset? RequeuedAt { get; set; }
}

public enum SubmissionChannel
{
    Api,
    File,
    Cli,
}

public enum SubmissionStatus
{
    Queued,
    Running,
    Done,
    Failed,
}

/// <summary>One batch a provider sent, by API, portal upload or command line: what came in, what was accepted, why the rest was not.</summary>
public sealed class Submission
{
    public Guid Id { get; set; } = PooledRandom.NewGuidVersion7();
    public Guid ProviderId { get; set; }
    public SubmissionChannel Channel { get; set; }
    public SubmissionStatus Status { get; set; }
    public string? ItemCode { get; set; }
    public string? FileName { get; set; }
    public long FileBytes { get; set; }
    public long BytesRead { get; set; }
    public int Rows { get; set; }
    public int Created { get; set; }
    public int Updated { get; set; }
    public int Unchanged { get; set; }
    public int Rejected { get; set; }
    /// <summary>Rejections counted by error code, as JSON: {"checksum": 3, ...}.</summary>
    public string RejectionsByCode { get; set; } = "{}";
    public string? Error { get; set; }
    public DateTimeOffset ReceivedAt { get; set; } = DateTimeOffset.UtcNow;
    public DateTimeOffset? FinishedAt { get; set; }
}

/// <summary>A job that must run on one node at a time: whoever holds the unexpired lease runs it.</summary>
public sealed class Lease
{
    public required string Name { get; set; }
    public required string Holder { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
}

/// <summary>
/// One entry of the append-only audit log: a change or a registered read. Each entry's hash chains
/// it to the one before (see <c>Chengxin.Audit.AuditChain</c>); the database refuses updates and deletes.
/// </summary>
public sealed class AuditEntry
{
    /// <summary>Column widths: what is longer is cut before it is hashed, so the stored entry still verifies.</summary>
    public const int ActorLength = 128, TargetLength = 256;

    public long Sequence { get; set; }
    public DateTimeOffset At { get; set; }
    /// <summary>Who: <c>user:{id}</c>, <c>client:{clientId}</c>, <c>cli:{os user}</c> or <c>system:{job}</c>.</summary>
    public required string Actor { get; set; }
    public required string Action { get; set; }
    public Guid? SubjectId { get; set; }
    public required string Target { get; set; }
    public required string Detail { get; set; }
    public required byte[] Hash { get; set; }
}

/// <summary>A signed statement of the audit chain's length and head hash, signed with a key kept outside the database.</summary>
public sealed class AuditCheckpoint
{
    public long Sequence { get; set; }
    public required byte[] Head { get; set; }
    public DateTimeOffset At { get; set; }
    /// <summary><c>algorithm:keyId:base64</c>.</summary>
    public required string Signature { get; set; }
}

/// <summary>
/// One read of one person's data: who read it, through which channel, for which purpose, on which
/// basis, which items came back, when. Kept ten years; the person can read the list about them.
/// </summary>
public sealed class QueryRegistration
{
    /// <summary>
    /// Column widths. A sharing purpose carries the matter's number (200 + 64 characters), a legal basis its provision (200
    /// after <c>legal:</c>); the registration's digest is taken of what is stored, so nothing is cut after it.
    /// </summary>
    public const int ActorLength = 128, ChannelLength = 16, PurposeLength = 300, BasisLength = 256;

    public Guid Id { get; set; } = PooledRandom.NewGuidVersion7();
    public DateTimeOffset At { get; set; }
    public Guid SubjectId { get; set; }
    public required string Actor { get; set; }
    public Guid? OrganisationId { get; set; }
    public required string Channel { get; set; }
    public required string Purpose { get; set; }
    /// <summary><c>self</c>, <c>own-records</c>, <c>entitlement:{receiver}</c>, <c>authorisation:{id}</c> or <c>legal:{basis}</c>.</summary>
    public required string Basis { get; set; }
    /// <summary>The catalog items returned, comma-separated.</summary>
    public required string Items { get; set; }
    public int Records { get; set; }
    /// <summary>When the law defers telling the person about this query, the day it may be shown to them.</summary>
    public DateTimeOffset? DisclosedFrom { get; set; }
    /// <summary>The credit report this read issued or read again, so the person can tell one report's copies from new queries.</summary>
    public string? ReportNo { get; set; }
    /// <summary>The audit entry that vouches for this registration.</summary>
    public long AuditSequence { get; set; }
}

/// <summary>An auditor's review of a registration: a flag or a comment, added, never edited.</summary>
public sealed class QueryReview
{
    public Guid Id { get; set; } = PooledRandom.NewGuidVersion7();
    public Guid RegistrationId { get; set; }
    public Guid ReviewerId { get; set; }
    public bool Flagged { get; set; }
    public required string Comment { get; set; }
    public DateTimeOffset At { get; set; }
}

/// <summary>
/// A person's consent for a querier: which organisation, for what purpose, which catalog categories,
/// until when; given in the portal or as a written authorisation the querier registered with its
/// evidence. Revocation takes effect at once. The subject may be unknown to the platform (then
/// <see cref="SubjectId"/> is null and the blind index is kept), so registering one never reveals
/// whether the platform holds anything about the person.
/// </summary>
public sealed class Authorisation
{
    public Guid Id { get; set; } = PooledRandom.NewGuidVersion7();
    public Guid? SubjectId { get; set; }
    public required string SubjectIndex { get; set; }
    public Guid QuerierId { get; set; }
    public required string Purpose { get; set; }
    /// <summary>Catalog categories, comma-separated, in their API spelling.</summary>
    public required string Categories { get; set; }
    public DateOnly ValidFrom { get; set; }
    public DateOnly ValidUntil { get; set; }
    /// <summary><c>portal</c> (granted by the person) or <c>written</c> (registered by the querier with evidence).</summary>
    public required string Channel { get; set; }
    public string? EvidenceFileName { get; set; }
    public string? EvidenceSha256 { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}

/// <summary>An issued credit report: what it covered is kept encrypted, so it can be downloaded again and verified.</summary>
public sealed class CreditReport
{
    /// <summary>The masked number (at most 18), a space and a masked name (names are at most 100).</summary>
    public const int MaskedIdentityLength = 128;

    public Guid Id { get; set; } = PooledRandom.NewGuidVersion7();
    public required string ReportNo { get; set; }
    public required string VerificationCode { get; set; }
    public Guid SubjectId { get; set; }
    /// <summary><c>self</c> or <c>authorised</c>.</summary>
    public required string Kind { get; set; }
    public Guid? QuerierId { get; set; }
    public Guid? AuthorisationId { get; set; }
    public required string MaskedIdentity { get; set; }
    public required string ContentSha256 { get; set; }
    /// <summary>The report's JSON, encrypted and bound to this row.</summary>
    public required byte[] ContentCipher { get; set; }
    public DateTimeOffset IssuedAt { get; set; }
}

/// <summary>Something the credit office must look at: a system suspended for bulk reading, say.</summary>
public sealed class SecurityAlert
{
    public Guid Id { get; set; } = PooledRandom.NewGuidVersion7();
    public DateTimeOffset At { get; set; }
    public required string Actor { get; set; }
    public required string Kind { get; set; }
    public required string Detail { get; set; }
    public DateTimeOffset? AcknowledgedAt { get; set; }
    public Guid? AcknowledgedBy { get; set; }
}

/// <summary>
/// A credit agency, organisation or staff account that misused data: while listed, its systems get
/// no token and its people cannot sign in. Entries are removed by marking, never deleted.
/// </summary>
public sealed class BlacklistEntry
{
    public Guid Id { get; set; } = PooledRandom.NewGuidVersion7();
    /// <summary><c>organisation</c> (by unified social credit code) or <c>account</c> (by e-mail).</summary>
    public required string Kind { get; set; }
    public required string Key { get; set; }
    public required string Reason { get; set; }
    public DateTimeOffset ListedAt { get; set; }
    public required string ListedBy { get; set; }
    public DateTimeOffset? RemovedAt { get; set; }
}

/// <summary>
/// A credit officer's request to see a person's full identity number, with the reason; a second
/// officer approves or refuses it; the approved number is shown once, and that reading is registered.
/// </summary>
public sealed class UnmaskRequest
{
    public Guid Id { get; set; } = PooledRandom.NewGuidVersion7();
    public Guid SubjectId { get; set; }
    public Guid RequestedBy { get; set; }
    public required string Reason { get; set; }
    public DateTimeOffset RequestedAt { get; set; }
    public Guid? DecidedBy { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
    public bool Approved { get; set; }
    public DateTimeOffset? ViewedAt { get; set; }
}

/// <summary>Requests counted by every node in one caller's one-minute window: the shared rate-limit counter.</summary>
public sealed class RateWindow
{
    public required string Key { get; set; }
    /// <summary>Minutes since the Unix epoch.</summary>
    public long Minute { get; set; }
    public long Count { get; set; }
}

/// <summary>Text cut to a column's width before it is stored (and hashed), never inside a surrogate pair.</summary>
public static class Columns
{
    public static string Fit(string value, int length) =>
        value.Length <= length ? value : value[..(char.IsHighSurrogate(value[length - 1]) ? length - 1 : length)];
}
