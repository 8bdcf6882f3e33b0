using System.Net;
using System.Text.RegularExpressions;
using Chengxin.Accounts;
using Chengxin.Audit;
using Chengxin.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Chengxin.Tests.Security;

/// <summary>An auditor reviews query registrations: sees them masked, flags and comments, filters to the flagged, checks the chain.</summary>
public abstract partial class AuditReviewTests<TPlatform>(TPlatform fixture) : IClassFixture<TPlatform>
    where TPlatform : PlatformFixture
{
    private TestPlatform Platform => fixture.Platform;

    private Task<PortalSession> SignInAsync(string role) => PortalSession.DemoAsync(Platform.Address, role);

    [Fact]
    public async Task AnAuditorFlagsARegistrationAndFindsItAgain()
    {
        var (client, numbers, _) = await SecurityFixtures.PushAsync(Platform, 1);
        (await client.GetAsync($"/api/v1/records/{SecurityFixtures.SourceId(numbers[0])}")).EnsureSuccessStatusCode();
        using var auditor = await SignInAsync(Roles.Auditor);

        var list = await (await auditor.GetAsync("/Audit/Queries?Basis=own-records&Channel=api")).Content.ReadAsStringAsync();
        Assert.Contains("provider-own-record", list, StringComparison.Ordinal);
        Assert.DoesNotContain(numbers[0], list, StringComparison.Ordinal);
        Assert.Contains(numbers[0][^4..], list, StringComparison.Ordinal);
        var match = ReviewId().Match(list);
        var id = match.Groups[1].Success ? match.Groups[1].Value : match.Groups[2].Value;

        var saved = await auditor.SubmitAsync("/Audit/Queries", new Dictionary<string, string> { ["flagged"] = "true", ["comment"] = "读取目的需核实" },
            $"/Audit/Queries?handler=Review&id={id}");
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);

        var flagged = await (await auditor.GetAsync("/Audit/Queries?FlaggedOnly=true")).Content.ReadAsStringAsync();
        Assert.Contains("读取目的需核实", flagged, StringComparison.Ordinal);
        var chain = await (await auditor.SubmitAsync("/Audit/Queries", new Dictionary<string, string>(), "/Audit/Queries?handler=Verify")).Content.ReadAsStringAsync();
        Assert.Contains("审计链完整", chain, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheReviewShowsTheLatestPageOfRegistrations()
    {
        var basis = $"legal:paging-{Guid.NewGuid():N}";
        var purposes = Enumerable.Range(0, Chengxin.Pages.Audit.QueriesModel.PageSize + 5).Select(i => $"翻页测试-{i:000}").ToList();
        foreach (var purpose in purposes)
        {
            await Platform.WithScopeAsync(s => s.GetRequiredService<QueryLog>().RegisterAsync(
                new QueryContext("client:paging", null, "api", purpose, basis), [new SubjectRead(Guid.NewGuid(), ["A01"], 1)], CancellationToken.None));
        }
        using var auditor = await SignInAsync(Roles.Auditor);

        var list = await (await auditor.GetAsync($"/Audit/Queries?Basis={basis}")).Content.ReadAsStringAsync();

        Assert.All(purposes[5..], p => Assert.Contains(p, list, StringComparison.Ordinal));
        Assert.All(purposes[..5], p => Assert.DoesNotContain(p, list, StringComparison.Ordinal));
        Assert.True(list.IndexOf(purposes[^1], StringComparison.Ordinal) < list.IndexOf(purposes[5], StringComparison.Ordinal), "The newest comes first.");
    }

    [Fact]
    public async Task OnlyAuditorsOpenTheReview()
    {
        using var office = await SignInAsync(Roles.CreditOffice);

        var response = await office.GetAsync("/Audit/Queries");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/Account/Denied", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [GeneratedRegex("""Review(?:&amp;|[^"]*?)id=([0-9a-f-]{36})|id=([0-9a-f-]{36})&amp;handler=Review""")]
    private static partial Regex ReviewId();
}

public sealed class AuditReviewOnSqlite(SqliteDemoPlatform fixture) : AuditReviewTests<SqliteDemoPlatform>(fixture);

public sealed class AuditReviewOnPostgres(PostgresDemoPlatform fixture) : AuditReviewTests<PostgresDemoPlatform>(fixture);
