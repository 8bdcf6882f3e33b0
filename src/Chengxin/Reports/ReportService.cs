using System.Buffers;
using System.Collections.Frozen;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text.Json;
using Chengxin.Archive;
using Chengxin.Audit;
using Chengxin.Catalog;
using Chengxin.Crypto;
using Chengxin.Data;
using Chengxin.Identity;
using Chengxin.Subjects;
using Microsoft.EntityFrameworkCore;

namespace Chengxin.Reports;

/// <summary>Why a report was not issued. Unknown people and missing authorisations get the same one.</summary>
public sealed record ReportRefusal(int Status, string Title, string Detail, Dictionary<string, string[]>? Errors = null);

/// <summary>
/// Issues credit reports: the person's own (everything shown today, their name in full, who
/// queried them), and an authorised querier's (only what the cited authorisation covers and the
/// items' disclosure allows, the identity masked). Every report is a registered query, has a
/// number and a verification code, and is kept encrypted so it can be downloaded and verified again.
/// </summary>
public sealed class ReportService(
    ChengxinDb db, SubjectRegistry subjects, ArchiveService archive, AuthorisationService authorisations,
    QueryLog queries, AuditTrail audit, FieldCipher cipher, Organisations.OrganisationDirectory organisations, TimeProvider clock)
{
    // Crockford's base32: no I, L, O or U to misread.
    private const string CodeAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        // Chinese as UTF-8 text, not \uXXXX: readable, and a third of the size to store and compress.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All),
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    /// <summary>A refusal gives the same answer, whether the person is unknown or the authorisation does not cover the query.</summary>
    public static readonly ReportRefusal NotAuthorised = new(403, "No valid authorisation for this query.",
        "Cite an authorisation the person gave your organisation for this purpose, covering these categories, within its term.");

    /// <summary>A request that cites no authorisation at all.</summary>
    public static readonly ReportRefusal CitesNoAuthorisation = NotAuthorised with
    {
        Errors = new() { ["authorizationId"] = ["authorizationId is required: every authorised query cites the authorisation the person gave."] },
    };

    public async Task<CreditReportContent> SelfAsync(Subject subject, string actor, CancellationToken cancellationToken)
    {
        var records = await archive.ShownAsync(subject.Id, null, Disclosure.Government, cancellationToken);
        var history = await QueryHistoryAsync(subject.Id, cancellationToken);
        var name = subjects.Name(subject);
        // The number masked on the person's own report too: it is printed and handed on (to a landlord, an employer), and the verification page masks it alike.
        var identity = new ReportSubject(subject.IdType, SubjectRegistry.MaskedNumber(subject), name);
        var (content, row) = Issue(subject, name, "self", identity, null, null, "own-report", null, [.. Enum.GetValues<CatalogCategory>()], records, history);
        // The report is kept in the transaction that registers its reading: both or neither.
        await queries.RegisterAsync(new QueryContext(actor, null, "portal", "own-report", "self", content.ReportNo), [Read(subject.Id, records)], cancellationToken, alongside: [row]);
        return content;
    }

    public async Task<(CreditReportContent? Report, ReportRefusal? Refusal)> AuthorisedAsync(Guid querierId, string actor, ReportRequest request, CancellationToken cancellationToken)
    {
        var errors = subjects.Check(request.Subject, out var type, out var number).ToDictionary(e => e.Field, e => new[] { e.Message });
        // Checked on the request alone, before the person is looked up: the answer says nothing about them.
        if (TextField.Problem("purpose", request.Purpose, AuthorisationService.PurposeLength, "the purpose the authorisation was given for") is { } purposeProblem)
        {
            errors["purpose"] = [purposeProblem];
        }
        var categories = new List<CatalogCategory>();
        foreach (var name in request.Categories ?? [])
        {
            if (AuthorisationService.TryParseCategory(name, out var category))
            {
                categories.Add(category);
            }
            else
            {
                errors["categories"] = [$"'{name}' is not a catalog category."];
            }
        }
        if (errors.Count > 0)
        {
            return (null, new ReportRefusal(400, "The request is not valid.", "See errors.", errors));
        }
        await subjects.PrepareLookupsAsync(cancellationToken);
        var indexes = subjects.IndexValues(type, number);
        var (subject, cited, archived) = await authorisations.FindAsync(indexes, request.AuthorizationId, querierId, cancellationToken);
        var (authorisation, refusal) = request.AuthorizationId is null ? (null, "no-authorisation")
            : authorisations.Check(cited, querierId, indexes, request.Purpose!, request.Categories is null ? null : categories);
        // Decrypted once per report: for the name check, the masked identity and the stored report's masked identity.
        var registeredName = subject is null ? null : subjects.Name(subject);
        if (authorisation is not null && registeredName is not null && !SubjectRegistry.SameName(registeredName, request.Subject!.Name))
        {
            (authorisation, refusal) = (null, "other-name");
        }
        if (authorisation is null || subject is null)
        {
            // Refused queries are registered too, against the person when the platform knows them.
            if (subject is not null)
            {
                await queries.RegisterAsync(new QueryContext(actor, querierId, "api", request.Purpose!.Trim(), $"refused:{refusal}"), [new SubjectRead(subject.Id, [], 0)], cancellationToken);
            }
            else
            {
                // Audited alike, so an unknown person costs the same work as a refusal, and counts as a miss.
                await audit.AppendAsync(new AuditEvent(actor, QueryLog.Miss, null, $"api:{request.Purpose!.Trim()}", "{}"), cancellationToken);
            }
            // 403 as for any query without a valid authorisation (EXCHANGE.md); one that cites none is told so: that depends
            // on the request alone, so it says nothing about the person. Registered alike, so the person sees the attempt.
            return (null, request.AuthorizationId is null ? CitesNoAuthorisation : NotAuthorised);
        }
        var scope = request.Categories is null ? AuthorisationService.Categories(authorisation) : categories.ToHashSet();
        var records = ArchiveService.Shown(await archive.ShapeAsync(archived, cancellationToken), scope, Disclosure.Authorised);
        var querier = await organisations.FindAsync(querierId, cancellationToken) ?? throw new InvalidOperationException($"Querier {querierId} is not registered.");
        var identity = new ReportSubject(subject.IdType, SubjectRegistry.MaskedNumber(subject), Masking.Name(registeredName!));
        var (content, row) = Issue(subject, registeredName!, "authorised", identity, new ReportQuerier(querier.Code, querier.Name), querierId, authorisation.Purpose, authorisation.Id,
            [.. scope], records, []);
        await queries.RegisterAsync(new QueryContext(actor, querierId, "api", authorisation.Purpose, $"authorisation:{authorisation.Id:N}", content.ReportNo), [Read(subject.Id, records)], cancellationToken, alongside: [row]);
        return (content, null);
    }

    /// <summary>A report issued before, for its subject or the querier it was issued to.</summary>
    public async Task<(CreditReport Row, CreditReportContent Content)?> FindAsync(string reportNo, Guid? subjectId, Guid? querierId, CancellationToken cancellationToken)
    {
        var row = await db.Reports.AsNoTracking().SingleOrDefaultAsync(r => r.ReportNo == reportNo, cancellationToken);
        if (row is null || (subjectId is not null && row.SubjectId != subjectId) || (querierId is not null && row.QuerierId != querierId) || (subjectId is null && querierId is null))
        {
            return null;
        }
        var json = ReportContentCodec.Unpack(cipher.DecryptBytes(row.ContentCipher, Binding(row.Id)));
        return (row, JsonSerializer.Deserialize<CreditReportContent>(json, Json)!);
    }

    /// <summary>The report was not issued to this organisation, or never issued.</summary>
    public static readonly ReportRefusal NoSuchReport = new(404, "No such report issued to your organisation.", "Check the report number the report was issued with.");

    /// <summary>The querier's report read again, while the authorisation it cites is still in force.</summary>
    public static readonly ReportRefusal AuthorisationEnded = new(403, "The authorisation this report cites is no longer in force.",
        "The person revoked it, or its term is over: the report can no longer be read here. Ask the person for a new authorisation.");

    /// <summary>A report read again that holds a record no longer shown as it was: revoked, repaired, corrected since, or past its display.</summary>
    public static readonly ReportRefusal ContentChanged = new(410, "This report holds information that is no longer shown.",
        "Since the report was issued, a record in it was revoked, repaired or corrected, or its display period ended: it may not be shown again. Request a new report.");

    /// <summary>
    /// A report issued to this querier, read again (as JSON or PDF): a read of the person's data like the first, so only while the
    /// authorisation it cites is in force (a revocation stops re-reads at once too) and while every record in it is still shown
    /// as it was, and registered, refused or not.
    /// </summary>
    public async Task<(CreditReportContent? Content, string? ContentSha256, ReportRefusal? Refusal)> ReadIssuedAsync(string reportNo, Guid querierId, string actor, CancellationToken cancellationToken)
    {
        if (await FindAsync(reportNo, null, querierId, cancellationToken) is not { } found)
        {
            return (null, null, NoSuchReport);
        }
        var (row, content) = found;
        var authorisation = row.AuthorisationId is { } id ? await db.Authorisations.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id, cancellationToken) : null;
        var ended = authorisation is null ? "unknown-authorisation" : AuthorisationService.Ended(authorisation, Calendar.ChinaTime.Today(clock));
        var purpose = authorisation?.Purpose ?? content.Purpose;
        ended ??= await StillShownAsync(row.SubjectId, content, cancellationToken) ? null : "content-changed";
        if (ended is not null)
        {
            await queries.RegisterAsync(new QueryContext(actor, querierId, "api", purpose, $"refused:{ended}", row.ReportNo), [new SubjectRead(row.SubjectId, [], 0)], cancellationToken);
            return (null, null, ended == "content-changed" ? ContentChanged : AuthorisationEnded);
        }
        await queries.RegisterAsync(new QueryContext(actor, querierId, "api", purpose, $"authorisation:{authorisation!.Id:N}", row.ReportNo),
            [new SubjectRead(row.SubjectId, [.. content.Records.Select(r => r.CatalogItem)], content.Records.Count)], cancellationToken);
        return (content, row.ContentSha256, null);
    }

    /// <summary>Whether every record of an authorised report is still shown to its querier today, as the report shows it.</summary>
    private async Task<bool> StillShownAsync(Guid subjectId, CreditReportContent content, CancellationToken cancellationToken)
    {
        if (content.Records.Count == 0)
        {
            return true;
        }
        var scope = content.Scope.Select(c => AuthorisationService.TryParseCategory(c, out var category) ? category : (CatalogCategory?)null).OfType<CatalogCategory>().ToHashSet();
        var shown = ArchiveService.Shown(await archive.AllAsync(subjectId, cancellationToken), scope, Disclosure.Authorised)
            .Select(r => AsShown(r.ItemCode, r.ProviderZh, r.OccurredOn, r.Grade, PublicFields(r))).ToHashSet(StringComparer.Ordinal);
        return content.Records.All(r => shown.Contains(AsShown(r.CatalogItem, r.Provider, r.OccurredOn, r.Grade, r.Fields)));
    }

    /// <summary>A record as a report shows it: a correction (new fields) makes it another.</summary>
    private static string AsShown(string item, string provider, DateOnly occurredOn, string? grade, JsonElement fields) =>
        string.Join('\u001f', item, provider, occurredOn.ToString("O", CultureInfo.InvariantCulture), grade, JsonSerializer.Serialize(fields, Json));

    public async Task<ReportVerification?> VerifyAsync(string code, CancellationToken cancellationToken)
    {
        var normalised = NormaliseCode(code);
        if (normalised is null)
        {
            return null;
        }
        var row = await db.Reports.AsNoTracking().SingleOrDefaultAsync(r => r.VerificationCode == normalised, cancellationToken);
        return row is null ? null : new ReportVerification(row.ReportNo, row.Kind, row.IssuedAt, row.MaskedIdentity, row.ContentSha256);
    }

    /// <summary>The code in its stored form, or null when it cannot be one (16 characters of Crockford's base32, dashes and case ignored).</summary>
    public static string? NormaliseCode(string? code)
    {
        var cleaned = (code ?? "").Replace("-", "", StringComparison.Ordinal).Trim().ToUpperInvariant();
        return cleaned.Length == 16 && cleaned.All(c => CodeAlphabet.Contains(c, StringComparison.Ordinal)) ? cleaned : null;
    }

    /// <summary>The report's content and its row, encrypted; the row is stored with the registration of the read.</summary>
    private (CreditReportContent Content, CreditReport Row) Issue(Subject subject, string name, string kind, ReportSubject identity, ReportQuerier? querier, Guid? querierId, string purpose, Guid? authorisationId,
        IReadOnlyCollection<CatalogCategory> scope, IReadOnlyList<ArchiveRecord> records, IReadOnlyList<ReportQuery> history)
    {
        var issuedAt = Audit.AuditChain.Truncate(clock.GetUtcNow());
        var content = new CreditReportContent(
            ReportNumber(issuedAt),
            RandomCode(16),
            issuedAt,
            kind,
            identity,
            querier,
            purpose,
            authorisationId,
            // In the catalog's order of categories, as the report lists its records.
            [.. scope.Order().Select(AuthorisationService.CategoryName)],
            new ReportSummary(records.Count, records.Count(r => r.Polarity == Polarity.Positive), records.Count(r => r.Polarity == Polarity.Negative),
                records.Count(r => r.Polarity == Polarity.Neutral),
                records.GroupBy(r => AuthorisationService.CategoryName(r.Category)).ToDictionary(g => g.Key, g => g.Count())),
            [.. records.OrderBy(r => r.Category).ThenByDescending(r => r.OccurredOn).Select(r => new ReportRecord(
                AuthorisationService.CategoryName(r.Category), r.ItemCode, r.Item?.Name.Zh ?? r.ItemCode, r.ProviderZh, r.OccurredOn, r.Grade, r.Polarity,
                r.IsReference, r.Display.ShownThrough, kind == "self" ? r.Fields : PublicFields(r)))],
            [],
            history);
        var row = new CreditReport
        {
            ReportNo = content.ReportNo,
            VerificationCode = content.VerificationCode,
            SubjectId = subject.Id,
            Kind = kind,
            QuerierId = querierId,
            AuthorisationId = authorisationId,
            MaskedIdentity = SubjectRegistry.MaskedIdentity(subject, name),
            ContentSha256 = "",
            ContentCipher = [],
            IssuedAt = issuedAt,
        };
        // Written, hashed, packed and encrypted in buffers this thread keeps (nothing here awaits): only the ciphertext is new.
        var buffers = _issueBuffers ??= new();
        byte[]? packed = null;
        try
        {
            buffers.Writer.Reset(buffers.Json);
            JsonSerializer.Serialize(buffers.Writer, content, Json);
            buffers.Writer.Flush();
            var json = buffers.Json.WrittenSpan;
            row.ContentSha256 = Convert.ToHexStringLower(SHA256.HashData(json));
            packed = ArrayPool<byte>.Shared.Rent(ReportContentCodec.MaximumPackedLength(json.Length));
            row.ContentCipher = cipher.Encrypt(packed.AsSpan(0, ReportContentCodec.Pack(json, packed)), Binding(row.Id));
        }
        finally
        {
            // The report in clear leaves no copy behind, even when it failed: not in the pool's next loan, nor in this thread's buffer.
            if (packed is not null)
            {
                ArrayPool<byte>.Shared.Return(packed, clearArray: true);
            }
            buffers.Json.Clear();
            buffers.TrimIfLarge();
        }
        return (content, row);
    }

    /// <summary>A report's JSON and the writer that writes it, kept by each thread for the next report it issues.</summary>
    private sealed class Buffers : IDisposable
    {
        private const int KeptCapacity = 256 * 1024;

        public readonly ArrayBufferWriter<byte> Json = new(16 * 1024);

        // As JsonSerializer.SerializeToUtf8Bytes would write with these options: the same escaping, indentation and depth.
        public readonly Utf8JsonWriter Writer = new(Stream.Null, new JsonWriterOptions
        {
            Encoder = ReportService.Json.Encoder,
            Indented = ReportService.Json.WriteIndented,
            MaxDepth = ReportService.Json.MaxDepth == 0 ? 64 : ReportService.Json.MaxDepth,
            SkipValidation = true,
        });

        public readonly ArrayBufferWriter<byte> Fields = new(4 * 1024);
        public readonly Utf8JsonWriter FieldsWriter = new(Stream.Null);

        /// <summary>After a person's own report with hundreds of queries, say: the thread does not hold that much for ever after.</summary>
        public void TrimIfLarge()
        {
            if (Json.Capacity > KeptCapacity || Fields.Capacity > KeptCapacity)
            {
                Dispose();
                _issueBuffers = null;
            }
        }

        public void Dispose()
        {
            Writer.Dispose();
            FieldsWriter.Dispose();
        }
    }

    [ThreadStatic]
    private static Buffers? _issueBuffers;

    /// <summary>The fields a querier may see: those the catalog marks public, for items shown beyond the government.</summary>
    private static JsonElement PublicFields(ArchiveRecord record)
    {
        var visible = record.Item is null ? FrozenSet<string>.Empty
            : PublicNames.GetValue(record.Item, item => item.Fields.Where(f => f.Public).Select(f => f.Name).ToFrozenSet(StringComparer.Ordinal));
        if (record.Fields.EnumerateObject().All(p => visible.Contains(p.Name)))
        {
            return record.Fields;
        }
        var buffers = _issueBuffers ??= new();
        try
        {
            buffers.FieldsWriter.Reset(buffers.Fields);
            buffers.FieldsWriter.WriteStartObject();
            foreach (var field in record.Fields.EnumerateObject())
            {
                if (visible.Contains(field.Name))
                {
                    field.WriteTo(buffers.FieldsWriter);
                }
            }
            buffers.FieldsWriter.WriteEndObject();
            buffers.FieldsWriter.Flush();
            return JsonElement.Parse(buffers.Fields.WrittenSpan);
        }
        finally
        {
            buffers.Fields.Clear();
            buffers.TrimIfLarge();
        }
    }

    // An item's public field names, worked out once per catalog item rather than for every record of every report.
    private static readonly ConditionalWeakTable<CatalogItem, FrozenSet<string>> PublicNames = [];

    // The report lists the latest queries, as the national report does; the portal's "who looked at me" pages through all of them.
    private const int ReportQueries = 500;

    private async Task<IReadOnlyList<ReportQuery>> QueryHistoryAsync(Guid subjectId, CancellationToken cancellationToken)
    {
        var queried = await QueryLog.AboutPerson(db, subjectId, clock.GetUtcNow()).Take(ReportQueries).ToListAsync(cancellationToken);
        var channels = await authorisations.ChannelsAsync(queried.Select(q => q.Basis), cancellationToken);
        var reportRead = await QueryLog.ReportReadsAsync(db, subjectId, queried, cancellationToken);
        return [.. queried.Select(q => new ReportQuery(q.At, q.OrganisationZh ?? q.Actor, q.Purpose, q.Basis, channels.GetValueOrDefault(q.Basis), q.ReportNo, reportRead(q)))];
    }

    private static SubjectRead Read(Guid subjectId, IReadOnlyList<ArchiveRecord> records) =>
        new(subjectId, [.. records.Select(r => r.ItemCode)], records.Count);

    /// <summary>
    /// <c>CX</c>, the day in China, the millisecond of that day (six symbols) and six random symbols (30 bits): numbers
    /// issued later sort later, so their index grows at its end instead of touching a random page per report, and two
    /// reports share a number only if issued in the same millisecond with the same 30 random bits. (The former eight
    /// random symbols a day, 40 bits, would have collided about once a day at a million reports a day, and a collision
    /// fails every report of its group commit.)
    /// </summary>
    public static string ReportNumber(DateTimeOffset issuedAt)
    {
        var local = issuedAt.ToOffset(Calendar.ChinaTime.Offset);
        var millisecond = (long)local.TimeOfDay.TotalMilliseconds;
        return string.Create(22, (local, millisecond), static (span, state) =>
        {
            "CX".CopyTo(span);
            state.local.TryFormat(span[2..], out _, "yyyyMMdd", CultureInfo.InvariantCulture);
            for (var i = 15; i >= 10; i--, state.millisecond >>= 5)
            {
                span[i] = CodeAlphabet[(int)(state.millisecond & 31)];
            }
            RandomSymbols(span[16..]);
        });
    }

    // 32 symbols: five bits of a secure random byte pick one without bias.
    private static string RandomCode(int length) => string.Create(length, 0, static (span, _) => RandomSymbols(span));

    private static void RandomSymbols(Span<char> span)
    {
        Span<byte> random = stackalloc byte[span.Length];
        PooledRandom.Fill(random);
        for (var i = 0; i < span.Length; i++)
        {
            span[i] = CodeAlphabet[random[i] & 31];
        }
    }

    /// <summary>The report row its content is bound to: copied onto another row, it no longer decrypts.</summary>
    public static string Binding(Guid reportId) => $"reports/{reportId:N}/content";

    public static string Format(DateTimeOffset at) => at.ToOffset(Calendar.ChinaTime.Offset).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    /// <summary>To the second, where one line must tell two alike apart: two refused re-reads a minute apart are two attempts.</summary>
    public static string FormatToTheSecond(DateTimeOffset at) => at.ToOffset(Calendar.ChinaTime.Offset).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
