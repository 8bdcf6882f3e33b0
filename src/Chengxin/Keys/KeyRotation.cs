using System.Text.Json;
using System.Xml.Linq;
using Chengxin.Audit;
using Chengxin.Crypto;
using Chengxin.Data;
using Microsoft.EntityFrameworkCore;

namespace Chengxin.Keys;

/// <summary>
/// How far a rotation got: values rewritten so far (people, webhook secrets, reports, authorisations), and people still under an old
/// key or index (at the end: people registered twice, left for a merge). <see cref="Unlinked"/> counts authorisations in force that
/// were registered for people not yet on the platform: they can only be matched under the index key they were registered with.
/// <see cref="UnreadableReports"/> counts reports that could not be decrypted (damaged, or under a key no longer held).
/// </summary>
/// <param name="SessionKeys">Data-protection keys put under the current data key (not counted in <paramref name="Rewritten"/>: their number depends on the platform's age, not on its data).</param>
public sealed record RotationProgress(int Rewritten, int Remaining, int Reports = 0, int Authorisations = 0, int Unlinked = 0, int UnreadableReports = 0, int SessionKeys = 0);

/// <summary>
/// Re-encrypts every subject under the current data key and rewrites its blind index under the
/// current index key, in small batches while the platform keeps serving (lookups try old index keys
/// until the rotation is done). Each batch commits on its own and the next run starts from whatever
/// is still old, so a rotation killed at any moment resumes where it stopped and every row decrypts
/// throughout: a row is either untouched or fully rewritten. Stored report contents are re-encrypted, and authorisations are
/// moved to their person's new index value, so that once it is done the old keys can go without losing a report or an authorisation.
/// </summary>
public sealed class KeyRotation(ChengxinDb db, FieldCipher cipher, BlindIndex index, AuditTrail audit, TimeProvider clock, ILogger<KeyRotation> logger)
{
    public async Task<RotationProgress> RunAsync(string actor, int batchSize, IProgress<RotationProgress>? progress, CancellationToken cancellationToken)
    {
        var current = cipher.CurrentKeyId;
        var prefix = index.CurrentPrefix;
        var rewritten = 0;
        var duplicates = new List<Guid>();
        var movedWithPeople = 0;
        // In the order of ids, each batch after the last: a batch does not scan again past the rows already rewritten (or left as duplicates).
        var after = Guid.Empty;
        while (true)
        {
            var batch = await db.Subjects.Where(s => s.Id.CompareTo(after) > 0 && (s.KeyId != current || !s.BlindIndex.StartsWith(prefix)))
                .OrderBy(s => s.Id).Take(batchSize).ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                break;
            }
            after = batch[^1].Id;
            var formerValues = batch.ToDictionary(s => s.Id, Rewrite);
            // A person registered twice (under an old and the current index) cannot take the same index value twice:
            // those rows are left as they are and reported, for the credit office to merge.
            var values = batch.Select(s => s.BlindIndex).ToList();
            var ids = batch.Select(s => s.Id).ToList();
            var taken = await db.Subjects.AsNoTracking().Where(s => values.Contains(s.BlindIndex) && !ids.Contains(s.Id)).Select(s => s.BlindIndex).ToListAsync(cancellationToken);
            // Taken outside the batch, or by an earlier row of it (the same person stored under two old forms).
            var claimed = new HashSet<string>(taken, StringComparer.Ordinal);
            foreach (var subject in batch.Where(s => !claimed.Add(s.BlindIndex)).ToList())
            {
                db.Entry(subject).State = EntityState.Unchanged;
                duplicates.Add(subject.Id);
                logger.LogWarning("Subject {SubjectId} is registered twice; it keeps its old keys until the two are merged", subject.Id);
            }
            await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
            {
                // An authorisation registered before its person came to the platform is matched by the value it was registered
                // under: it moves with the person, in the same transaction.
                var moves = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var subject in batch.Where(s => !duplicates.Contains(s.Id)))
                {
                    foreach (var former in formerValues[subject.Id])
                    {
                        moves.TryAdd(former, subject.BlindIndex);
                    }
                }
                var oldValues = moves.Keys.ToList();
                foreach (var authorisation in await db.Authorisations.Where(a => oldValues.Contains(a.SubjectIndex)).ToListAsync(cancellationToken))
                {
                    authorisation.SubjectIndex = moves[authorisation.SubjectIndex];
                    movedWithPeople++;
                }
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }
            db.ChangeTracker.Clear();
            rewritten += batch.Count(s => !duplicates.Contains(s.Id));
            var remaining = await RemainingAsync(cancellationToken);
            progress?.Report(new RotationProgress(rewritten, remaining));
            logger.LogInformation("Key rotation: {Rewritten} subjects rewritten, {Remaining} left", rewritten, remaining);
        }
        rewritten += await RotateWebhookSecretsAsync(cancellationToken);
        var (reports, unreadable) = await RotateReportsAsync(batchSize, done => progress?.Report(new RotationProgress(rewritten + done, duplicates.Count, done)), cancellationToken);
        rewritten += reports;
        var sessionKeys = await RotateSessionKeysAsync(cancellationToken);
        var authorisations = movedWithPeople + await RotateAuthorisationsAsync(prefix, cancellationToken);
        rewritten += authorisations;
        var unlinked = await UnlinkedAuthorisationsAsync(prefix, cancellationToken);
        await audit.AppendAsync(new AuditEvent(actor, "keys.rotate", null, $"key:{current}",
            JsonSerializer.Serialize(new { dataKey = current, indexPrefix = prefix, rewritten, reports, unreadableReports = unreadable, sessionKeys, authorisations, duplicates = duplicates.Count, unlinked })), cancellationToken);
        return new RotationProgress(rewritten, duplicates.Count, reports, authorisations, unlinked, unreadable, sessionKeys);
    }

    /// <summary>
    /// Re-encrypts the stored reports still under an old data key, a page at a time in the order of their numbers, each page committed
    /// on its own: a report must stay readable by its subject and querier after the old key is removed.
    /// </summary>
    private async Task<(int Rewritten, int Unreadable)> RotateReportsAsync(int batchSize, Action<int> progress, CancellationToken cancellationToken)
    {
        var rewritten = 0;
        var unreadable = 0;
        var after = "";
        while (true)
        {
            var page = await db.Reports.Where(r => r.ReportNo.CompareTo(after) > 0).OrderBy(r => r.ReportNo).Take(batchSize).ToListAsync(cancellationToken);
            if (page.Count == 0)
            {
                return (rewritten, unreadable);
            }
            after = page[^1].ReportNo;
            var changed = 0;
            foreach (var report in page.Where(r => !cipher.IsCurrent(r.ContentCipher)))
            {
                var binding = Reports.ReportService.Binding(report.Id);
                try
                {
                    report.ContentCipher = cipher.Encrypt(cipher.DecryptBytes(report.ContentCipher, binding), binding);
                    changed++;
                }
                catch (System.Security.Cryptography.CryptographicException e)
                {
                    // One damaged report, or one under a key no longer held, must not stop the rest: it is left as it is and reported.
                    unreadable++;
                    logger.LogError("Report {ReportNo} (id {ReportId}) cannot be decrypted and keeps its old key: {Reason}", report.ReportNo, report.Id, e.Message);
                }
            }
            if (changed > 0)
            {
                await db.SaveChangesAsync(cancellationToken);
                rewritten += changed;
                progress(rewritten);
            }
            db.ChangeTracker.Clear();
        }
    }

    /// <summary>
    /// The data-protection keys (sessions, two-factor steps, anti-forgery tokens) under the current data key: those under an old one
    /// re-encrypted, and those kept plain from before keys were encrypted encrypted now, so that the old data key can go at
    /// once without signing everyone out. A key under a data key no longer held is left as it is and logged.
    /// </summary>
    private async Task<int> RotateSessionKeysAsync(CancellationToken cancellationToken)
    {
        var changed = 0;
        foreach (var key in await db.DataProtectionKeys.Where(k => k.Xml != null).ToListAsync(cancellationToken))
        {
            var element = XElement.Parse(key.Xml!);
            try
            {
                if (!SessionKeyEncryptor.ReencryptUnder(element, cipher))
                {
                    continue;
                }
            }
            catch (System.Security.Cryptography.CryptographicException e)
            {
                logger.LogError("Data-protection key {FriendlyName} cannot be decrypted and keeps its old key: {Reason}", key.FriendlyName, e.Message);
                continue;
            }
            key.Xml = element.ToString(SaveOptions.DisableFormatting);
            changed++;
        }
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return changed;
    }

    /// <summary>
    /// Authorisations left on an old index value whose person is already under the current keys (rewritten by a release whose
    /// rotation did not move authorisations): each takes its person's current value. People rewritten by this run moved theirs
    /// with them; people registered twice, left on the old key, keep theirs.
    /// </summary>
    private async Task<int> RotateAuthorisationsAsync(string prefix, CancellationToken cancellationToken)
    {
        var stale = await db.Authorisations.Where(a => a.SubjectId != null && !a.SubjectIndex.StartsWith(prefix))
            .Join(db.Subjects.Where(s => s.BlindIndex.StartsWith(prefix)), a => a.SubjectId, s => s.Id, (a, s) => new { Authorisation = a, s.BlindIndex })
            .ToListAsync(cancellationToken);
        foreach (var row in stale)
        {
            row.Authorisation.SubjectIndex = row.BlindIndex;
        }
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return stale.Count;
    }

    /// <summary>Authorisations still in force under an old index key whose person is not on the platform: the old index key must stay until they end.</summary>
    private Task<int> UnlinkedAuthorisationsAsync(string prefix, CancellationToken cancellationToken)
    {
        var today = Calendar.ChinaTime.Today(clock);
        return db.Authorisations.CountAsync(a => a.SubjectId == null && a.RevokedAt == null && a.ValidUntil >= today && !a.SubjectIndex.StartsWith(prefix), cancellationToken);
    }

    /// <summary>Subjects still under an old data key or index key.</summary>
    public Task<int> RemainingAsync(CancellationToken cancellationToken)
    {
        var current = cipher.CurrentKeyId;
        var prefix = index.CurrentPrefix;
        return db.Subjects.CountAsync(s => s.KeyId != current || !s.BlindIndex.StartsWith(prefix), cancellationToken);
    }

    /// <summary>Re-encrypts and re-indexes a subject; returns the index values the person had before, under every key held, for their authorisations.</summary>
    private IReadOnlyList<string> Rewrite(Subject subject)
    {
        var stored = subject.BlindIndex;
        var numberBinding = Subjects.SubjectRegistry.Binding(subject.Id, "idNumber");
        var nameBinding = Subjects.SubjectRegistry.Binding(subject.Id, "name");
        var number = cipher.Decrypt(subject.IdNumberCipher, numberBinding);
        var name = cipher.Decrypt(subject.NameCipher, nameBinding);
        subject.IdNumberCipher = cipher.Encrypt(number, numberBinding);
        subject.NameCipher = cipher.Encrypt(name, nameBinding);
        subject.KeyId = cipher.CurrentKeyId;
        var all = index.ComputeAll(subject.IdType, number);
        subject.BlindIndex = all[0];
        return [.. all.Skip(1).Append(stored).Where(v => v != subject.BlindIndex).Distinct(StringComparer.Ordinal)];
    }

    private async Task<int> RotateWebhookSecretsAsync(CancellationToken cancellationToken)
    {
        var receivers = await db.Receivers.Where(r => r.WebhookSecretCipher != null).ToListAsync(cancellationToken);
        var rewritten = 0;
        foreach (var receiver in receivers.Where(r => !cipher.IsCurrent(r.WebhookSecretCipher!)))
        {
            var binding = Exchange.ReceiverService.SecretBinding(receiver.Id);
            receiver.WebhookSecretCipher = cipher.Encrypt(cipher.Decrypt(receiver.WebhookSecretCipher!, binding), binding);
            rewritten++;
        }
        await db.SaveChangesAsync(cancellationToken);
        return rewritten;
    }
}
