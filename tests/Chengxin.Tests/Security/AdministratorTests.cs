using System.Net;
using System.Text.RegularExpressions;
using Chengxin.Accounts;
using Chengxin.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Chengxin.Tests.Security;

/// <summary>Operating the platform split three ways: each administrator does their part in the portal, holds no other role, and the audit administrator sees every step.</summary>
public abstract partial class AdministratorTests<TPlatform>(TPlatform fixture) : IClassFixture<TPlatform>
    where TPlatform : PlatformFixture
{
    private TestPlatform Platform => fixture.Platform;

    private Task<string?> GrantAsync(string email, string role) =>
        Platform.WithScopeAsync(s => s.GetRequiredService<AccountService>().GrantRoleAsync(email, role, "system:test", CancellationToken.None));

    [Fact]
    public async Task NoAccountHoldsAnAdministratorRoleAndAnother()
    {
        var (admin, _, _) = await Platform.AddStaffAsync(Roles.SecurityAdministrator);
        var (officer, _, _) = await Platform.AddStaffAsync(Roles.CreditOffice);

        Assert.Contains("one role only", await GrantAsync(admin, Roles.AuditAdministrator), StringComparison.Ordinal);
        Assert.Contains("one role only", await GrantAsync(admin, Roles.CreditOffice), StringComparison.Ordinal);
        Assert.Contains("one role only", await GrantAsync(officer, Roles.SystemAdministrator), StringComparison.Ordinal);
        Assert.Null(await GrantAsync(officer, Roles.Auditor));
        var roles = await SecurityFixtures.DbAsync(Platform, db =>
            (from u in db.Users join ur in db.UserRoles on u.Id equals ur.UserId join r in db.Roles on ur.RoleId equals r.Id where u.Email == admin select r.Name).ToListAsync());
        Assert.Equal([Roles.SecurityAdministrator], roles);
    }

    [Fact]
    public async Task TheSystemAdministratorIssuesASystemAndTheAuditAdministratorSeesWhoDidIt()
    {
        using var system = await PortalSession.DemoAsync(Platform.Address, Roles.SystemAdministrator);
        var department = await Platform.AddOrganisationAsync("交通运输厅", "admin-penalty");

        var issued = await system.SubmitAsync("/Admin/Platform", new Dictionary<string, string>
        {
            ["name"] = "交通执法系统",
            ["organisation"] = department.Code,
            ["scopes"] = "records.push",
        }, "/Admin/Platform?handler=Client");
        var page = await issued.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, issued.StatusCode);
        var clientId = IssuedId().Match(page).Groups[1].Value;
        Assert.True(clientId.Length > 0, page[page.IndexOf("<main", StringComparison.Ordinal)..]);
        Assert.StartsWith("cx-", clientId, StringComparison.Ordinal);
        Assert.Contains("issued-secret", page, StringComparison.Ordinal);

        using var audit = await PortalSession.DemoAsync(Platform.Address, Roles.AuditAdministrator);
        var log = await (await audit.GetAsync("/Admin/AuditLog?Action=client.add")).Content.ReadAsStringAsync();
        Assert.Contains(clientId, log, StringComparison.Ordinal);
        var systemAdminId = await SecurityFixtures.DbAsync(Platform, db => db.Users.Where(u => u.Email == "sysadmin@demo.chengxin.example").Select(u => u.Id).SingleAsync());
        Assert.Contains($"user:{systemAdminId}", log, StringComparison.Ordinal);

        // The audit administrator reads the audit and nothing else; the system administrator cannot read it.
        Assert.NotEqual(HttpStatusCode.OK, (await audit.GetAsync("/Admin/Platform")).StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, (await audit.GetAsync("/Audit/Queries")).StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, (await system.GetAsync("/Admin/AuditLog")).StatusCode);
    }

    [Fact]
    public async Task TheSecurityAdministratorLocksAnAccountAndItsSessionEnds()
    {
        var (email, password, key) = await Platform.AddStaffAsync(Roles.CreditOffice);
        using var officer = await PortalSession.SignedInAsync(Platform.Address, email, password, key);
        Assert.Equal(HttpStatusCode.OK, (await officer.GetAsync("/Office")).StatusCode);
        var id = await SecurityFixtures.DbAsync(Platform, db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());

        using var security = await PortalSession.DemoAsync(Platform.Address, Roles.SecurityAdministrator);
        var locked = await security.SubmitAsync("/Admin/Security", new Dictionary<string, string> { ["locked"] = "true" }, $"/Admin/Security?handler=Lock&id={id}");

        Assert.True(locked.StatusCode == HttpStatusCode.Redirect, await locked.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await officer.GetAsync("/Office")).StatusCode);
        Assert.Contains("account.lock", await SecurityFixtures.DbAsync(Platform, db => db.AuditEntries.Where(e => e.Target == $"user:{id}").Select(e => e.Action).ToListAsync()));
        var page = await (await security.GetAsync("/Admin/Security")).Content.ReadAsStringAsync();
        Assert.DoesNotContain(Platform.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>()["Keys:Index"]!, page, StringComparison.Ordinal);
    }

    [GeneratedRegex("id=\"issued-id\">([^<]+)<")]
    private static partial Regex IssuedId();
}

public sealed class AdministratorsOnSqlite(SqliteDemoPlatform fixture) : AdministratorTests<SqliteDemoPlatform>(fixture);

public sealed class AdministratorsOnPostgres(PostgresDemoPlatform fixture) : AdministratorTests<PostgresDemoPlatform>(fixture);
