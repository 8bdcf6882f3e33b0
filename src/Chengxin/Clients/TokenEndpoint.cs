using System.Security.Claims;
using Chengxin.Data;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Chengxin.Clients;

/// <summary>
/// <c>POST /connect/token</c>: OpenIddict checks the client's secret, grant type and scope
/// permissions; this handler names the organisation the system acts for.
/// </summary>
public static class TokenEndpoint
{
    public static void MapTokenEndpoint(this IEndpointRouteBuilder app) =>
        app.MapPost("/connect/token", IssueAsync).AllowAnonymous().ExcludeFromDescription().DisableAntiforgery();

    private static async Task<IResult> IssueAsync(HttpContext http, ChengxinDb db, CancellationToken cancellationToken)
    {
        var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("The OpenID Connect request cannot be read.");
        if (!request.IsClientCredentialsGrantType())
        {
            return Refuse(Errors.UnsupportedGrantType, "Only the client credentials grant is supported.");
        }
        var client = await db.SystemClients.AsNoTracking().SingleOrDefaultAsync(c => c.ClientId == request.ClientId && c.RevokedAt == null, cancellationToken);
        var organisation = client is null ? null : await db.Organisations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == client.OrganisationId, cancellationToken);
        if (client is null || organisation is null)
        {
            return Refuse(Errors.InvalidClient, "The client is unknown or revoked.");
        }
        if (await db.Blacklist.AnyAsync(b => b.Kind == Accounts.BlacklistService.Organisation && b.Key == organisation.Code && b.RemovedAt == null, cancellationToken))
        {
            return Refuse(Errors.InvalidClient, "The organisation is on the blacklist of those who misused data.");
        }

        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, client.ClientId);
        identity.SetClaim(Claims.Name, client.Name);
        identity.SetClaim(ApiScopes.OrganisationIdClaim, organisation.Id.ToString());
        identity.SetClaim(ApiScopes.OrganisationCodeClaim, organisation.Code);
        // With no scope asked for, the client gets every scope it is registered for.
        var requested = request.GetScopes();
        identity.SetScopes(requested.IsEmpty ? client.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries) : requested);
        identity.SetDestinations(_ => [Destinations.AccessToken]);
        return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static IResult Refuse(string error, string description) =>
        Results.Forbid(
            new AuthenticationProperties(new Dictionary<string, string?>
            {
                [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
                [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
            }),
            [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
}
