using System.Net;
using System.Text.Json;
using Chengxin.Tests.Infrastructure;

namespace Chengxin.Tests.Security;

/// <summary>A flood gets 429 with Retry-After, counted per system and per address, and never touches another caller's allowance.</summary>
public sealed class RateLimitTests : IAsyncLifetime
{
    private TestPlatform _platform = null!;

    public async Task InitializeAsync() => _platform = await TestPlatform.StartAsync("sqlite", settings: new Dictionary<string, string?>
    {
        ["RateLimits:PerClientPerMinute"] = "8",
        ["RateLimits:PerAddressPerMinute"] = "8",
    });

    public async Task DisposeAsync() => await _platform.DisposeAsync();

    [Fact]
    public async Task ASystemOverItsAllowanceGets429WithRetryAfterAndOthersCarryOn()
    {
        var (flooder, numbers, _) = await SecurityFixtures.PushAsync(_platform, 1);
        var (other, _, _) = await SecurityFixtures.PushAsync(_platform, 1);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 12; i++)
        {
            statuses.Add((await flooder.GetAsync($"/api/v1/records/{SecurityFixtures.SourceId(numbers[0])}")).StatusCode);
        }
        var refused = await flooder.GetAsync($"/api/v1/records/{SecurityFixtures.SourceId(numbers[0])}");

        Assert.Contains(HttpStatusCode.OK, statuses);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(int.Parse(refused.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) is > 0 and <= 60);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal(429, JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetInt32());
        Assert.DoesNotContain(HttpStatusCode.ServiceUnavailable, statuses);
        Assert.NotEqual(HttpStatusCode.TooManyRequests, (await other.GetAsync("/api/v1/records/none")).StatusCode);
    }

    [Fact]
    public async Task AnAddressOverItsAllowanceGets429ButHealthStillAnswers()
    {
        using var anonymous = new HttpClient { BaseAddress = _platform.Address };
        HttpResponseMessage last = null!;
        for (var i = 0; i < 20; i++)
        {
            last = await anonymous.GetAsync("/Public/Catalog");
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, last.StatusCode);
        Assert.True(last.Headers.Contains("Retry-After"));
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health")).StatusCode);
    }
}
