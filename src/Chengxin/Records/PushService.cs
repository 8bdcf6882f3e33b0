using System.Text.Json;
using Chengxin.Audit;
using Chengxin.Calendar;
using Chengxin.Catalog;
using Chengxin.Data;
using Chengxin.Identity;
using Chengxin.Subjects;
using Microsoft.EntityFrameworkCore;

namespace Chengxin.Records;

/// <summary>
/// Takes records from a provider, by API or file: checks every item, then stores the accepted ones in
/// one transaction before answering. Idempotent by (provider, sourceId) and content digest: a retry
/// is "unchanged"; new content for a sourceId is a new version; versions are never overwritten.
/// </summary>
public sealed class PushService(ChengxinDb db, SubjectRegistry subjects, CatalogStore catalog, AuditTrail audit, TimeProvider clock, Microsoft.Extensions.Options.IOptions<Archive.RetentionOptions> retention, ILogger<PushService> logger)
{
    public const int MaxBatch = 1000;

    /// <summary>
    /// An accepted item, with what the store needs computed while checking: canonical fields, digest, grade, its blind-index
    /// values (current key first), and its person's row should they be new; the store answers it in its batch's results.
    /// </summary>
    internal sealed record Checked(IncomingRecord Incoming, PushResult?[] Results, CatalogItemInForce Item, IdType IdType, string Number, IReadOnlyList<string> Indexes, Subject Newcomer, string Fields, string Digest, string? Grade)
    {
        public string Index => Indexes[0];

        public void Answer(string status, Guid recordId) => Results[Incoming.Index] = new PushResult(Incoming.Index, Incoming.SourceId, status, recordId);

        public void Refuse(FieldError error) => Results[Incoming.Index] = Reject(Incoming, [error]);
    }

    /// <summary>A batch after its checks: the refused items' results, the accepted items still to store, and what the platform already held of them.</summary>
    public sealed class CheckedBatch
    {
        internal CheckedBatch(Organisation provider, PushResult?[] results, List<Checked> accepted, Dictionary<string, Guid> people, HashSet<string> stored) =>
            (Provider, Results, Accepted, People, Stored) = (provider, results, accepted, people, stored);

        internal Organisation Provider { get; }
        internal PushResult?[] Results { get; }
        internal List<Checked> Accepted { get; }

        /// <summary>
        /// The ids of the accepted items' people, by current index value: those found while checking (people are never deleted, so a
        /// person found stays found), and once stored, every accepted item's person. A file import adds the people its last
        /// transactions created, which this batch was checked too early to see.
        /// </summary>
        internal Dictionary<string, Guid> People { get; }

        /// <summary>
        /// The accepted items' sourceIds that had a record when checked, and once stored, all of them. Only these records are
        /// read again, under the provider's lock, when the batch is stored; the others are taken as new (one created since
        /// meets the unique index, and the batch is redone).
        /// </summary>
        internal HashSet<string> Stored { get; }
    }

    public async Task<PushResponse> PushAsync(Guid providerId, IReadOnlyList<IncomingRecord> batch, CancellationToken cancellationToken, bool synthetic = false, string? actor = null) =>
        (await StoreAsync([await CheckAsync(providerId, batch, cancellationToken)], cancellationToken, synthetic, actor))[0];

    /// <summary>Runs every check on every item, without writing; a file import checks the next chunk while the last is stored.</summary>
    public async Task<CheckedBatch> CheckAsync(Guid providerId, IReadOnlyList<IncomingRecord> batch, CancellationToken cancellationToken)
    {
        var provider = await db.Organisations.AsNoTracking().Include(o => o.Provides).SingleAsync(o => o.Id == providerId, cancellationToken);
        var provides = provider.Provides.Select(p => p.ItemCode).ToHashSet(StringComparer.Ordinal);
        var today = ChinaTime.Today(clock);
        var results = new PushResult?[batch.Count];
        var inForce = await catalog.ByCodeAsync(cancellationToken);
        await subjects.PrepareLookupsAsync(cancellationToken);

        // Items are checked independently of each other, so a large batch is checked on every core.
        var outcomes = new (List<FieldError> Errors, Checked? Accepted)[batch.Count];
        var options = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = batch.Count < 64 ? 1 : Environment.ProcessorCount };
        Parallel.For(0, batch.Count, options, i => outcomes[i] = CheckOne(batch[i], results, inForce, provides, provider.Kind, today));

