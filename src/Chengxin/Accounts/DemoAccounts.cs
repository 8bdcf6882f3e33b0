using Chengxin.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Chengxin.Accounts;

/// <summary>A synthetic account for trying the portal; printed when the platform starts with demo data.</summary>
public sealed record DemoAccount(string Email, string Password, string Role, string AuthenticatorKey);

/// <summary>
/// The demo sign-ins: one per role, synthetic, enrolled with a known TOTP key so a newcomer can sign
/// in with <c>chengxin accounts code EMAIL</c> instead of an authenticator app.
/// </summary>
public sealed class DemoAccounts(UserManager<PortalUser> users, ChengxinDb db)
{
    public static readonly IReadOnlyList<DemoAccount> All =
    [
        new("citizen@demo.chengxin.example", "demo-subject-2026", Roles.Subject, "JBSWY3DPEHPK3PXPCITIZEN2"),
        new("provider@demo.chengxin.example", "demo-operator-2026", Roles.ProviderOperator, "JBSWY3DPEHPK3PXPPROVIDR2"),
        new("office@demo.chengxin.example", "demo-bureau-2026", Roles.CreditOffice, "JBSWY3DPEHPK3PXPOFFICE22"),
        new("auditor@demo.chengxin.example", "demo-review-2026", Roles.Auditor, "JBSWY3DPEHPK3PXPAUDITOR2"),
        new("sysadmin@demo.chengxin.example", "demo-platform-2026", Roles.SystemAdministrator, "JBSWY3DPEHPK3PXPSYSADMN2"),
        new("secadmin@demo.chengxin.example", "demo-keys-roles-2026", Roles.SecurityAdministrator, "JBSWY3DPEHPK3PXPSECADMN2"),
        new("auditadmin@demo.chengxin.example", "demo-audit-log-2026", Roles.AuditAdministrator, "JBSWY3DPEHPK3PXPAUDADMN2"),
    ];

    public async Task EnsureAsync(Guid citizenSubjectId, Guid providerOrganisationId, Guid officeOrganisationId, CancellationToken cancellationToken)
    {
        foreach (var account in All)
        {
            if (await users.FindByEmailAsync(account.Email) is not null)
            {
                continue;
            }
            var user = new PortalUser
            {
                UserName = account.Email,
                Email = account.Email,
                EmailConfirmed = true,
                DisplayName = account.Role,
                Synthetic = true,
                SubjectId = account.Role == Roles.Subject ? citizenSubjectId : null,
                OrganisationId = account.Role switch
                {
                    Roles.ProviderOperator => providerOrganisationId,
                    Roles.CreditOffice or Roles.Auditor => officeOrganisationId,
                    _ => null,
                },
            };
            Ensure(await users.CreateAsync(user, account.Password));
            Ensure(await users.AddToRoleAsync(user, account.Role));
            Ensure(await users.SetAuthenticationTokenAsync(user, "[AspNetUserStore]", "AuthenticatorKey", account.AuthenticatorKey));
            Ensure(await users.SetTwoFactorEnabledAsync(user, true));
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The authenticator key of a synthetic account; real accounts' keys are never shown.</summary>
    public async Task<string?> SyntheticKeyAsync(string email)
    {
        var user = await users.Users.SingleOrDefaultAsync(u => u.NormalizedEmail == users.NormalizeEmail(email) && u.Synthetic);
        return user is null ? null : await users.GetAuthenticatorKeyAsync(user);
    }

    private static void Ensure(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("Creating a demo account failed: " + string.Join("; ", result.Errors.Select(e => e.Description)));
        }
    }
}
