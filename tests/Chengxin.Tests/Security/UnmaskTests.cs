using System.Net;
using System.Text.RegularExpressions;
using Chengxin.Accounts;
using Chengxin.Data;
using Chengxin.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Chengxin.Tests.Security;

/// <summary>A full number in the office portal takes a reason and a second officer, is shown once, and the viewing is registered.</summary>
public abstract partial class UnmaskTests<TPlatform>(TPlatform fixture) : IClassFixture<TPlatform>
    where TPlatform : PlatformFixture
{
    private TestPlatform Platform => fixture.Platform;

    private async Task<PortalSession> SecondOfficerAsync()
    {
        var (email, password, key) = await Platform.AddStaffAsync(Roles.CreditOffice);
        return await PortalSession.SignedInAsync(Platform.Address, email, password, key);
    }

    [Fact]
    public async Task ANumberNeedsAReasonASecondOfficerAndIsShownOnce()
    {
        var (_, numbers, provider) = await SecurityFixtures.PushAsync(Platform, 1);
        using var asker = await PortalSession.DemoAsync(Platform.Address, Roles.CreditOffice);
        using var second = await SecondOfficerAsync();

        var asked = await asker.SubmitAsync("/Office/Unmask", new Dictionary<string, string>
        {
            ["provider"] = provider.Code,
            ["sourceId"] = SecurityFixtures.SourceId(numbers[0]),
            ["reason"] = "处理异议申请 YY-2026-0042 需核对证件号码",
        }, "/Office/Unmask?handler=Request");
        Assert.Equal(HttpStatusCode.Redirect, asked.StatusCode);
        var id = await SecurityFixtures.DbAsync(Platform, db => db.UnmaskRequests.OrderByDescending(u => u.RequestedAt).Select(u => u.Id).FirstAsync());

        // The asker cannot approve their own request.
        var own = await (await asker.SubmitAsync("/Office/Unmask", new Dictionary<string, string> { ["approve"] = "true" }, $"/Office/Unmask?handler=Decide&id={id}")).Content.ReadAsStringAsync();
        Assert.Contains("another officer", own, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Redirect, (await second.SubmitAsync("/Office/Unmask", new Dictionary<string, string> { ["approve"] = "true" }, $"/Office/Unmask?handler=Decide&id={id}")).StatusCode);
        // Only the asker sees it, and only once.
        Assert.DoesNotContain(numbers[0], await (await second.SubmitAsync("/Office/Unmask", new Dictionary<string, string>(), $"/Office/Unmask?handler=View&id={id}")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var shown = await (await asker.SubmitAsync("/Office/Unmask", new Dictionary<string, string>(), $"/Office/Unmask?handler=View&id={id}")).Content.ReadAsStringAsync();
        Assert.Equal(numbers[0], Revealed().Match(shown).Groups[1].Value);
        var again = await (await asker.SubmitAsync("/Office/Unmask", new Dictionary<string, string>(), $"/Office/Unmask?handler=View&id={id}")).Content.ReadAsStringAsync();
        Assert.DoesNotContain(numbers[0], again, StringComparison.Ordinal);

        Assert.True(await SecurityFixtures.DbAsync(Platform, db => db.QueryRegistrations.AnyAsync(q => q.Basis == $"unmask:{id:N}")));
        var actions = await SecurityFixtures.DbAsync(Platform, db => db.AuditEntries.Where(e => e.Target == $"unmask:{id:N}").Select(e => e.Action).ToListAsync());
        Assert.Equal(["unmask.request", "unmask.approve"], actions);
    }

    [GeneratedRegex("id=\"revealed\">([^<]+)<")]
    private static partial Regex Revealed();
}

public sealed class UnmaskOnSqlite(SqliteDemoPlatform fixture) : UnmaskTests<SqliteDemoPlatform>(fixture);

public sealed class UnmaskOnPostgres(PostgresDemoPlatform fixture) : UnmaskTests<PostgresDemoPlatform>(fixture);
