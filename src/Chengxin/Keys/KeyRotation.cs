using System.Text.Json;
using Chengxin.Audit;
using Chengxin.Crypto;
using Chengxin.Data;
using Microsoft.EntityFrameworkCore;

namespace Chengxin.Keys;

/// <summary>How far a rotation got: rows rewritten so far, and rows still under an old key or index (at the end: people registered twice, left for a merge).</summary>
public sealed record RotationProgress(int Rewritten, int Remaining);

/// <summary>
/// Re-encrypts every subject under the current data key and rewrites its blind index under the
/// current index key, in small batches while the platform keeps serving (lookups try old index keys
/// until the rotation is done). Each batch commits on its own and the next run starts from whatever
/// is still old, so a rotation killed at any moment resumes where it stopped and every row decrypts
/// throughout: a row is either untouched or fully rewritten.
/// </summary>
public sealed class KeyRotation(ChengxinDb db, FieldCipher cipher, BlindIndex index, AuditTrail audit, ILogger<KeyRotation> logger)
{
    public async Task<RotationProgress> RunAsync(string actor, int batchSize, IProgress<RotationProgress>? progress, CancellationToken cancellationToken)
    {
        var current = cipher.CurrentKeyId;
        var prefix = index.CurrentPrefix;
        var rewritten = 0;
        var duplicates = new List<Guid>();
        while (true)
        {
            var batch = await db.Subjects.Where(s => (s.KeyId != current || !s.BlindIndex.StartsWith(prefix)) && !duplicates.Contains(s.Id))
                .OrderBy(s => s.Id).Take(batchSize).ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                break;
            }
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
        await audit.AppendAsync(new AuditEvent(actor, "keys.rotate", null, $"key:{current}",
            JsonSerializer.Serialize(new { dataKey = current, indexPrefix = prefix, rewritten, duplicates = duplicates.Count })), cancellationToken);
        return new RotationProgress(rewritten, duplicates.Count);
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
