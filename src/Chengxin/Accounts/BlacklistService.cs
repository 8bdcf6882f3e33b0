using System.Text.Json;
using Chengxin.Audit;
using Chengxin.Clients;
using Chengxin.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Chengxin.Accounts;

/// <summary>
/// The blacklist of credit agencies, organisations and staff who misused data. Listing an
/// organisation revokes its systems at once and refuses it new ones and new tokens; listing an
/// account locks it for good and ends its sessions. Every change is audited.
/// </summary>
public sealed class BlacklistService(ChengxinDb db, UserManager<PortalUser> users, IServiceScopeFactory scopes, AuditTrail audit, TimeProvider clock)
{
    public const string Organisation = "organisation";
    public const string Account = "account";

    public async Task<(BlacklistEntry? Entry, string? Problem)> ListOrganisationAsync(string code, string reason, string actor, CancellationToken cancellationToken)
    {
        var key = code.Trim().ToUpperInvariant();
        var organisation = await db.Organisations.AsNoTracking().SingleOrDefaultAsync(o => o.Code == key, cancellationToken);
        if (organisation is null)
        {
            return (null, $"No organisation with the code {key} is registered.");
        }
        if (string.IsNullOrWhiteSpace(reason))
        {
            return (null, "--reason: say what the organisation did (and the decision that listed it).");
        }
        var clientIds = await db.SystemClients.Where(c => c.OrganisationId == organisation.Id && c.RevokedAt == null).Select(c => c.ClientId).ToListAsync(cancellationToken);
        foreach (var clientId in clientIds)
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<ClientService>().RevokeAsync(clientId, actor, cancellationToken);
        }
        return (await AddAsync(Organisation, key, reason, actor, cancellationToken), null);
    }

    public async Task<(BlacklistEntry? Entry, string? Problem)> ListAccountAsync(string email, string reason, string actor, CancellationToken cancellationToken)
    {
        var user = await users.FindByEmailAsync(email.Trim());
        if (user is null)
        {
            return (null, $"No account with the e-mail {email.Trim()}.");
        }
        if (string.IsNullOrWhiteSpace(reason))
        {
            return (null, "--reason: say what the person did (and the decision that listed them).");
        }
        await users.LockAsync(user);
        return (await AddAsync(Account, user.NormalizedEmail!, reason, actor, cancellationToken), null);
    }

    public async Task<bool> RemoveAsync(Guid id, string actor, CancellationToken cancellationToken)
    {
        var entry = await db.Blacklist.SingleOrDefaultAsync(b => b.Id == id && b.RemovedAt == null, cancellationToken);
        if (entry is null)
        {
            return false;
        }
        entry.RemovedAt = clock.GetUtcNow();
        if (entry.Kind == Account && await users.FindByEmailAsync(entry.Key) is { } user)
        {
            await users.UnlockAsync(user);
        }
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(new AuditEvent(actor, "blacklist.remove", null, $"{entry.Kind}:{entry.Key}", JsonSerializer.Serialize(new { entry.Id })), cancellationToken);
        return true;
    }

    public Task<bool> IsListedAsync(string kind, string key, CancellationToken cancellationToken) =>
        db.Blacklist.AnyAsync(b => b.Kind == kind && b.Key == key && b.RemovedAt == null, cancellationToken);

    public async Task<IReadOnlyList<BlacklistEntry>> ListAsync(CancellationToken cancellationToken) =>
        (await db.Blacklist.AsNoTracking().ToListAsync(cancellationToken)).OrderByDescending(b => b.ListedAt).ToList();

    private async Task<BlacklistEntry> AddAsync(string kind, string key, string reason, string actor, CancellationToken cancellationToken)
    {
        var entry = new BlacklistEntry { Kind = kind, Key = key, Reason = reason.Trim(), ListedAt = clock.GetUtcNow(), ListedBy = actor };
        db.Blacklist.Add(entry);
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(new AuditEvent(actor, "blacklist.add", null, $"{kind}:{key}", JsonSerializer.Serialize(new { entry.Id, reason = entry.Reason })), cancellationToken);
        return entry;
    }
}
