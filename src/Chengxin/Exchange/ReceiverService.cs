using System.Security.Cryptography;
using Chengxin.Catalog;
using Chengxin.Crypto;
using Chengxin.Data;
using Chengxin.Organisations;
using Microsoft.EntityFrameworkCore;

namespace Chengxin.Exchange;

public sealed record ReceiverView(string Organisation, IReadOnlyList<string> Items, string? WebhookUrl, long DeliveredThrough, long Pending, int Attempts, DateTimeOffset? LastDeliveredAt, string? LastError, int DeadLetters);

/// <summary>Subscribes receivers to the items they are entitled to, and reports how far their deliveries are.</summary>
public sealed class ReceiverService(ChengxinDb db, OrganisationService organisations, CatalogStore catalog, FieldCipher cipher)
{
    /// <summary>Subscribes an organisation; returns the webhook secret when a new URL was given (shown once), or the problems.</summary>
    public async Task<(string? Secret, IReadOnlyList<string> Problems)> SubscribeAsync(string organisationCode, IReadOnlyList<string> items, string? webhookUrl, CancellationToken cancellationToken)
    {
        var (organisation, problem) = await organisations.FindByCodeAsync(organisationCode, cancellationToken);
        if (organisation is null)
        {
            return (null, [problem!]);
        }
        var problems = new List<string>();
        var inForce = await catalog.ByCodeAsync(cancellationToken);
        foreach (var item in items)
        {
            if (!inForce.TryGetValue(item, out var definition))
            {
                problems.Add($"--item: '{item}' is not a catalog item in force.");
            }
            else if (!Entitlement.MayReceive(organisation.Kind, organisation.Uses, definition.Item.Disclosure))
            {
                problems.Add($"--item: a {organisation.Kind} is not entitled to receive {item} (disclosure: {definition.Item.Disclosure.ToString().ToLowerInvariant()}).");
            }
        }
        // Personal data travels only over TLS; plain http is for a receiver on this machine (tests, a local relay).
        if (webhookUrl is not null && (!Uri.TryCreate(webhookUrl, UriKind.Absolute, out var uri) || !(uri.Scheme == "https" || (uri.Scheme == "http" && uri.IsLoopback))))
        {
            problems.Add("--webhook: give an absolute https:// address.");
        }
        if (problems.Count > 0)
        {
            return (null, problems);
        }

        var receiver = await db.Receivers.Include(r => r.Items).SingleOrDefaultAsync(r => r.OrganisationId == organisation.Id, cancellationToken);
        if (receiver is null)
        {
            receiver = new Receiver { OrganisationId = organisation.Id };
            db.Receivers.Add(receiver);
            // A new receiver starts from now; history is read through the feed from any cursor it likes.
            receiver.DeliveredThrough = await db.RecordChanges.MaxAsync(c => (long?)c.Sequence, cancellationToken) ?? 0;
        }
        foreach (var item in items.Distinct(StringComparer.Ordinal).Where(i => receiver.Items.All(x => x.ItemCode != i)))
        {
            receiver.Items.Add(new ReceiverItem { ItemCode = item });
        }
        string? secret = null;
        if (webhookUrl is not null && webhookUrl != receiver.WebhookUrl)
        {
            var bytes = RandomNumberGenerator.GetBytes(32);
            secret = Convert.ToBase64String(bytes);
            receiver.WebhookUrl = webhookUrl;
            receiver.WebhookSecretCipher = cipher.Encrypt(secret, SecretBinding(receiver.Id));
            receiver.Attempts = 0;
            receiver.NextAttemptAt = null;
        }
        await db.SaveChangesAsync(cancellationToken);
        return (secret, []);
    }

    public byte[] Secret(Receiver receiver) => Convert.FromBase64String(cipher.Decrypt(receiver.WebhookSecretCipher!, SecretBinding(receiver.Id)));

    public async Task<IReadOnlyList<ReceiverView>> ListAsync(CancellationToken cancellationToken)
    {
        var receivers = await db.Receivers.AsNoTracking().Include(r => r.Items).ToListAsync(cancellationToken);
        var organisations = await db.Organisations.AsNoTracking().ToDictionaryAsync(o => o.Id, o => o.Code, cancellationToken);
        var views = new List<ReceiverView>();
        foreach (var r in receivers)
        {
            var items = r.Items.Select(i => i.ItemCode).ToList();
            var pending = r.WebhookUrl is null ? 0 : await db.RecordChanges.CountAsync(c => c.Sequence > r.DeliveredThrough && items.Contains(c.ItemCode), cancellationToken);
            var dead = await db.DeadLetters.CountAsync(d => d.ReceiverId == r.Id && d.RequeuedAt == null, cancellationToken);
            views.Add(new ReceiverView(organisations[r.OrganisationId], items, r.WebhookUrl, r.DeliveredThrough, pending, r.Attempts, r.LastDeliveredAt, r.LastError, dead));
        }
        return views;
    }

    public static string SecretBinding(Guid receiverId) => $"receivers/{receiverId:N}/webhookSecret";
}
