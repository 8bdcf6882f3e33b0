using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Chengxin.Data;
using Microsoft.EntityFrameworkCore;

namespace Chengxin.Audit;

/// <summary>Who reads, through which channel, for what, on which basis (see <see cref="QueryRegistration.Basis"/>), and the report it issued or read again.</summary>
public sealed record QueryContext(string Actor, Guid? OrganisationId, string Channel, string Purpose, string Basis, string? ReportNo = null);

/// <summary>What one read returned about one person.</summary>
public sealed record SubjectRead(Guid SubjectId, IReadOnlyCollection<string> Items, int Records);

/// <summary>
/// One read of a person's data by someone else, as the person may see it: the reader's organisation in both languages when it
/// is one, and the report it issued or read again; <paramref name="AuditSequence"/> orders reads of the same moment.
/// </summary>
public sealed record QueryAboutPerson(DateTimeOffset At, string Actor, string? OrganisationZh, string? OrganisationEn, string Channel, string Purpose, string Basis, string Items, int Records,
    string? ReportNo, long AuditSequence);

/// <summary>
/// Registers every read of personal data, one row per person read, in the reader's transaction
/// (or, when it has none, in the next group commit of <see cref="AuditBatcher"/>), vouched for by
/// one audit entry that holds the digest of the rows: deleting or editing a registration later
/// breaks the digest, and <c>chengxin audit verify</c> says which.
/// </summary>
public sealed class QueryLog(ChengxinDb db, AuditTrail audit, AuditBatcher batcher, TimeProvider clock)
{
    public const string Action = "query";

    /// <summary>A query about a person the platform does not know: audited without a person, counted as a miss.</summary>
    public const string Miss = "query.miss";

    /// <param name="alongside">Rows committed with the registration (an issued report, say): kept if and only if the read is registered.</param>
    public async Task RegisterAsync(QueryContext context, IReadOnlyList<SubjectRead> reads, CancellationToken cancellationToken, DateTimeOffset? disclosedFrom = null,
        IReadOnlyList<object>? alongside = null)
    {
        if (reads.Count == 0)
        {
            return;
        }
        var at = AuditChain.Truncate(clock.GetUtcNow());
        var target = $"{context.Channel}:{context.Purpose}";
        var entry = new AuditEvent(context.Actor, Action, reads.Count == 1 ? reads[0].SubjectId : null, target, "");
        if (db.Database.CurrentTransaction is null)
        {
            // Nothing of the caller's to commit with: join the next group commit.
            await batcher.AppendAsync(entry, sequence => Rows(sequence, context, reads, at, disclosedFrom, alongside), cancellationToken);
            return;
        }
        await audit.AppendAsync(entry, cancellationToken, sequence => Rows(sequence, context, reads, at, disclosedFrom, alongside));
    }

    /// <summary>The registrations the entry vouches for and the rows that go with them; the entry's detail holds their digest.</summary>
    private static (string Detail, IReadOnlyList<object> Rows) Rows(long sequence, QueryContext context, IReadOnlyList<SubjectRead> reads, DateTimeOffset at, DateTimeOffset? disclosedFrom, IReadOnlyList<object>? alongside)
    {
        var rows = reads.Select(r => new QueryRegistration
        {
            At = at,
            SubjectId = r.SubjectId,
            // Requests are checked against these widths; cut here too, before the digest, so what is stored is what verifies.
            Actor = Columns.Fit(context.Actor, QueryRegistration.ActorLength),
            OrganisationId = context.OrganisationId,
            Channel = Columns.Fit(context.Channel, QueryRegistration.ChannelLength),
            Purpose = Columns.Fit(context.Purpose, QueryRegistration.PurposeLength),
            Basis = Columns.Fit(context.Basis, QueryRegistration.BasisLength),
            Items = string.Join(',', r.Items.Distinct().Order(StringComparer.Ordinal)),
            Records = r.Records,
            DisclosedFrom = disclosedFrom,
            ReportNo = context.ReportNo,
            AuditSequence = sequence,
        }).ToList();
        return (JsonSerializer.Serialize(new { registrations = rows.Count, digest = Digest(rows) }), [.. rows, .. alongside ?? []]);
    }

    /// <summary>
    /// Every read of the person's data by anyone else that may be shown to them at <paramref name="now"/>, newest first: their
    /// own reads are left out, and one whose disclosure the law defers only appears from its release date.
    /// </summary>
    public static IQueryable<QueryAboutPerson> AboutPerson(ChengxinDb db, Guid subjectId, DateTimeOffset now) =>
        from q in db.QueryRegistrations.AsNoTracking()
        join o in db.Organisations.AsNoTracking() on q.OrganisationId equals o.Id into orgs
        from o in orgs.DefaultIfEmpty()
        where q.SubjectId == subjectId && q.Basis != "self" && (q.DisclosedFrom == null || q.DisclosedFrom <= now)
        // Newest first; reads of the same millisecond in the order they were registered, so pages neither repeat nor skip one.
        orderby q.At descending, q.AuditSequence descending, q.Id
        select new QueryAboutPerson(q.At, q.Actor, o == null ? null : o.NameZh, o == null ? null : o.NameEn, q.Channel, q.Purpose, q.Basis, q.Items, q.Records,
            q.ReportNo, q.AuditSequence);

    /// <summary>
    /// How each of these reads concerned a report: <c>issued</c> it, read a <c>copy</c> of one issued before, or was
    /// <c>refused</c> reading it again; null for a read that concerned none. A report's first read about the person issued it.
    /// </summary>
    public static async Task<Func<QueryAboutPerson, string?>> ReportReadsAsync(ChengxinDb db, Guid subjectId, IReadOnlyCollection<QueryAboutPerson> reads, CancellationToken cancellationToken)
    {
        var reportNos = reads.Where(r => r.ReportNo is not null).Select(r => r.ReportNo!).Distinct().ToList();
        var issuing = reportNos.Count == 0
            ? []
            : await db.QueryRegistrations.AsNoTracking().Where(q => q.SubjectId == subjectId && q.ReportNo != null && reportNos.Contains(q.ReportNo))
                .GroupBy(q => q.ReportNo!).Select(g => new { g.Key, First = g.Min(q => q.AuditSequence) }).ToDictionaryAsync(g => g.Key, g => g.First, cancellationToken);
        return r => r.ReportNo is null ? null
            : r.Basis.StartsWith("refused:", StringComparison.Ordinal) ? "refused"
            : issuing.TryGetValue(r.ReportNo, out var first) && first < r.AuditSequence ? "copy"
            : "issued";
    }

    /// <summary>The digest of a set of registrations, independent of their order (a report number only where there is one, so older digests still hold).</summary>
    public static string Digest(IEnumerable<QueryRegistration> rows)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData("chengxin/query/v1\0"u8);
        foreach (var r in rows.OrderBy(r => r.Id))
        {
            hash.AppendData(Encoding.UTF8.GetBytes(
                $"{r.Id:N}|{r.At.UtcTicks}|{r.SubjectId:N}|{r.Actor}|{r.OrganisationId:N}|{r.Channel}|{r.Purpose}|{r.Basis}|{r.Items}|{r.Records}|{r.DisclosedFrom?.UtcTicks}{(r.ReportNo is null ? "" : "|report:" + r.ReportNo)}\n"));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
