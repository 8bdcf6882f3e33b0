using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Chengxin.Archive;
using Chengxin.Audit;
using Chengxin.Calendar;
using Chengxin.Catalog;
using Chengxin.Crypto;
using Chengxin.Data;
using Chengxin.Identity;
using Chengxin.Imports;
using Chengxin.Subjects;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Chengxin.Reports;

/// <summary>
/// A consent receipt: what was authorised, signed by the platform so the person can prove it. A written
/// authorisation's receipt also names the evidence file (by its type only: <see cref="EvidenceFiles.KeptName"/>) and its SHA-256; a portal grant's has
/// neither, so its signed bytes are what they were before these fields came. The person is named masked, as on the
/// verification page of a report (a receipt is handed on to prove consent); a receipt signed before it was named still checks.
/// </summary>
public sealed record ConsentReceipt(Guid AuthorizationId, string Querier, string QuerierCode, string Purpose, IReadOnlyList<string> Categories,
    DateOnly ValidFrom, DateOnly ValidUntil, string Channel, DateTimeOffset GrantedAt, DateTimeOffset? RevokedAt, string Signature,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? EvidenceFileName = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? EvidenceSha256 = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Subject = null);

/// <summary>
/// Authorisations: granted by the person in the portal, or registered by the querier from a written
/// authorisation with its evidence; revocable at once; and the check every authorised query must pass.
/// </summary>
public sealed class AuthorisationService(
    ChengxinDb db, SubjectRegistry subjects, BlindIndex index, AuditTrail audit, CheckpointKeys keys,
    IOptions<StorageOptions> storage, IHostEnvironment environment, TimeProvider clock)
{
    public const long MaxEvidenceBytes = 10 * 1024 * 1024;
    public const int MaxTermYears = 5;
    /// <summary>The longest purpose an authorisation is given for, and so the longest a query citing one may state.</summary>
    public const int PurposeLength = 200;

    // Every report names the categories of its scope and records: the names are worked out once.
    private static readonly FrozenDictionary<CatalogCategory, string> Names =
        Enum.GetValues<CatalogCategory>().ToFrozenDictionary(c => c, c => JsonNamingPolicy.KebabCaseLower.ConvertName(c.ToString()));

    private static readonly FrozenDictionary<string, CatalogCategory> ByName = Names.ToFrozenDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);

    public static string CategoryName(CatalogCategory category) => Names[category];

    public static bool TryParseCategory(string? name, out CatalogCategory category) => ByName.TryGetValue(name?.Trim() ?? "", out category);

    /// <summary>Registers a querier's written authorisation; errors by field. A person the platform does not know is accepted alike.</summary>
    public async Task<(Guid? Id, Dictionary<string, string[]> Errors)> RegisterWrittenAsync(Guid querierId, string actor, AuthorizationRequest request, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var subjectErrors = subjects.Check(request.Subject, out var type, out var number);
        foreach (var error in subjectErrors)
        {
            errors[error.Field] = [error.Message];
        }
        var (categories, validUntil) = CheckTerms(request.Purpose, request.Categories, request.ValidUntil, errors);
        byte[]? evidence = null;
        var fileName = request.Evidence?.FileName?.Trim();
        if (string.IsNullOrEmpty(fileName) || string.IsNullOrEmpty(request.Evidence?.ContentBase64))
        {
            errors["evidence"] = ["evidence is required: { fileName, contentBase64 } of the signed written authorisation."];
        }
        else if (!EvidenceFiles.Extensions.Contains(EvidenceFiles.Extension(fileName)) || fileName.Length > 200)
        {
            errors["evidence.fileName"] = ["The evidence must be a .pdf, .jpg or .png file, its name at most 200 characters."];
        }
        else
        {
            try
            {
                evidence = Convert.FromBase64String(request.Evidence!.ContentBase64!);
                if (evidence.Length == 0 || evidence.Length > MaxEvidenceBytes)
                {
                    errors["evidence.contentBase64"] = [$"The evidence must have 1 byte to {MaxEvidenceBytes / 1024 / 1024} MiB."];
                }
                else if (EvidenceFiles.Problem(EvidenceFiles.Extension(fileName), evidence) is { } problem)
                {
                    errors["evidence.contentBase64"] = [problem];
                }
            }
            catch (FormatException)
            {
                errors["evidence.contentBase64"] = ["contentBase64 is not base64."];
            }
        }
        if (errors.Count > 0)
        {
            return (null, errors);
        }
        var subject = await subjects.FindAsync(type, number, cancellationToken);
        var authorisation = New(subject?.Id, index.Compute(type.ToCode(), number), querierId, request.Purpose!, categories, validUntil, "written");
        authorisation.EvidenceFileName = EvidenceFiles.KeptName(fileName!);
        authorisation.EvidenceSha256 = Convert.ToHexStringLower(SHA256.HashData(evidence!));
        // The evidence is a real file, written before the authorisation is acknowledged.
        Directory.CreateDirectory(storage.Value.EvidenceFolder(environment));
        await File.WriteAllBytesAsync(EvidencePath(authorisation.Id, fileName!), evidence!, cancellationToken);
        db.Authorisations.Add(authorisation);
        await SaveWithAuditAsync(actor, "authorisation.register", authorisation, cancellationToken);
        return (authorisation.Id, errors);
    }

    /// <summary>The person grants a querier access in the portal.</summary>
    public async Task<(Authorisation? Granted, Dictionary<string, string[]> Errors)> GrantAsync(Subject subject, string querierCode, string? purpose,
        IReadOnlyList<string>? categories, DateOnly? validUntil, string actor, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        // The person names the organisation as they know it: by its registered name (the form suggests them) or its code.
        var given = querierCode.Trim();
        var code = given.ToUpperInvariant();
        var matches = await db.Organisations.AsNoTracking().Where(o => o.Code == code || o.NameZh == given || o.NameEn == given)
            .OrderBy(o => o.Code).Take(2).ToListAsync(cancellationToken);
        var querier = matches.Count == 1 ? matches[0] : null;
        if (querier is null && given.Length == Identity.CreditCode.Length && Identity.CreditCode.Check(given).Error is { } wrong)
        {
            errors["querierCode"] = [$"This is not a valid unified social credit code: {wrong.Message}"];
        }
        else if (querier is null)
        {
            errors["querier"] = ["No organisation with this name or unified social credit code is registered."];
        }
        var (parsed, until) = CheckTerms(purpose, categories, validUntil, errors);
        if (errors.Count > 0)
        {
            return (null, errors);
        }
        var number = subjects.Number(subject);
        var authorisation = New(subject.Id, index.Compute(subject.IdType, number), querier!.Id, purpose!, parsed, until, "portal");
        db.Authorisations.Add(authorisation);
        await SaveWithAuditAsync(actor, "authorisation.grant", authorisation, cancellationToken);
        return (authorisation, errors);
    }

    /// <summary>
    /// Revokes one of the person's authorisations; from now on no query may cite it. <paramref name="notSigned"/>:
    /// the person says they never signed the written authorisation the querier registered, kept as its own audit
    /// action so that auditors find the querier's disputed registrations.
    /// </summary>
    public async Task<bool> RevokeAsync(Guid subjectId, Guid authorisationId, string actor, CancellationToken cancellationToken, bool notSigned = false)
    {
        var authorisation = await (await OfPersonAsync(subjectId, cancellationToken)).SingleOrDefaultAsync(a => a.Id == authorisationId, cancellationToken);
        if (authorisation is null || authorisation.RevokedAt is not null)
        {
            return false;
        }
        authorisation.SubjectId ??= subjectId;
        authorisation.RevokedAt = clock.GetUtcNow();
        var action = notSigned && authorisation.Channel == "written" ? "authorisation.dispute" : "authorisation.revoke";
        if (action == "authorisation.dispute")
        {
            // A querier that registers authorisations people never signed read their data without consent: the credit office must look.
            var querier = await db.Organisations.AsNoTracking().Where(o => o.Id == authorisation.QuerierId).Select(o => new { o.Code, o.NameZh }).SingleAsync(cancellationToken);
            db.SecurityAlerts.Add(new SecurityAlert
            {
                At = authorisation.RevokedAt.Value,
                Actor = $"organisation:{querier.Code}",
                Kind = "authorisation-disputed",
                Detail = JsonSerializer.Serialize(new { authorisation = authorisation.Id, querier = querier.NameZh, registeredAt = authorisation.CreatedAt, evidenceSha256 = authorisation.EvidenceSha256 },
                    ReportService.Json),
            });
        }
        await SaveWithAuditAsync(actor, action, authorisation, cancellationToken);
        return true;
    }

    /// <summary>
    /// The person with this certificate, the authorisation a query cites and the person's archive, in one
    /// round trip: the cited one is read only with a known person, the archive only when the cited
    /// authorisation is this querier's and not revoked (<see cref="Check"/> decides the rest, so the
    /// archive is complete whenever the check passes).
    /// </summary>
    /// <param name="indexes">The certificate's blind-index values (<see cref="SubjectRegistry.IndexValues"/>).</param>
    public async Task<(Subject? Subject, Authorisation? Cited, IReadOnlyList<ArchiveRow> Archive)> FindAsync(IReadOnlyList<string> indexes, Guid? authorisationId, Guid querierId,
        CancellationToken cancellationToken)
    {
        if (db.Database.IsNpgsql())
        {
            return await ReportReads.FindAsync(db, [.. indexes], authorisationId, querierId, cancellationToken);
        }
        var found = await PersonCitedAndArchive.For(db)(db, [.. indexes], authorisationId, querierId, cancellationToken);
        return (found?.Subject, found?.Cited, found?.Archive ?? []);
    }

    private sealed record Found(Subject Subject, Authorisation? Cited, List<ArchiveRow> Archive);

    // For SQLite (PostgreSQL reads the same rows with ReportReads). Compiled: translating it on each call showed in the profile of report reads.
    // One statement rather than two: on the measured machine, each round trip's wake-ups cost PostgreSQL more than the reads themselves.
    private static readonly CompiledQuery<Func<ChengxinDb, string[], Guid?, Guid, CancellationToken, Task<Found?>>> PersonCitedAndArchive = new(() => EF.CompileAsyncQuery(
        (ChengxinDb db, string[] indexes, Guid? authorisationId, Guid querierId, CancellationToken _) =>
            (from s in db.Subjects.AsNoTracking().Where(s => indexes.Contains(s.BlindIndex))
             from a in db.Authorisations.AsNoTracking().Where(a => authorisationId != null && a.Id == authorisationId).DefaultIfEmpty()
             select new Found(s, a,
                (from r in db.Records.AsNoTracking()
                 join o in db.Organisations.AsNoTracking() on r.ProviderId equals o.Id
                 join v in db.RecordVersions.AsNoTracking() on new { RecordId = r.Id, Number = r.CurrentVersion } equals new { v.RecordId, v.Number }
                 // The guard reads the cited authorisation again rather than use `a`: a collection correlated on more than
                 // the person's key needs a lateral join, which SQLite does not have. The join is ArchiveService.RecordsOf's.
                 where r.SubjectId == s.Id && db.Authorisations.Any(c => c.Id == authorisationId && c.QuerierId == querierId && c.RevokedAt == null && indexes.Contains(c.SubjectIndex))
                 orderby r.OccurredOn descending
                 select new ArchiveRow(r.Id, r.ItemCode, r.OccurredOn, r.Grade, r.Status, r.IsReference, r.RevocationReason, r.CurrentVersion, o.NameZh, o.NameEn, v.Fields, r.CatalogVersion))
                .ToList())).FirstOrDefault()));

    /// <summary>The cited authorisation, if it covers this querier, person, purpose, categories and today; otherwise why not.</summary>
    public (Authorisation? Valid, string? Refusal) Check(Authorisation? authorisation, Guid querierId, IReadOnlyList<string> indexes,
        string purpose, IReadOnlyCollection<CatalogCategory>? categories)
    {
        var today = ChinaTime.Today(clock);
        var refusal = authorisation switch
        {
            null => "unknown-authorisation",
            _ when authorisation.QuerierId != querierId => "unknown-authorisation",
            _ when !indexes.Contains(authorisation.SubjectIndex) => "other-person",
            _ when Ended(authorisation, today) is { } ended => ended,
            _ when !string.Equals(authorisation.Purpose.Trim(), purpose.Trim(), StringComparison.OrdinalIgnoreCase) => "other-purpose",
            _ when categories is not null && categories.Any(c => !Categories(authorisation).Contains(c)) => "outside-scope",
            _ => null,
        };
        return (refusal is null ? authorisation : null, refusal);
    }

    /// <summary>Why an authorisation no longer stands today (revoked, or outside its term), or null while it does.</summary>
    public static string? Ended(Authorisation authorisation, DateOnly today) =>
        authorisation.RevokedAt is not null ? "revoked"
        : today < authorisation.ValidFrom || today > authorisation.ValidUntil ? "outside-term"
        : null;

    public static IReadOnlySet<CatalogCategory> Categories(Authorisation authorisation)
    {
        if (ParsedCategories.TryGetValue(authorisation.Categories, out var known))
        {
            return known;
        }
        // In the order they were given (a hash set of enums keeps it), as receipts and the querier's view have always listed them.
        var parsed = new System.Collections.ObjectModel.ReadOnlySet<CatalogCategory>(authorisation.Categories.Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(c => TryParseCategory(c, out var category) ? category : (CatalogCategory?)null).OfType<CatalogCategory>().ToHashSet());
        // Authorisations name a handful of combinations; a bound keeps odd ones from growing the cache without end.
        if (ParsedCategories.Count < 4096)
        {
            ParsedCategories.TryAdd(authorisation.Categories, parsed);
        }
        return parsed;
    }

    // Parsed once per combination rather than on every report.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, IReadOnlySet<CatalogCategory>> ParsedCategories = new(StringComparer.Ordinal);

    /// <summary>How each authorisation these query bases cite was given (<c>portal</c> or <c>written</c>), by the basis that cites it.</summary>
    public async Task<Dictionary<string, string>> ChannelsAsync(IEnumerable<string> bases, CancellationToken cancellationToken)
    {
        var ids = bases.Select(ReportLabels.AuthorisationOf).OfType<Guid>().Distinct().ToList();
        return ids.Count == 0 ? [] : await db.Authorisations.Where(a => ids.Contains(a.Id)).Select(a => new { a.Id, a.Channel })
            .ToDictionaryAsync(a => $"authorisation:{a.Id:N}", a => a.Channel, cancellationToken);
    }

    /// <summary>
    /// The person's authorisations: given in the portal or registered by a querier, including a written one registered before the
    /// platform knew the person (it has their index but no subject yet), so that they see, read and can revoke every one.
    /// </summary>
    /// <remarks>By every index value the person's number has (current and retired index keys, first-release forms), as a querier's query finds them.</remarks>
    public async Task<IQueryable<Authorisation>> OfPersonAsync(Guid subjectId, CancellationToken cancellationToken)
    {
        var person = await db.Subjects.AsNoTracking().SingleOrDefaultAsync(s => s.Id == subjectId, cancellationToken);
        if (person is null)
        {
            return db.Authorisations.Where(a => a.SubjectId == subjectId);
        }
        var indexes = index.ComputeAll(person.IdType, subjects.Number(person)).ToArray();
        return db.Authorisations.Where(a => a.SubjectId == subjectId || (a.SubjectId == null && indexes.Contains(a.SubjectIndex)));
    }

    /// <summary>The consent receipt of one of the person's authorisations (<see cref="OfPersonAsync"/>), signed with the platform's checkpoint key.</summary>
    public async Task<ConsentReceipt> ReceiptAsync(Authorisation authorisation, Guid subjectId, CancellationToken cancellationToken)
    {
        var querier = await db.Organisations.AsNoTracking().SingleAsync(o => o.Id == authorisation.QuerierId, cancellationToken);
        // The person it names: one registered before the platform knew them has no subject yet, but it was found among theirs.
        var person = await db.Subjects.AsNoTracking().SingleOrDefaultAsync(s => s.Id == (authorisation.SubjectId ?? subjectId), cancellationToken);
        var unsigned = new ConsentReceipt(authorisation.Id, querier.NameZh, querier.Code, authorisation.Purpose,
            [.. Categories(authorisation).Select(CategoryName)], authorisation.ValidFrom, authorisation.ValidUntil, authorisation.Channel,
            authorisation.CreatedAt, authorisation.RevokedAt, "", authorisation.EvidenceFileName, authorisation.EvidenceSha256,
            person is null ? null : SubjectRegistry.MaskedIdentity(person, subjects.Name(person)));
        var signer = keys.Signer ?? throw new InvalidOperationException("No signing key is configured (Keys:AuditSigning).");
        return unsigned with { Signature = signer.Sign(ReceiptBytes(unsigned)).ToString() };
    }

    /// <summary>The evidence file of one of the person's written authorisations, under its kept name (<see cref="EvidenceFiles.KeptName"/>: registration and the migration EvidenceKeptByTypeOnly store no other); null when there is none.</summary>
    public async Task<(string FileName, byte[] Content)?> EvidenceAsync(Guid subjectId, Guid authorisationId, CancellationToken cancellationToken)
    {
        var authorisation = await (await OfPersonAsync(subjectId, cancellationToken)).AsNoTracking().SingleOrDefaultAsync(a => a.Id == authorisationId, cancellationToken);
        if (authorisation?.EvidenceFileName is not { } fileName)
        {
            return null;
        }
        var path = EvidencePath(authorisation.Id, fileName);
        return File.Exists(path) ? (fileName, await File.ReadAllBytesAsync(path, cancellationToken)) : null;
    }

    private string EvidencePath(Guid authorisationId, string fileName) =>
        Path.Combine(storage.Value.EvidenceFolder(environment), $"{authorisationId:N}{EvidenceFiles.Extension(fileName)}");

    /// <summary>Whether the platform signed this receipt as it stands: its signature checks with one of the platform's keys, current or retired.</summary>
    public bool IsGenuine(ConsentReceipt receipt) =>
        SignatureValue.TryParse(receipt.Signature, out var signature) && keys.Verify(ReceiptBytes(receipt), signature);

    /// <summary>The bytes a receipt's signature covers: the receipt without its signature, as JSON.</summary>
    public static byte[] ReceiptBytes(ConsentReceipt receipt) =>
        JsonSerializer.SerializeToUtf8Bytes(receipt with { Signature = "" }, ReceiptJson);

    private static readonly JsonSerializerOptions ReceiptJson = new(JsonSerializerDefaults.Web);

    private (List<CatalogCategory> Categories, DateOnly ValidUntil) CheckTerms(string? purpose, IReadOnlyList<string>? categories, DateOnly? validUntil, Dictionary<string, string[]> errors)
    {
        if (TextField.Problem("purpose", purpose, PurposeLength, "what the query is for (e.g. \"个人住房贷款审批\")") is { } purposeProblem)
        {
            errors["purpose"] = [purposeProblem];
        }
        var parsed = new List<CatalogCategory>();
        foreach (var name in categories ?? [])
        {
            if (TryParseCategory(name, out var category))
            {
                parsed.Add(category);
            }
            else
            {
                errors["categories"] = [$"'{name}' is not a catalog category; use {string.Join(", ", Enum.GetValues<CatalogCategory>().Select(CategoryName))}."];
            }
        }
        if (parsed.Count == 0 && !errors.ContainsKey("categories"))
        {
            errors["categories"] = ["categories is required: the catalog categories the querier may see."];
        }
        var today = ChinaTime.Today(clock);
        if (validUntil is not { } until || until < today || until > today.AddYears(MaxTermYears))
        {
            errors["validUntil"] = [$"validUntil is required, from today to {MaxTermYears} years ahead."];
        }
        return (parsed.Distinct().ToList(), validUntil ?? today);
    }

    private Authorisation New(Guid? subjectId, string subjectIndex, Guid querierId, string purpose, List<CatalogCategory> categories, DateOnly validUntil, string channel) => new()
    {
        SubjectId = subjectId,
        SubjectIndex = subjectIndex,
        QuerierId = querierId,
        Purpose = purpose.Trim(),
        Categories = string.Join(',', categories.Select(CategoryName)),
        ValidFrom = ChinaTime.Today(clock),
        ValidUntil = validUntil,
        Channel = channel,
        CreatedAt = clock.GetUtcNow(),
    };

    private async Task SaveWithAuditAsync(string actor, string action, Authorisation authorisation, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(new AuditEvent(actor, action, authorisation.SubjectId, $"authorisation:{authorisation.Id:N}",
            JsonSerializer.Serialize(new { querier = authorisation.QuerierId, authorisation.Purpose, authorisation.Categories, authorisation.ValidUntil, authorisation.Channel })), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
