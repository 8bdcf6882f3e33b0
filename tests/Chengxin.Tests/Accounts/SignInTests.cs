using System.Net;
using Chengxin.Accounts;
using Chengxin.Data;
using Chengxin.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using OtpNet;

namespace Chengxin.Tests.Accounts;

public abstract partial class SignInTests<TPlatform>(TPlatform fixture) : IClassFixture<TPlatform>
    where TPlatform : PlatformFixture
{
    private TestPlatform Platform => fixture.Platform;

    private static string CodeFor(string key) => new Totp(Base32Encoding.ToBytes(key)).ComputeTotp(DateTime.UtcNow);

    private async Task<string> NewAccountAsync(string role, string password)
    {
        var email = $"person-{Guid.NewGuid():N}@example.org";
        await Platform.WithScopeAsync(async s =>
        {
            var users = s.GetRequiredService<UserManager<PortalUser>>();
            var user = new PortalUser { UserName = email, Email = email, DisplayName = "测试" };
            Assert.True((await users.CreateAsync(user, password)).Succeeded);
            Assert.True((await users.AddToRoleAsync(user, role)).Succeeded);
            return 0;
        });
        return email;
    }

    private static Task<HttpResponseMessage> PasswordAsync(PortalSession session, string email, string password) =>
        session.SubmitAsync("/Account/SignIn", new Dictionary<string, string> { ["Email"] = email, ["Password"] = password });

    private static async Task SignInAsync(PortalSession session, DemoAccount account)
    {
        var afterPassword = await PasswordAsync(session, account.Email, account.Password);
        Assert.Equal(HttpStatusCode.Redirect, afterPassword.StatusCode);
        Assert.StartsWith("/Account/TwoFactor", afterPassword.Headers.Location!.OriginalString, StringComparison.Ordinal);
        var afterCode = await session.SubmitAsync("/Account/TwoFactor", new Dictionary<string, string> { ["Code"] = CodeFor(account.AuthenticatorKey) });
        Assert.Equal(HttpStatusCode.Redirect, afterCode.StatusCode);
    }

    [Fact]
    public async Task AnUnknownEmailAndAWrongPasswordGetTheSameAnswer()
    {
        using var session = new PortalSession(Platform.Address);
        var unknown = await (await PasswordAsync(session, "nobody@example.org", "whatever-password")).Content.ReadAsStringAsync();
        var wrong = await (await PasswordAsync(session, DemoAccounts.All[0].Email, "wrong-password-123")).Content.ReadAsStringAsync();

        static string Summary(string html) => html[html.IndexOf("error-summary", StringComparison.Ordinal)..][..300];
        Assert.Equal(Summary(unknown), Summary(wrong));
    }

    [Fact]
    public async Task APasswordAloneDoesNotSignIn()
    {
        using var session = new PortalSession(Platform.Address);
        var office = DemoAccounts.All.Single(a => a.Role == Roles.CreditOffice);
        await PasswordAsync(session, office.Email, office.Password);

        var response = await session.GetAsync("/Office");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/Account/SignIn", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PasswordAndAuthenticatorCodeOpenTheRolesPages()
    {
        using var session = new PortalSession(Platform.Address);
        await SignInAsync(session, DemoAccounts.All.Single(a => a.Role == Roles.CreditOffice));

        var office = await session.GetAsync("/Office");

        Assert.Equal(HttpStatusCode.OK, office.StatusCode);
        Assert.Contains("href=\"/Office\"", await office.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASubjectCannotOpenTheCreditOfficesPages()
    {
        using var session = new PortalSession(Platform.Address);
        await SignInAsync(session, DemoAccounts.All.Single(a => a.Role == Roles.Subject));

        var office = await session.GetAsync("/Office");
        var own = await session.GetAsync("/Me");

        Assert.Equal(HttpStatusCode.Redirect, office.StatusCode);
        Assert.Contains("/Account/Denied", office.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
    }

    [Fact]
    public async Task AWrongCodeDoesNotSignIn()
    {
        using var session = new PortalSession(Platform.Address);
        var auditor = DemoAccounts.All.Single(a => a.Role == Roles.Auditor);
        await PasswordAsync(session, auditor.Email, auditor.Password);
        var code = CodeFor(auditor.AuthenticatorKey) == "000000" ? "111111" : "000000";

        var response = await session.SubmitAsync("/Account/TwoFactor", new Dictionary<string, string> { ["Code"] = code });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await session.GetAsync("/Audit")).StatusCode);
    }

    [Fact]
    public async Task FiveWrongPasswordsLockTheAccountEvenAgainstTheRightOne()
    {
        const string password = "correct horse battery";
        var email = await NewAccountAsync(Roles.Subject, password);
        using var session = new PortalSession(Platform.Address);
        for (var i = 0; i < 5; i++)
        {
            await PasswordAsync(session, email, "wrong password " + i);
        }

        var response = await PasswordAsync(session, email, password);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode); // the form again, not a redirect onwards
        Assert.Contains("error-summary", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ANewAccountEnrolsItsAuthenticatorBeforeItsFirstSignIn()
    {
        const string password = "a long enough passphrase";
        var email = await NewAccountAsync(Roles.ProviderOperator, password);
        using var session = new PortalSession(Platform.Address);

        var afterPassword = await PasswordAsync(session, email, password);
        Assert.StartsWith("/Account/Enrol", afterPassword.Headers.Location!.OriginalString, StringComparison.Ordinal);
        var page = await (await session.FollowAsync(afterPassword)).Content.ReadAsStringAsync();
        var key = System.Text.RegularExpressions.Regex.Match(page, "<code class=\"key\">([A-Z2-7]+)</code>").Groups[1].Value;
        Assert.NotEmpty(key);

        var enrolled = await session.SubmitAsync("/Account/Enrol", new Dictionary<string, string> { ["Code"] = CodeFor(key) });

        Assert.Equal(HttpStatusCode.Redirect, enrolled.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/Provider")).StatusCode);
    }
}

public abstract partial class SignInTests<TPlatform>
{
    [Fact]
    public async Task RecordsPushedAndCorrectedByAProviderAppearInTheSubjectsArchiveWithTheirVersions()
    {
        // The demo citizen is p1 of the demo data: 430102, born 1988-04-12, sequence 123.
        var citizenNumber = Chengxin.Identity.ResidentIdNumber.Compose("430102", new DateOnly(1988, 4, 12), 123);
        var provider = await Platform.AddOrganisationAsync("消防救援总队", "admin-penalty");
        using var client = await Platform.SystemClientAsync(await Platform.AddClientAsync(provider.Code, Chengxin.Clients.ApiScopes.RecordsPush), Chengxin.Clients.ApiScopes.RecordsPush);
        object Penalty(string decisionNo) => new
        {
            records = new[]
            {
                new
                {
                    sourceId = "fire-2025-77",
                    catalogItem = "admin-penalty",
                    subject = new { idType = "resident-id", idNumber = citizenNumber, name = "张伟" },
                    occurredOn = "2025-09-09",
                    fields = new { decisionNo, authority = "长沙市消防救援支队", domain = "fire-safety", violation = "占用消防通道", legalProvision = "《消防法》第六十条", penaltyType = "fine", severity = "general" },
                },
            },
        };
        Assert.Equal(HttpStatusCode.OK, (await System.Net.Http.Json.HttpClientJsonExtensions.PostAsJsonAsync(client, "/api/v1/records", Penalty("长消行罚决字〔2025〕77号"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await System.Net.Http.Json.HttpClientJsonExtensions.PostAsJsonAsync(client, "/api/v1/records", Penalty("长消行罚决字〔2025〕77号（更正）"))).StatusCode);

        using var session = new PortalSession(Platform.Address);
        await SignInAsync(session, DemoAccounts.All.Single(a => a.Role == Roles.Subject));
        var archive = await (await session.GetAsync("/Me")).Content.ReadAsStringAsync();

        var decoded = WebUtility.HtmlDecode(archive);
        Assert.Contains("长消行罚决字〔2025〕77号（更正）", decoded, StringComparison.Ordinal);
        Assert.Contains("长消行罚决字〔2025〕77号", decoded.Replace("长消行罚决字〔2025〕77号（更正）", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("共 2 个版本", decoded, StringComparison.Ordinal);
    }
}

public sealed class SignInOnSqlite(SqliteDemoPlatform fixture) : SignInTests<SqliteDemoPlatform>(fixture);

public sealed class SignInOnPostgres(PostgresDemoPlatform fixture) : SignInTests<PostgresDemoPlatform>(fixture);
