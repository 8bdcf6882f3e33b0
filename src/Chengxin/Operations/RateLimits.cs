using System.Globalization;
using System.Threading.RateLimiting;
using Chengxin.Audit;
using Microsoft.AspNetCore.RateLimiting;

namespace Chengxin.Operations;

/// <summary><c>RateLimits:*</c>: requests allowed per minute to each system, each signed-in person and each address.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    public int PerClientPerMinute { get; set; } = 1200;

    public int PerUserPerMinute { get; set; } = 300;

    /// <summary>For everything not signed in: the public site, the token endpoint, sign-in.</summary>
    public int PerAddressPerMinute { get; set; } = 300;

    /// <summary>Count across every node through the database (true), or on each node alone (false: one node, or tests).</summary>
    public bool Shared { get; set; } = true;

    /// <summary>How often a node adds its counts to the shared ones and reads the totals.</summary>
    public int SyncMilliseconds { get; set; } = 1000;
}

/// <summary>
/// Limits every caller, by who they are when signed in (a system's client id or a person's account)
/// and by address otherwise. Over the limit the answer is 429 with Retry-After, never 503, so a
/// well-behaved client knows to wait rather than fail over. Counters are shared by every node
/// through the database (<see cref="SharedRateCounters"/>) unless <c>RateLimits:Shared</c> is off.
/// </summary>
public static class RateLimits
{
    public static IServiceCollection AddRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(RateLimitOptions.Section).Get<RateLimitOptions>() ?? new RateLimitOptions();
        services.AddOptions<RateLimitOptions>().Bind(configuration.GetSection(RateLimitOptions.Section));
        services.AddSingleton<SharedRateCounters>();
        if (options.Shared)
        {
            services.AddHostedService<RateCounterSync>();
        }
        services.AddRateLimiter(limiter =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
            {
                if (http.Request.Path.StartsWithSegments("/health") || http.Request.Path.StartsWithSegments("/metrics"))
                {
                    return RateLimitPartition.GetNoLimiter("operations");
                }
                var actor = Actors.Of(http.User);
                var (key, limit) = actor switch
                {
                    _ when actor.StartsWith("client:", StringComparison.Ordinal) => (actor, options.PerClientPerMinute),
                    _ when actor.StartsWith("user:", StringComparison.Ordinal) => (actor, options.PerUserPerMinute),
                    _ => ($"address:{http.Connection.RemoteIpAddress}", options.PerAddressPerMinute),
                };
                if (options.Shared)
                {
                    var counters = http.RequestServices.GetRequiredService<SharedRateCounters>();
                    return RateLimitPartition.Get(key, k => new SharedWindowLimiter(counters, k, limit));
                }
                return RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = limit,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                });
            });
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
                var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
                context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Chengxin.RateLimits")
                    .LogWarning("Rate limit reached by {Actor}", Actors.Of(context.HttpContext.User));
                await Results.Problem(statusCode: 429, title: "Too many requests.",
                    detail: $"This caller has used its allowance for the minute; try again in {seconds} seconds.")
                    .ExecuteAsync(context.HttpContext);
            };
        });
        return services;
    }
}
