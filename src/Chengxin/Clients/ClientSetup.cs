using System.Security.Cryptography;
using Chengxin.Data;
using Chengxin.Hosting;
using Microsoft.IdentityModel.Tokens;

namespace Chengxin.Clients;

/// <summary>OpenIddict as the token server for systems and the validator of their tokens on the API.</summary>
public static class ClientSetup
{
    public static IServiceCollection AddClients(this IServiceCollection services, KeysOptions keys, bool requireHttps)
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(keys.TokenSigning);
        services.AddOpenIddict()
            .AddCore(o => o.UseEntityFrameworkCore().UseDbContext<ChengxinDb>())
            .AddServer(o =>
            {
                o.SetTokenEndpointUris("connect/token");
                o.AllowClientCredentialsFlow();
                o.RegisterScopes([.. ApiScopes.All]);
                o.SetAccessTokenLifetime(TimeSpan.FromMinutes(30));
                o.AddSigningKey(new RsaSecurityKey(rsa));
                o.AddEncryptionKey(new SymmetricSecurityKey(Convert.FromBase64String(keys.TokenEncryption!)));
                var aspNetCore = o.UseAspNetCore().EnableTokenEndpointPassthrough();
                if (!requireHttps)
                {
                    aspNetCore.DisableTransportSecurityRequirement();
                }
            })
            .AddValidation(o =>
            {
                o.UseLocalServer();
                // A revoked client's tokens stop working at once, not when they expire.
                o.EnableTokenEntryValidation();
                o.UseAspNetCore();
            });
        services.AddScoped<ClientService>();
        return services;
    }
}
