using System.Net;
using Chengxin.Accounts;
using Chengxin.Clients;
using Chengxin.Data;
using Chengxin.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Chengxin.Tests.Security;

/// <summary>Those who misused data are refused while listed; guessable passwords are refused always.</summary>
public sealed class BlacklistTests(SqliteDemoPlatform fixture) : IClassFixture<SqliteDemoPlatform>
{
    private TestPlatform Platform => fixture.Platform;

    [Fact]
    public async Task AListedAgencyLosesItsTokensAndGetsNoNewOnesOrSystems()
    {
        var agency = await Platform.AddOrganisationAsync("某征信机构", "credit-agency", uses: false);
        var credentials = await Platform.AddClientAsync(agency.Code, ApiScopes.Reports);
        var client = await Platform.SystemClientAsync(credentials, ApiScopes.Reports);
        Assert.NotEqual(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/reports/CX0")).StatusCode);

        var (entry, problem) = await Platform.WithScopeAsync(s => s.GetRequiredService<BlacklistService>()
            .ListOrganisationAsync(agency.Code, "超范围查询个人信用报告", "cli:test", CancellationToken.None));

        Assert.Null(problem);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/reports/CX0")).StatusCode);
        Assert.False((await Platform.RequestTokenAsync(credentials.ClientId, credentials.ClientSecret, ApiScopes.Reports)).IsSuccessStatusCode);
        var refused = await Platform.WithScopeAsync(s => s.GetRequiredService<ClientService>().AddAsync("new system", agency.Code, [ApiScopes.Reports], CancellationToken.None));
        Assert.Null(refused.Credentials);
        Assert.Contains(refused.Problems, p => p.Contains("blacklist", StringComparison.Ordinal));
        Assert.NotNull(entry);
    }

    [Fact]
    public async Task AListedAccountCannotSignInUntilRemoved()
    {
        var (email, password, _) = await Platform.AddStaffAsync(Roles.CreditOffice);
        var (entry, _) = await Platform.WithScopeAsync(s => s.GetRequiredService<BlacklistService>().ListAccountAsync(email, "泄露查询结果", "cli:test", CancellationToken.None));

        using var session = new PortalSession(Platform.Address);
        var attempt = await session.SubmitAsync("/Account/SignIn", new Dictionary<string, string> { ["Email"] = email, ["Password"] = password });
        Assert.NotEqual(HttpStatusCode.Redirect, attempt.StatusCode);

        Assert.True(await Platform.WithScopeAsync(s => s.GetRequiredService<BlacklistService>().RemoveAsync(entry!.Id, "cli:test", CancellationToken.None)));
        var again = await session.SubmitAsync("/Account/SignIn", new Dictionary<string, string> { ["Email"] = email, ["Password"] = password });
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
    }

    [Theory]
    [InlineData("password1234")]
    [InlineData("woaini1314520")]
    [InlineData("aaaaaaaaaaaaaaaa")]
    [InlineData("qwertyuiopasdfghjkl")]
    [InlineData("9876543210987")]
    [InlineData("my-zhangwei-password")]
    public async Task AGuessablePasswordIsRefused(string password)
    {
        var result = await Platform.WithScopeAsync(s => s.GetRequiredService<UserManager<PortalUser>>().CreateAsync(
            new PortalUser { UserName = $"zhangwei@{Guid.NewGuid():N}.example.cn", Email = $"zhangwei@{Guid.NewGuid():N}.example.cn", DisplayName = "x" }, password));

        Assert.Contains(result.Errors, e => e.Code == "common-password");
    }

    [Fact]
    public async Task ALongUncommonPasswordIsAccepted()
    {
        var email = $"ok-{Guid.NewGuid():N}@example.cn";
        var result = await Platform.WithScopeAsync(s => s.GetRequiredService<UserManager<PortalUser>>().CreateAsync(
            new PortalUser { UserName = email, Email = email, DisplayName = "x" }, "湘江北去 橘子洲头 2026"));

        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Description)));
    }
}
