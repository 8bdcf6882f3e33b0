using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;

namespace Chengxin.Accounts;

/// <summary>The portal's roles (DESIGN.md, "Who uses it").</summary>
public static class Roles
{
    public const string Subject = "subject";
    public const string ProviderOperator = "provider-operator";
    public const string CreditOffice = "credit-office";
    public const string Auditor = "auditor";

    // Operating the platform is split three ways (multi-level protection scheme, level 3).
    public const string SystemAdministrator = "system-admin";
    public const string SecurityAdministrator = "security-admin";
    public const string AuditAdministrator = "audit-admin";

    public static readonly IReadOnlyList<string> Administrators = [SystemAdministrator, SecurityAdministrator, AuditAdministrator];

    public static readonly IReadOnlyList<string> All = [Subject, ProviderOperator, CreditOffice, Auditor, .. Administrators];
}

/// <summary>One policy per role; every page folder and endpoint names the one it needs.</summary>
public static class AccountPolicies
{
    public const string Subject = "portal:" + Roles.Subject;
    public const string ProviderOperator = "portal:" + Roles.ProviderOperator;
    public const string CreditOffice = "portal:" + Roles.CreditOffice;
    public const string Auditor = "portal:" + Roles.Auditor;
    public const string SystemAdministrator = "portal:" + Roles.SystemAdministrator;
    public const string SecurityAdministrator = "portal:" + Roles.SecurityAdministrator;
    public const string AuditAdministrator = "portal:" + Roles.AuditAdministrator;

    public static void Add(AuthorizationOptions options)
    {
        foreach (var role in Roles.All)
        {
            options.AddPolicy("portal:" + role, p => p
                .AddAuthenticationSchemes(IdentityConstants.ApplicationScheme)
                .RequireAuthenticatedUser()
                .RequireRole(role));
        }
    }
}
