using System.Net;
using Chengxin.Accounts;
using Chengxin.Tests.Infrastructure;

namespace Chengxin.Tests.Security;

/// <summary>A session ends a fixed time after sign-in, however busy it is (the idle timeout alone would let it live for ever).</summary>
public sealed class SessionTests
{
    [Fact]
    public async Task ASessionEndsAtItsAbsoluteTimeoutEvenWhileInUse()
    {
        await using var platform = await TestPlatform.StartAsync("sqlite", demo: true, new Dictionary<string, string?> { ["Sessions:AbsoluteSeconds"] = "3" });
        using var session = await PortalSession.DemoAsync(platform.Address, Roles.Subject);

        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/Me")).StatusCode);
        await Task.Delay(1500);
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/Me")).StatusCode);
        await Task.Delay(2500);

        var expired = await session.GetAsync("/Me");
        Assert.Equal(HttpStatusCode.Redirect, expired.StatusCode);
        Assert.Contains("/Account/SignIn", expired.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }
}

/// <summary>Granting access to one's data needs a recent sign-in, not merely a live session.</summary>
public sealed class ReauthenticationTests
{
    [Fact]
    public async Task AnOldSessionIsSentToSignInAgainBeforeGrantingAnAuthorisation()
    {
        await using var platform = await TestPlatform.StartAsync("sqlite", demo: true, new Dictionary<string, string?> { ["Sessions:ReauthenticateSeconds"] = "2" });
        using var session = await PortalSession.DemoAsync(platform.Address, Roles.Subject);
        await Task.Delay(3000);

        var grant = await session.SubmitAsync("/Me/Authorisations", new Dictionary<string, string> { ["Grant.QuerierCode"] = "x", ["Grant.Purpose"] = "x" }, "/Me/Authorisations?handler=Grant");

        Assert.Equal(HttpStatusCode.Redirect, grant.StatusCode);
        var to = grant.Headers.Location!.OriginalString;
        Assert.StartsWith("/Account/SignIn", to, StringComparison.Ordinal);
        Assert.Contains("Reauthenticate=True", to, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/Me")).StatusCode);
    }
}
