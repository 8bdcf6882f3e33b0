using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Chengxin.Clients;
using Chengxin.Data;
using Chengxin.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.EntityFrameworkCore.Models;

namespace Chengxin.Tests.Clients;

public abstract class TokenTests<TPlatform>(TPlatform fixture) : IClassFixture<TPlatform>
    where TPlatform : PlatformFixture
{
    private TestPlatform Platform => fixture.Platform;

    [Fact]
    public async Task ARegisteredSystemGetsABearerTokenForItsScope()
    {
        var organisation = await Platform.AddOrganisationAsync("税务局", "admin-penalty");
        var client = await Platform.AddClientAsync(organisation.Code, ApiScopes.RecordsPush, ApiScopes.RecordsRead);

        var response = await Platform.RequestTokenAsync(client.ClientId, client.ClientSecret, "records.push records.read");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var token = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Bearer", token.GetProperty("token_type").GetString());
        Assert.True(token.GetProperty("expires_in").GetInt32() > 0);
        Assert.False(string.IsNullOrEmpty(token.GetProperty("access_token").GetString()));
    }

    [Fact]
    public async Task AScopeTheSystemWasNotRegisteredForIsRefused()
    {
        var organisation = await Platform.AddOrganisationAsync("交通运输厅", "admin-penalty");
        var client = await Platform.AddClientAsync(organisation.Code, ApiScopes.RecordsPush);

        var response = await Platform.RequestTokenAsync(client.ClientId, client.ClientSecret, ApiScopes.Reports);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain("access_token", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWrongSecretGetsNoToken()
    {
        var organisation = await Platform.AddOrganisationAsync("教育厅", "exam-cheating");
        var client = await Platform.AddClientAsync(organisation.Code, ApiScopes.RecordsPush);

        var response = await Platform.RequestTokenAsync(client.ClientId, client.ClientSecret + "x", ApiScopes.RecordsPush);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task TheSecretIsStoredOnlyAsAHash()
    {
        var organisation = await Platform.AddOrganisationAsync("人社厅", "wage-arrears");
        var client = await Platform.AddClientAsync(organisation.Code, ApiScopes.RecordsPush);

        var stored = await Platform.WithScopeAsync(services => services.GetRequiredService<ChengxinDb>()
            .Set<OpenIddictEntityFrameworkCoreApplication>().Where(a => a.ClientId == client.ClientId).Select(a => a.ClientSecret).SingleAsync());

        Assert.NotNull(stored);
        Assert.NotEqual(client.ClientSecret, stored);
        Assert.DoesNotContain(client.ClientSecret, stored, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATokenWithoutTheEndpointsScopeIsForbidden()
    {
        var organisation = await Platform.AddOrganisationAsync("市场监管局", "admin-penalty");
        var client = await Platform.AddClientAsync(organisation.Code, ApiScopes.RecordsPush, ApiScopes.RecordsRead);
        using var pushOnly = await Platform.SystemClientAsync(client, ApiScopes.RecordsPush);

        var response = await pushOnly.GetAsync("/api/v1/records/any-source-id");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task NoTokenIsUnauthorized()
    {
        var response = await Platform.Http.GetAsync("/api/v1/records/any-source-id");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task AForgedTokenIsUnauthorized()
    {
        using var forged = new HttpClient { BaseAddress = Platform.Address };
        forged.DefaultRequestHeaders.Authorization = new("Bearer", "eyJhbGciOiJub25lIn0.eyJzY29wZSI6InJlY29yZHMucmVhZCJ9.");

        var response = await forged.GetAsync("/api/v1/records/any-source-id");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task ARevokedSystemGetsNoNewTokenAndItsTokenStopsWorking()
    {
        var organisation = await Platform.AddOrganisationAsync("卫健委", "admin-penalty");
        var client = await Platform.AddClientAsync(organisation.Code, ApiScopes.RecordsRead);
        using var reader = await Platform.SystemClientAsync(client, ApiScopes.RecordsRead);
        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync("/api/v1/records/nothing-here")).StatusCode);

        Assert.True(await Platform.WithScopeAsync(s => s.GetRequiredService<ClientService>().RevokeAsync(client.ClientId, "system:test", CancellationToken.None)));

        Assert.Equal(HttpStatusCode.Unauthorized, (await reader.GetAsync("/api/v1/records/nothing-here")).StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, (await Platform.RequestTokenAsync(client.ClientId, client.ClientSecret, ApiScopes.RecordsRead)).StatusCode);
    }

    [Fact]
    public async Task AnotherOrganisationsRecordIsNotFound()
    {
        var owner = await Platform.AddOrganisationAsync("法院", "admin-penalty");
        var other = await Platform.AddOrganisationAsync("税务", "admin-penalty");
        var sourceId = "case-" + Guid.NewGuid().ToString("N");
        await RecordFixtures.AddRecordAsync(Platform, owner.Id, sourceId);
        using var ownerClient = await Platform.SystemClientAsync(await Platform.AddClientAsync(owner.Code, ApiScopes.RecordsRead), ApiScopes.RecordsRead);
        using var otherClient = await Platform.SystemClientAsync(await Platform.AddClientAsync(other.Code, ApiScopes.RecordsRead), ApiScopes.RecordsRead);

        var own = await ownerClient.GetAsync($"/api/v1/records/{sourceId}");
        var foreign = await otherClient.GetAsync($"/api/v1/records/{sourceId}");

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        var record = await own.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(sourceId, record.GetProperty("sourceId").GetString());
        Assert.Equal(1, record.GetProperty("versions").GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
    }
}

public sealed class TokenOnSqlite(SqlitePlatform fixture) : TokenTests<SqlitePlatform>(fixture);

public sealed class TokenOnPostgres(PostgresPlatform fixture) : TokenTests<PostgresPlatform>(fixture);
