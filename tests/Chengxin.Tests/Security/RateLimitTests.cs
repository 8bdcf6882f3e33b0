using System.Net;
using System.Text.Json;
using Chengxin.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Chengxin.Tests.Security;

/// <summary>A flood gets 429 with Retry-After, counted per system and per address, and never touches another caller's allowance.</summary>
public sealed class RateLimitTests : IAsyncLifetime
{
    private TestPlatform _platform = null!;

    public async Task InitializeAsync() => _platform = await TestPlatform.StartAsync("sqlite", settings: new Dictionary<string, string?>
    {
        ["RateLimits:PerClientPerMinute"] = "8",
        ["RateLimits:PerAddressPerMinute"] = "8",
        ["RateLimits:Shared"] = "true",
    });

    public async Task DisposeAsync() => await _platform.DisposeAsync();

    [Fact]
    public async Task ASystemOverItsAllowanceGets429WithRetryAfterAndOthersCarryOn()
    {
        var (flooder, numbers, _) = await SecurityFixtures.PushAsync(_platform, 1);
        var (other, _, _) = await SecurityFixtures.PushAsync(_platform, 1);

        // 8 a minute in fixed windows: 17 requests are over the allowance even when they straddle two windows (8 in each).
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? refused = null;
        for (var i = 0; i < 17 && refused is null; i++)
        {
            var answer = await flooder.GetAsync($"/api/v1/records/{SecurityFixtures.SourceId(numbers[0])}");
            if (answer.StatusCode == HttpStatusCode.TooManyRequests)
            {
                refused = answer;
            }
            else
            {
                statuses.Add(answer.StatusCode);
            }
        }

        Assert.Contains(HttpStatusCode.OK, statuses);
        Assert.NotNull(refused);
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

/// <summary>Two nodes share one allowance: what one counted, the other refuses once both have synchronised.</summary>
public abstract class SharedRateLimitTests(string provider)
{
    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    [Fact]
    public async Task TwoNodesShareOneAllowance()
    {
        await using var platform = await TestPlatform.StartAsync(provider);
        var scopes = platform.Services.GetRequiredService<IServiceScopeFactory>();
        var clock = new FixedClock(new DateTimeOffset(2026, 11, 26, 3, 0, 10, TimeSpan.Zero));
        var first = new Chengxin.Operations.SharedRateCounters(scopes, clock, NullLogger<Chengxin.Operations.SharedRateCounters>.Instance);
        var second = new Chengxin.Operations.SharedRateCounters(scopes, clock, NullLogger<Chengxin.Operations.SharedRateCounters>.Instance);

        Assert.All(Enumerable.Range(0, 3), _ => Assert.True(first.TryAcquire("client:cx-flood", 5).Acquired));
        await first.SyncAsync(CancellationToken.None);
        await second.SyncAsync(CancellationToken.None);

        Assert.True(second.TryAcquire("client:cx-flood", 5).Acquired);
        Assert.True(second.TryAcquire("client:cx-flood", 5).Acquired);
        var refused = second.TryAcquire("client:cx-flood", 5);
        Assert.False(refused.Acquired);
        Assert.Equal(TimeSpan.FromSeconds(50), refused.RetryAfter);
        Assert.True(second.TryAcquire("client:cx-other", 5).Acquired);

        // The first node learns of the second's two on its next round, and refuses too.
        await second.SyncAsync(CancellationToken.None);
        await first.SyncAsync(CancellationToken.None);
        Assert.False(first.TryAcquire("client:cx-flood", 5).Acquired);
        Assert.Equal(5, await SecurityFixtures.DbAsync(platform, db => db.RateWindows.Where(w => w.Key == "client:cx-flood").Select(w => w.Count).SingleAsync()));
    }
}

public sealed class SharedRateLimitsOnSqlite() : SharedRateLimitTests("sqlite");

public sealed class SharedRateLimitsOnPostgres() : SharedRateLimitTests("postgres");