        var accepted = new List<Checked>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < batch.Count; i++)
        {
            var (errors, ok) = outcomes[i];
            var incoming = batch[i];
            if (incoming.SourceId is { } sourceId && !seen.Add(sourceId))
            {
                errors.Add(new("sourceId", "duplicate-source-id", $"sourceId {sourceId} appears more than once in this batch."));
            }
            if (errors.Count > 0)
            {
                results[incoming.Index] = Reject(incoming, errors);
            }
            else
            {
                accepted.Add(ok!);
            }
        }
        // Looked up here, outside the store's transaction: a file import checks the next chunks while the last are stored.
        var people = accepted.Count == 0 ? [] : await subjects.FindIdsByIndexAsync(accepted.Select(a => a.Indexes), cancellationToken);
        var stored = accepted.Count == 0 ? [] : (await FreshPlans.LookUpAsync(db,
            () => RecordsOf(provider.Id, [.. accepted.Select(a => a.Incoming.SourceId!)]).Select(r => r.SourceId).ToListAsync(cancellationToken), cancellationToken)).ToHashSet(StringComparer.Ordinal);
        return new CheckedBatch(provider, results, accepted, people, stored);
    }

    /// <summary>
    /// Stores the accepted items of one provider's checked batches in one transaction and answers for every item of each.
    /// A file import stores a few batches at a time: one transaction per thousand rows would cost more than the rows.
    /// </summary>
    public async Task<IReadOnlyList<PushResponse>> StoreAsync(IReadOnlyList<CheckedBatch> batches, CancellationToken cancellationToken, bool synthetic = false, string? actor = null)
    {
        var provider = batches[0].Provider;
        if (batches.Any(b => b.Provider.Id != provider.Id))
        {
            throw new ArgumentException("Batches stored together must come from one provider.", nameof(batches));
        }
        var accepted = batches.SelectMany(b => b.Accepted).ToList();
        if (accepted.Count > 0)
        {
            var people = new Dictionary<string, Guid>(accepted.Count, StringComparer.Ordinal);
            foreach (var (index, person) in batches.SelectMany(b => b.People))
            {
                people[index] = person;
            }
            var checkedBefore = new Known(people, batches.SelectMany(b => b.Stored).ToHashSet(StringComparer.Ordinal));
            people = await StoreWithRetryAsync(provider, accepted, checkedBefore, synthetic, actor ?? Audit.Actors.System($"push:{provider.Code}"), cancellationToken);
            foreach (var batch in batches)
            {
                foreach (var a in batch.Accepted)
                {
                    batch.People[a.Index] = people[a.Index];
                    batch.Stored.Add(a.Incoming.SourceId!);
                }
            }
        }
        return [.. batches.Select(batch =>
        {
            var final = batch.Results.Select((r, i) => r ?? throw new InvalidOperationException($"Item {i} has no result.")).ToList();
            var rejected = final.Count(r => r.Status == PushResult.Rejected);
            return new PushResponse(final.Count - rejected, rejected, final);
        })];
    }

    private (List<FieldError> Errors, Checked? Accepted) CheckOne(IncomingRecord incoming, PushResult?[] results, IReadOnlyDictionary<string, CatalogItemInForce> inForce, HashSet<string> provides, string providerKind, DateOnly today)
    {
        var errors = incoming.ReadErrors.ToList();
        var item = incoming.CatalogItem is null ? null : inForce.GetValueOrDefault(incoming.CatalogItem);
        if (incoming.CatalogItem is not null && item is null)
        {
            errors.Add(new("catalogItem", "unknown-item", $"{incoming.CatalogItem} is not a catalog item in force."));
        }
        else if (item is not null && !provides.Contains(item.Item.Code))
        {
            errors.Add(new("catalogItem", "not-provider", $"Your organisation is not registered to provide {item.Item.Code}."));
        }
        // A missing subject is already among the read errors; its checks add only what is wrong inside it.
        var subjectErrors = subjects.Check(incoming.Subject, out var idType, out var number);
        if (incoming.Subject is not null)
        {
            errors.AddRange(subjectErrors);
        }
        DateOnly? birth = idType == IdType.ResidentId && number.Length == ResidentIdNumber.Length ? ResidentIdNumber.BirthDate(number) : null;
        if (item is not null && errors.All(e => e.Code != "not-provider"))
        {
            // A value that could not be read (a date written otherwise) already has its error: "required" would say it twice.
            errors.AddRange(RecordChecks.Check(item.Item, incoming.OccurredOn, incoming.Fields, new SubjectFacts(birth), today)
                .Where(e => e.Code != "required" || !errors.Any(known => known.Field == e.Field)));
        }
        var grade = item is null ? null : RecordChecks.Grade(item.Item, incoming.Fields);
        if (errors.Count == 0 && Archive.RecordRetention.PastRetention(item!.Item, incoming.OccurredOn!.Value, Archive.DisplayPeriod.ActEnded(incoming.Fields),
                grade, retention.Value.RecordYears, today, incoming.Fields) is { } past)
        {
            errors.Add(past);
        }
        if (providerKind == "school" && incoming.OccurredOn is { } actOn && subjectErrors.Count == 0 && ProviderRules.School(birth, actOn) is { } minor)
        {
            errors.Add(minor);
        }
        if (errors.Count > 0)
        {
            return (errors, null);
        }
        var fields = RecordContent.Canonical(incoming.Fields);
        var indexes = subjects.IndexValues(idType, number);
        // Encrypted here, on every core and off the store's critical path, in case the person is new to the platform.
        var newcomer = subjects.Create(idType, number, incoming.Subject!.Name!, synthetic: false, indexes[0]);
        return (errors, new Checked(incoming, results, item!, idType, number, indexes, newcomer, fields,
            RecordContent.Digest(item!.Item.Code, incoming.OccurredOn!.Value, fields), grade));
    }

    /// <summary>What the checks found already stored: people by current index value, and the sourceIds that had a record.</summary>
    private sealed record Known(Dictionary<string, Guid> People, HashSet<string> SourceIds);

    // Two pushes racing on the same new sourceId or subject meet the unique indexes; the loser retries and sees the winner's rows.
    // A person or record created by another writer since the checks meets the same indexes: the retry looks everything up again.
    private async Task<Dictionary<string, Guid>> StoreWithRetryAsync(Organisation provider, List<Checked> accepted, Known checkedBefore, bool synthetic, string actor, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StoreAsync(provider, accepted, attempt == 1 ? checkedBefore : null, synthetic, actor, cancellationToken);
            }
            catch (Exception e) when (attempt < 5 && IsConflict(e))
            {
                logger.LogWarning("A push met a concurrent write ({Reason}); retrying, attempt {Attempt}", e.InnerException?.GetType().Name, attempt + 1);
                db.ChangeTracker.Clear();
                await Task.Delay(Random.Shared.Next(10, 50 * attempt), cancellationToken);
            }
        }
    }

    /// <summary>
    /// Stores the accepted items and answers for each. With <paramref name="checkedBefore"/>, only the records and people it
    /// knew of are read here, the others taken as new; without it, everything is looked up under the lock.
    /// </summary>
    private async Task<Dictionary<string, Guid>> StoreAsync(Organisation provider, List<Checked> accepted, Known? checkedBefore, bool synthetic, string actor, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (db.Database.IsNpgsql())
        {
            // One push at a time per provider: concurrent retries of a batch queue instead of deadlocking on its unique keys.
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({LockKey(provider.Id)})", cancellationToken);
        }
        var reread = accepted.Select(a => a.Incoming.SourceId!).Where(id => checkedBefore is null || checkedBefore.SourceIds.Contains(id)).ToArray();
        var existing = reread.Length == 0 ? new Dictionary<string, CreditRecord>(StringComparer.Ordinal)
            : await FreshPlans.LookUpAsync(db, () => RecordsOf(provider.Id, reread).ToDictionaryAsync(r => r.SourceId, StringComparer.Ordinal, cancellationToken), cancellationToken);
        Dictionary<string, Guid> known;
        if (checkedBefore is null)
        {
            known = await subjects.FindIdsByIndexAsync(accepted.Select(a => a.Indexes), cancellationToken);
        }
        else
        {
            known = new Dictionary<string, Guid>(checkedBefore.People, StringComparer.Ordinal);
            // A person not found while checking is taken as new (if another writer created them since, the unique index says so and
            // the batch is redone), unless a record of the item is already stored: then they may have come with it, so look again.
            var unsure = accepted.Where(a => !known.ContainsKey(a.Index) && existing.ContainsKey(a.Incoming.SourceId!)).Select(a => a.Indexes).ToList();
            if (unsure.Count > 0)
            {
                foreach (var (index, person) in await subjects.FindIdsByIndexAsync(unsure, cancellationToken))
                {
                    known[index] = person;
                }
            }
        }
        // People new to the platform (encrypted while checking) are stored only with a record about them.
        var pending = new Dictionary<Guid, Subject>();
        foreach (var newcomer in accepted.Where(a => !known.ContainsKey(a.Index)).DistinctBy(a => a.Index).Select(a => a.Newcomer))
        {
            newcomer.Synthetic = synthetic;
            known[newcomer.BlindIndex] = newcomer.Id;
            pending[newcomer.Id] = newcomer;
        }
        var now = clock.GetUtcNow();
        var isReference = ProviderRules.IsReference(provider.Kind);
        // On PostgreSQL new rows go in by binary COPY; updates of existing records stay with EF.
        var bulk = db.Database.IsNpgsql();
        var newSubjects = new List<Subject>();
        var newRecords = new List<CreditRecord>();
        var newVersions = new List<RecordVersion>();
        var newChanges = new List<RecordChange>();
        var updatedVersions = new List<RecordVersion>();

        foreach (var a in accepted)
        {
            var incoming = a.Incoming;
            var subjectId = known[a.Index];
            if (!existing.TryGetValue(incoming.SourceId!, out var record))
            {
                // A person new to the platform is stored only with a record about them, never for a rejected item.
                if (pending.Remove(subjectId, out var newcomer))
                {
                    newSubjects.Add(newcomer);
                }
                record = new CreditRecord
                {
                    SubjectId = subjectId,
                    ProviderId = provider.Id,
                    SourceId = incoming.SourceId!,
                    ItemCode = a.Item.Item.Code,
                    CatalogVersion = CatalogStore.VersionKey(a.Item.Scope, a.Item.Version),
                    OccurredOn = incoming.OccurredOn!.Value,
                    Grade = a.Grade,
                    Status = RecordStatus.Active,
                    CurrentVersion = 1,
                    ContentSha256 = a.Digest,
                    IsReference = isReference,
                    Synthetic = synthetic,
                    CreatedAt = now,
                    UpdatedAt = now,
                };
                newRecords.Add(record);
                newVersions.Add(new RecordVersion { RecordId = record.Id, Number = 1, Fields = a.Fields, ContentSha256 = a.Digest, CreatedAt = now });
                newChanges.Add(Change(record, RecordChangeKind.Created, now));
                existing[record.SourceId] = record;
                a.Answer(PushResult.Created, record.Id);
            }
            else if (record.SubjectId != subjectId)
            {
                a.Refuse(new("subject", "subject-changed", "This sourceId is already a record about another person; revoke it and push the correct record under a new sourceId."));
            }
            else if (record.Status == RecordStatus.Revoked)
            {
                a.Refuse(new("sourceId", "revoked", "This record was revoked; a new decision needs a new sourceId."));
            }
            else if (record.ContentSha256 == a.Digest)
            {
                a.Answer(PushResult.Unchanged, record.Id);
            }
            else
            {
                record.CurrentVersion++;
                record.ContentSha256 = a.Digest;
                record.ItemCode = a.Item.Item.Code;
                record.OccurredOn = incoming.OccurredOn!.Value;
                record.Grade = a.Grade;
                record.UpdatedAt = now;
                var version = new RecordVersion { RecordId = record.Id, Number = record.CurrentVersion, Fields = a.Fields, ContentSha256 = a.Digest, CreatedAt = now };
                db.RecordVersions.Add(version);
                updatedVersions.Add(version);
                db.RecordChanges.Add(Change(record, RecordChangeKind.Updated, now));
                a.Answer(PushResult.Updated, record.Id);
            }
        }
        if (bulk)
        {
            await BulkCopy.InsertAsync(db, newSubjects, cancellationToken);
            await BulkCopy.InsertAsync(db, newRecords, cancellationToken);
            await BulkCopy.InsertAsync(db, newVersions, cancellationToken);
            await BulkCopy.InsertAsync(db, newChanges, cancellationToken);
        }
        else
        {
            db.Subjects.AddRange(newSubjects);
            db.Records.AddRange(newRecords);
            db.RecordVersions.AddRange(newVersions);
            db.RecordChanges.AddRange(newChanges);
        }
        await RegisterRolesAsync(accepted, known, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        // The audit entry is appended last, so the chain's lock is held only for the commit.
        if (newVersions.Count + updatedVersions.Count > 0)
        {
            await audit.AppendAsync(new AuditEvent(actor, "records.push", null, $"provider:{provider.Code}", JsonSerializer.Serialize(new
            {
                created = newVersions.Count,
                updated = updatedVersions.Count,
                versions = VersionsDigest(newVersions.Concat(updatedVersions)),
            })), cancellationToken);
        }
        // Every accepted item of the batch is durable before the answer, or none is.
        await transaction.CommitAsync(cancellationToken);
        return known;
    }

    /// <summary>A provider's records with these sourceIds; run it through <see cref="FreshPlans"/>.</summary>
    private IQueryable<CreditRecord> RecordsOf(Guid providerId, string[] sourceIds) => db.Database.IsNpgsql()
        // "= ANY(keys)" is planned as a scan of all the provider's rows while its statistics are young; a join on
        // unnest, planned for the table's current size, probes the unique index once per key.
        ? db.Records.FromSql($"SELECT r.* FROM unnest({sourceIds}) AS k(id) CROSS JOIN LATERAL (SELECT * FROM \"Records\" WHERE \"ProviderId\" = {providerId} AND \"SourceId\" = k.id LIMIT 1) r")
        : db.Records.Where(r => r.ProviderId == providerId && sourceIds.Contains(r.SourceId));

    /// <summary>
    /// A legal-representative record also links the person to the organisation, so that what is decided
    /// about the organisation can reach its legal representative or responsible person.
    /// </summary>
    private async Task RegisterRolesAsync(List<Checked> accepted, Dictionary<string, Guid> subjectsByIndex, CancellationToken cancellationToken)
    {
        foreach (var a in accepted.Where(a => a.Item.Item.Code == LegalRepresentativeItem && a.Results[a.Incoming.Index]?.Status is PushResult.Created or PushResult.Updated))
        {
            var fields = a.Incoming.Fields;
            var code = fields.GetProperty(RecordChecks.OrganisationCodeField).GetString()!.Trim().ToUpperInvariant();
            var role = fields.GetProperty("role").GetString()!;
            var subjectId = subjectsByIndex[a.Index];
            if (await db.SubjectRoles.AnyAsync(r => r.SubjectId == subjectId && r.OrganisationCode == code && r.Role == role, cancellationToken))
            {
                continue;
            }
            db.SubjectRoles.Add(new SubjectRole
            {
                SubjectId = subjectId,
                OrganisationCode = code,
                OrganisationName = fields.TryGetProperty("organisationName", out var name) ? name.GetString() ?? "" : "",
                Role = role,
                Since = fields.TryGetProperty("startedOn", out var started) && RecordChecks.TryParseDate(started.GetString(), out var since) ? since : a.Incoming.OccurredOn,
            });
        }
    }

    public const string LegalRepresentativeItem = "legal-representative";

    /// <summary>The digest of the versions a batch wrote (record, number, content digest), so the audit entry vouches for exactly them.</summary>
    public static string VersionsDigest(IEnumerable<RecordVersion> versions)
    {
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        // Each line, "{record:N}/{number}/{digest}\n" in ASCII, written into one buffer: a push of thousands of versions hashes them all.
        Span<byte> line = stackalloc byte[256];
        foreach (var v in versions.OrderBy(v => v.RecordId).ThenBy(v => v.Number))
        {
            if (!System.Text.Unicode.Utf8.TryWrite(line, System.Globalization.CultureInfo.InvariantCulture, $"{v.RecordId:N}/{v.Number}/{v.ContentSha256}\n", out var written))
            {
                throw new InvalidOperationException($"Version {v.RecordId:N}/{v.Number} has a content digest of {v.ContentSha256.Length} characters.");
            }
            hash.AppendData(line[..written]);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    // A unique key taken by a concurrent writer (23505) or a deadlock (40P01): the batch is worth retrying.
    private static bool IsConflict(Exception e) => e switch
    {
        DbUpdateException => true,
        Npgsql.PostgresException p => p.SqlState is "23505" or "40P01" or "40001",
        _ => false,
    };

    private static long LockKey(Guid providerId) => BitConverter.ToInt64(providerId.ToByteArray(), 8) ^ 0x43_58_50_55_53_48; // "CXPUSH"


    /// <summary>Marks a provider's record revoked (its decision was quashed): from now on it is neither shown nor used.</summary>
    public async Task<CreditRecord?> RevokeAsync(Guid providerId, string sourceId, string reason, string actor, CancellationToken cancellationToken)
    {
        var record = await db.Records.SingleOrDefaultAsync(r => r.ProviderId == providerId && r.SourceId == sourceId, cancellationToken);
        if (record is null || record.Status == RecordStatus.Revoked)
        {
            return record;
        }
        var now = clock.GetUtcNow();
        record.Status = RecordStatus.Revoked;
        record.RevokedAt = now;
        record.RevocationReason = reason.Trim();
        record.UpdatedAt = now;
        db.RecordChanges.Add(Change(record, RecordChangeKind.Revoked, now));
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(new AuditEvent(actor, "records.revoke", record.SubjectId, $"record:{record.Id:N}",
            JsonSerializer.Serialize(new { record.SourceId, record.ItemCode, reason = record.RevocationReason })), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return record;
    }

    private static RecordChange Change(CreditRecord record, RecordChangeKind kind, DateTimeOffset now) => new()
    {
        RecordId = record.Id,
        SubjectId = record.SubjectId,
        ProviderId = record.ProviderId,
        ItemCode = record.ItemCode,
        Kind = kind,
        Version = record.CurrentVersion,
        At = now,
    };

    private static PushResult Reject(IncomingRecord incoming, IReadOnlyList<FieldError> errors) =>
        new(incoming.Index, incoming.SourceId, PushResult.Rejected, null, errors);

    /// <summary>Reads a pushed body: null and a reason when it is not a batch at all.</summary>
    public static (IReadOnlyList<IncomingRecord>? Batch, string? Problem) ReadBatch(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("records", out var records) || records.ValueKind != JsonValueKind.Array)
        {
            return (null, "The body must be a JSON object { \"records\": [ ... ] }.");
        }
        var count = records.GetArrayLength();
        if (count == 0)
        {
            return (null, "The batch is empty: send 1 to 1,000 records.");
        }
        if (count > MaxBatch)
        {
            return (null, $"The batch has {count} records; at most {MaxBatch} are accepted at once. Split it.");
        }
        return (records.EnumerateArray().Select((item, index) => IncomingRecord.Read(index, item)).ToList(), null);
    }
}
