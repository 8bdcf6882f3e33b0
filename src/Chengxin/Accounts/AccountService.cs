using System.Security.Cryptography;
using System.Text.Json;
using Chengxin.Audit;
using Chengxin.Data;
using Chengxin.Organisations;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Chengxin.Accounts;

public sealed record AccountView(Guid Id, string Email, string DisplayName, IReadOnlyList<string> Roles, string? Organisation, bool Locked, bool TwoFactor, bool Synthetic);

public sealed record NewAccount(string Email, string Role, string OneTimePassword);

/// <summary>
/// Portal accounts as the security administrator keeps them: created with one role and a one-time
/// password, locked and unlocked, each step audited. An administrator's account holds that one
/// role and nothing else (the three-way split of operating the platform).
/// </summary>
public sealed class AccountService(UserManager<PortalUser> users, ChengxinDb db, OrganisationService organisations, AuditTrail audit)
{
    private static readonly string[] StaffRoles = [Roles.ProviderOperator, Roles.CreditOffice, Roles.Auditor];

    public async Task<(NewAccount? Account, IReadOnlyList<string> Problems)> CreateAsync(string email, string name, string role, string? organisationCode, string actor, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        if (!Roles.All.Contains(role))
        {
            problems.Add($"--role: '{role}' is not one of {string.Join(", ", Roles.All)}.");
        }
        if (string.IsNullOrWhiteSpace(name))
        {
            problems.Add("--name: say whose account it is.");
        }
        Guid? organisationId = null;
        if (!string.IsNullOrWhiteSpace(organisationCode))
        {
            var (organisation, problem) = await organisations.FindByCodeAsync(organisationCode, cancellationToken);
            organisationId = organisation?.Id;
            if (problem is not null)
            {
                problems.Add(problem);
            }
        }
        else if (StaffRoles.Contains(role))
        {
            problems.Add($"--org: a {role} account belongs to an organisation; give its unified social credit code.");
        }
        if (problems.Count > 0)
        {
            return (null, problems);
        }
        var user = new PortalUser { UserName = email.Trim(), Email = email.Trim(), DisplayName = name.Trim(), OrganisationId = organisationId };
        var password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(15));
        return await audit.RecordAsync<(NewAccount?, IReadOnlyList<string>)>(async () =>
        {
            var created = await users.CreateAsync(user, password);
            if (!created.Succeeded)
            {
                return (null, created.Errors.Select(e => e.Description).ToList());
            }
            var granted = await users.AddToRoleAsync(user, role);
            return granted.Succeeded ? (new NewAccount(user.Email!, role, password), []) : (null, granted.Errors.Select(e => e.Description).ToList());
        }, result => result.Item1 is null ? null : new AuditEvent(actor, "account.create", null, $"user:{user.Id}", JsonSerializer.Serialize(new { role, organisation = organisationCode })), cancellationToken);
    }

    /// <summary>Adds a role; refused when either the account or the new role is an administrator's, so no account holds two.</summary>
    public async Task<string?> GrantRoleAsync(string email, string role, string actor, CancellationToken cancellationToken)
    {
        if (!Roles.All.Contains(role))
        {
            return $"'{role}' is not one of {string.Join(", ", Roles.All)}.";
        }
        var user = await users.FindByEmailAsync(email.Trim());
        if (user is null)
        {
            return $"No account with the e-mail {email.Trim()}.";
        }
        var held = await users.GetRolesAsync(user);
        if (held.Contains(role))
        {
            return null;
        }
        if (held.Count > 0 && (Roles.Administrators.Contains(role) || held.Any(Roles.Administrators.Contains)))
        {
            return $"{email.Trim()} holds {string.Join(", ", held)}; an administrator's account holds that one role only, so '{role}' needs another account.";
        }
        await audit.RecordAsync(async () => (await users.AddToRoleAsync(user, role)).Succeeded,
            granted => granted ? new AuditEvent(actor, "account.grant", null, $"user:{user.Id}", JsonSerializer.Serialize(new { role })) : null, cancellationToken);
        return null;
    }

    /// <summary>Locks an account (its sessions end at once) or unlocks it; nobody locks their own.</summary>
    public async Task<string?> SetLockedAsync(Guid userId, bool locked, Guid byUserId, string actor, CancellationToken cancellationToken)
    {
        if (userId == byUserId)
        {
            return "You cannot lock or unlock your own account.";
        }
        var user = await users.FindByIdAsync(userId.ToString());
        if (user is null)
        {
            return "No such account.";
        }
        if (!locked && await db.Blacklist.AnyAsync(b => b.Kind == BlacklistService.Account && b.Key == user.NormalizedEmail && b.RemovedAt == null, cancellationToken))
        {
            return "The account is on the blacklist; remove it from the blacklist to unlock it.";
        }
        await audit.RecordAsync(() => locked ? users.LockAsync(user) : users.UnlockAsync(user), _ => new AuditEvent(actor, locked ? "account.lock" : "account.unlock", null, $"user:{user.Id}", "{}"), cancellationToken);
        return null;
    }

    public async Task<IReadOnlyList<AccountView>> ListAsync(CancellationToken cancellationToken)
    {
        var accounts = await db.Users.AsNoTracking().OrderBy(u => u.Email).ToListAsync(cancellationToken);
        var roles = (await (from ur in db.UserRoles.AsNoTracking() join r in db.Roles.AsNoTracking() on ur.RoleId equals r.Id select new { ur.UserId, r.Name }).ToListAsync(cancellationToken))
            .ToLookup(x => x.UserId, x => x.Name!);
        var codes = await db.Organisations.AsNoTracking().ToDictionaryAsync(o => o.Id, o => o.Code, cancellationToken);
        var now = DateTimeOffset.UtcNow;
        return [.. accounts.Select(u => new AccountView(u.Id, u.Email ?? u.UserName ?? "", u.DisplayName, [.. roles[u.Id]],
            u.OrganisationId is { } o ? codes.GetValueOrDefault(o) : null, u.LockoutEnd > now, u.TwoFactorEnabled, u.Synthetic))];
    }
}
