using System.Text.Json;
using Chengxin.Audit;
using Chengxin.Crypto;
using Chengxin.Data;
using Microsoft.EntityFrameworkCore;

namespace Chengxin.Keys;

/// <summary>
/// How far a rotation got: values rewritten so far (people, webhook secrets, reports, authorisations), and people still under an old
/// key or index (at the end: people registered twice, left for a merge). <see cref="Unlinked"/> counts authorisations in force that
/// were registered for people not yet on the platform: they can only be matched under the index key they were registered with.
/// </summary>
public sealed record RotationProgress(int Rewritten, int Remaining, int Reports = 0, int Authorisations = 0, int Unlinked = 0);

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
            foreach (var subject in batch)
            {
                Rewrite(subject);
            }
            // A person registered twice (under an old and the current index) cannot take the same index value twice:
            // those rows are left as they are and reported, for the credit office to merge.
            var values = batch.Select(s => s.BlindIndex).ToList();
            var ids = batch.Select(s => s.Id).ToList();
            var taken = await db.Subjects.AsNoTracking().Where(s => values.Contains(s.BlindIndex) && !ids.Contains(s.Id)).Select(s => s.BlindIndex).ToListAsync(cancellationToken);
            foreach (var subject in batch.Where(s => taken.Contains(s.BlindIndex)))
            {
                db.Entry(subject).State = EntityState.Unchanged;
                duplicates.Add(subject.Id);
                logger.LogWarning("Subject {SubjectId} is registered twice; it keeps its old keys until the two are merged", subject.Id);
            }
            await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
            {
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
        var reports = await RotateReportsAsync(batchSize, done => progress?.Report(new RotationProgress(rewritten + done, duplicates.Count, done)), cancellationToken);
        rewritten += reports;
        var authorisations = await RotateAuthorisationsAsync(prefix, cancellationToken);
        rewritten += authorisations;
        var unlinked = await UnlinkedAuthorisationsAsync(prefix, cancellationToken);
        await audit.AppendAsync(new AuditEvent(actor, "keys.rotate", null, $"key:{current}",
            JsonSerializer.Serialize(new { dataKey = current, indexPrefix = prefix, rewritten, reports, authorisations, duplicates = duplicates.Count, unlinked })), cancellationToken);
        return new RotationProgress(rewritten, duplicates.Count, reports, authorisations, unlinked);
    }

    /// <summary>
    /// Re-encrypts the stored reports still under an old data key, a page at a time in the order of their ids, each page committed
    /// on its own: a report must stay readable by its subject and querier after the old key is removed.
    /// </summary>
    private async Task<int> RotateReportsAsync(int batchSize, Action<int> progress, CancellationToken cancellationToken)
    {
        var rewritten = 0;
        var after = Guid.Empty;
        while (true)
        {
            var page = await db.Reports.Where(r => r.Id.CompareTo(after) > 0).OrderBy(r => r.Id).Take(batchSize).ToListAsync(cancellationToken);
            if (page.Count == 0)
            {
                return rewritten;
            }
            after = page[^1].Id;
            var old = page.Where(r => !cipher.IsCurrent(r.ContentCipher)).ToList();
            foreach (var report in old)
            {
                var binding = Reports.ReportService.Binding(report.Id);
                report.ContentCipher = cipher.Encrypt(cipher.DecryptBytes(report.ContentCipher, binding), binding);
            }
            if (old.Count > 0)
            {
                await db.SaveChangesAsync(cancellationToken);
                rewritten += old.Count;
                progress(rewritten);
            }
            db.ChangeTracker.Clear();
        }
    }

    /// <summary>
    /// An authorisation is matched by the index value its person had when it was registered: one whose person is on the platform
    /// takes that person's value under the current index key (people registered twice, left on the old key, keep theirs).
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

    private void Rewrite(Subject subject)
    {
        var numberBinding = Subjects.SubjectRegistry.Binding(subject.Id, "idNumber");
        var nameBinding = Subjects.SubjectRegistry.Binding(subject.Id, "name");
        var number = cipher.Decrypt(subject.IdNumberCipher, numberBinding);
        var name = cipher.Decrypt(subject.NameCipher, nameBinding);
        subject.IdNumberCipher = cipher.Encrypt(number, numberBinding);
        subject.NameCipher = cipher.Encrypt(name, nameBinding);
        subject.KeyId = cipher.CurrentKeyId;
        subject.BlindIndex = index.Compute(subject.IdType, number);
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
