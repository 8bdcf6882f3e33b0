using System.Security.Cryptography;
using Chengxin.Data;
using Chengxin.Organisations;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Chengxin.Clients;

/// <summary>What `clients add` prints once: the secret is not stored in clear and cannot be shown again.</summary>
public sealed record ClientCredentials(string ClientId, string ClientSecret, string Organisation, IReadOnlyList<string> Scopes);

public sealed record ClientView(string ClientId, string Name, string Organisation, string Scopes, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

/// <summary>Registers and revokes the systems of organisations that sign in with client credentials.</summary>
public sealed class ClientService(ChengxinDb db, OrganisationService organisations, IOpenIddictApplicationManager applications, Audit.AuditTrail audit, Audit.CurrentActor current)
{
    public async Task<(ClientCredentials? Credentials, IReadOnlyList<string> Problems)> AddAsync(string name, string organisationCode, IReadOnlyList<string> scopes, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(name))
        {
            problems.Add("--name: a client needs a name.");
        }
        var (organisation, problem) = await organisations.FindByCodeAsync(organisationCode, cancellationToken);
        if (problem is not null)
        {
            problems.Add(problem);
        }
        else if (await db.Blacklist.AnyAsync(b => b.Kind == Accounts.BlacklistService.Organisation && b.Key == organisation!.Code && b.RemovedAt == null, cancellationToken))
        {
            problems.Add($"--org: {organisation!.Code} is on the blacklist of those who misused data; it may have no system.");
        }
        if (scopes.Count == 0)
        {
            problems.Add($"--scope: name at least one of {string.Join(", ", ApiScopes.All)}.");
        }
        problems.AddRange(scopes.Where(s => !ApiScopes.All.Contains(s)).Select(s => $"--scope: '{s}' is not one of {string.Join(", ", ApiScopes.All)}."));
        if (organisation is { Uses: false } && scopes.Contains(ApiScopes.Checks))
        {
            // Checks and government sharing read without the person's consent: only departments that use the platform may.
            problems.Add($"--scope checks: {organisation.Code} is not a user department (chengxin org add --uses); checks and government sharing are for user departments only.");
        }
        if (problems.Count > 0)
        {
            return (null, problems);
        }

        var clientId = "cx-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10));
        var secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = clientId,
            ClientSecret = secret,
            ClientType = ClientTypes.Confidential,
            DisplayName = name.Trim(),
            Permissions = { Permissions.Endpoints.Token, Permissions.GrantTypes.ClientCredentials },
        };
        foreach (var scope in scopes.Distinct(StringComparer.Ordinal))
        {
            descriptor.Permissions.Add(Permissions.Prefixes.Scope + scope);
        }
        var granted = string.Join(' ', scopes.Distinct(StringComparer.Ordinal));
        var owner = organisation!;
        await audit.RecordAsync(async () =>
        {
            await applications.CreateAsync(descriptor, cancellationToken);
            db.SystemClients.Add(new SystemClient { ClientId = clientId, Name = name.Trim(), OrganisationId = owner.Id, Scopes = granted });
            return await db.SaveChangesAsync(cancellationToken);
        }, _ => new Audit.AuditEvent(current.Name, "client.add", null, clientId, System.Text.Json.JsonSerializer.Serialize(new { organisation = owner.Code, scopes = granted })), cancellationToken);
        return (new ClientCredentials(clientId, secret, owner.Code, scopes.Distinct(StringComparer.Ordinal).ToList()), []);
    }

    /// <summary>Revokes a client: it can no longer get tokens, and the tokens it holds stop working at once.</summary>
    public async Task<bool> RevokeAsync(string clientId, string actor, CancellationToken cancellationToken)
    {
        var client = await db.SystemClients.SingleOrDefaultAsync(c => c.ClientId == clientId && c.RevokedAt == null, cancellationToken);
        if (client is null)
        {
            return false;
        }
        await audit.RecordAsync(async () =>
        {
            // Deleting the application deletes its token entries, which token-entry validation then refuses.
            if (await applications.FindByClientIdAsync(clientId, cancellationToken) is { } application)
            {
                await applications.DeleteAsync(application, cancellationToken);
            }
            client.RevokedAt = DateTimeOffset.UtcNow;
            return await db.SaveChangesAsync(cancellationToken);
        }, _ => new Audit.AuditEvent(actor, "client.revoke", null, clientId, "{}"), cancellationToken);
        return true;
    }

    public async Task<IReadOnlyList<ClientView>> ListAsync(CancellationToken cancellationToken) =>
        await (from c in db.SystemClients.AsNoTracking()
               join o in db.Organisations.AsNoTracking() on c.OrganisationId equals o.Id
               orderby c.ClientId
               select new ClientView(c.ClientId, c.Name, o.Code, c.Scopes, c.CreatedAt, c.RevokedAt)).ToListAsync(cancellationToken);

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
