using System.Globalization;
using Chengxin.Clients;
using Chengxin.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;

namespace Chengxin.Accounts;

/// <summary>
/// Portal accounts: ASP.NET Core Identity with a password and a TOTP second factor for everyone,
/// lockout, and optionally the government's OpenID Connect identity platform.
/// </summary>
public sealed class AccountSetup(RoleManager<IdentityRole<Guid>> roles)
{
    public const string GovernmentScheme = "government";

    public async Task EnsureRolesAsync()
    {
        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                await roles.CreateAsync(new IdentityRole<Guid>(role));
            }
        }
    }
}

/// <summary><c>Authentication:Government</c>: the provincial government's OpenID Connect identity platform, when a deployment has one.</summary>
public sealed class GovernmentIdentityOptions
{
    public string? Authority { get; set; }
    public string? ClientId { get; set; }
    public string? ClientSecret { get; set; }
    /// <summary>The claim that carries the person's resident ID number.</summary>
    public string IdNumberClaim { get; set; } = "id_number";
    public string NameClaim { get; set; } = "name";

    public bool Enabled => !string.IsNullOrWhiteSpace(Authority) && !string.IsNullOrWhiteSpace(ClientId);
}

public static class AccountServices
{
    private const string SessionStarted = "chengxin.session.started";

    /// <summary>When the session behind these properties began (the sign-in, not its last renewal), if known.</summary>
    public static DateTimeOffset? SignedInAt(Microsoft.AspNetCore.Authentication.AuthenticationProperties? properties) =>
        properties?.Items.TryGetValue(SessionStarted, out var started) == true && long.TryParse(started, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;

    public static IServiceCollection AddAccounts(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddIdentity<PortalUser, IdentityRole<Guid>>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.SignIn.RequireConfirmedAccount = false;
                // Length over composition (NIST SP 800-63B), and no well-known or guessable password (CommonPasswords).
                o.Password.RequiredLength = 12;
                o.Password.RequireDigit = false;
                o.Password.RequireLowercase = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireNonAlphanumeric = false;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.Lockout.AllowedForNewUsers = true;
            })
            .AddEntityFrameworkStores<ChengxinDb>()
            .AddDefaultTokenProviders()
            .AddPasswordValidator<CommonPasswords>();
        services.AddScoped<BlacklistService>();
        services.AddScoped<AccountService>();
        // A lock, a blacklisting or a password change ends the account's sessions on their next request, not half an hour later.
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromSeconds(configuration.GetValue("Sessions:RevalidateSeconds", 0)));
        services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = "chengxin.session";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = TimeSpan.FromMinutes(20);
            o.SlidingExpiration = true;
            o.LoginPath = "/Account/SignIn";
            o.LogoutPath = "/Account/SignOut";
            o.AccessDeniedPath = "/Account/Denied";
            // Idle timeout above (20 minutes, sliding); here the absolute one: a session ends this long after sign-in however active.
            var absolute = TimeSpan.FromSeconds(configuration.GetValue("Sessions:AbsoluteSeconds", 8 * 3600));
            o.Events.OnSigningIn = c =>
            {
                c.Properties.Items.TryAdd(SessionStarted, (c.Properties.IssuedUtc ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
                return Task.CompletedTask;
            };
            o.Events.OnValidatePrincipal = async c =>
            {
                if (c.Properties.Items.TryGetValue(SessionStarted, out var started) && long.TryParse(started, CultureInfo.InvariantCulture, out var seconds)
                    && DateTimeOffset.UtcNow - DateTimeOffset.FromUnixTimeSeconds(seconds) > absolute)
                {
                    c.RejectPrincipal();
                    await c.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
                    return;
                }
                await SecurityStampValidator.ValidatePrincipalAsync(c);
            };
        });
        services.AddScoped<AccountSetup>();
        services.AddScoped<DemoAccounts>();

        var government = configuration.GetSection("Authentication:Government").Get<GovernmentIdentityOptions>() ?? new();
        services.AddSingleton(government);
        if (government.Enabled)
        {
            services.AddAuthentication().AddOpenIdConnect(AccountSetup.GovernmentScheme, "政务服务统一身份认证", o =>
            {
                o.Authority = government.Authority;
                o.ClientId = government.ClientId;
                o.ClientSecret = government.ClientSecret;
                o.ResponseType = "code";
                o.UsePkce = true;
                o.SignInScheme = IdentityConstants.ExternalScheme;
                o.CallbackPath = "/signin-government";
                o.Scope.Add("openid");
                o.Scope.Add("profile");
            });
        }
        services.AddAuthorization(o =>
        {
            AccountPolicies.Add(o);
            ApiScopes.AddScopePolicies(o);
        });
        return services;
    }
}

