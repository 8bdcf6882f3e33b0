using Microsoft.AspNetCore.Authorization;
using OpenIddict.Abstractions;
using OpenIddict.Validation.AspNetCore;

namespace Chengxin.Clients;

/// <summary>The scopes of EXCHANGE.md, and the API policy that demands one of them from a system's token.</summary>
public static class ApiScopes
{
    public const string RecordsPush = "records.push";
    public const string RecordsRead = "records.read";
    public const string Checks = "checks";
    public const string Reports = "reports";

    /// <summary>Receive the changes of subscribed items (an extension of EXCHANGE.md's scopes).</summary>
    public const string Feed = "feed";

    public static readonly IReadOnlyList<string> All = [RecordsPush, RecordsRead, Checks, Reports, Feed];

    /// <summary>The claim carrying the calling organisation's id in a system's access token.</summary>
    public const string OrganisationIdClaim = "org_id";
    public const string OrganisationCodeClaim = "org";

    public static string PolicyFor(string scope) => "scope:" + scope;

    public static void AddScopePolicies(AuthorizationOptions options)
    {
        foreach (var scope in All)
        {
            options.AddPolicy(PolicyFor(scope), p => p
                .AddAuthenticationSchemes(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme)
                .RequireAuthenticatedUser()
                .RequireAssertion(c => c.User.HasScope(scope)));
        }
    }

    /// <summary>The calling organisation of an authenticated system.</summary>
    public static Guid OrganisationId(this System.Security.Claims.ClaimsPrincipal user) =>
        Guid.Parse(user.FindFirst(OrganisationIdClaim)?.Value ?? throw new InvalidOperationException("The token names no organisation."));
}
