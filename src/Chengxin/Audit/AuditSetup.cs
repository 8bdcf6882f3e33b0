using System.Security.Claims;
using Chengxin.Clients;
using Chengxin.Crypto;

namespace Chengxin.Audit;

/// <summary>Names who acts, the same way in every audit entry and query registration.</summary>
public static class Actors
{
    public static string Of(ClaimsPrincipal user)
    {
        if (user.FindFirst(ApiScopes.OrganisationIdClaim) is not null && user.FindFirst("sub")?.Value is { } clientId)
        {
            return $"client:{clientId}";
        }
        return user.FindFirst(ClaimTypes.NameIdentifier)?.Value is { } userId ? $"user:{userId}" : "anonymous";
    }

    /// <summary>The operating-system account that ran a command-line verb.</summary>
    public static string CommandLine => $"cli:{Environment.UserName}";

    public static string System(string job) => $"system:{job}";
}

/// <summary>Who is acting in this scope: the signed-in person or system, else the command line's operating-system account.</summary>
public sealed class CurrentActor(IHttpContextAccessor http)
{
    public string Name => http.HttpContext?.User is { Identity.IsAuthenticated: true } user ? Actors.Of(user) : Actors.CommandLine;
}

public static class AuditSetup
{
    public static IServiceCollection AddAudit(this IServiceCollection services, CheckpointKeys keys, IConfiguration configuration)
    {
        var options = configuration.GetSection(AuditOptions.Section).Get<AuditOptions>() ?? new AuditOptions();
        services.AddSingleton(options);
        services.AddSingleton(keys);
        services.AddScoped<AuditTrail>();
        services.AddHttpContextAccessor();
        services.AddScoped<CurrentActor>();
        services.AddScoped<QueryLog>();
        services.AddSingleton<AuditBatcher>();
        services.AddScoped<AuditCheckpoints>();
        services.AddScoped<AuditVerification>();
        services.AddScoped<Keys.KeyRotation>();
        services.AddSingleton(configuration.GetSection(ScrapingOptions.Section).Get<ScrapingOptions>() ?? new ScrapingOptions());
        services.AddScoped<ScrapingGuard>();
        services.AddSingleton<SequenceWatch>();
        services.AddScoped<Retention>();
        services.AddOptions<Archive.RetentionOptions>().Bind(configuration.GetSection("Retention"))
            .Validate(o => o.RecordYears >= 1, "Retention:RecordYears is at least 1.").ValidateOnStart();
        services.AddScoped<Archive.RecordPurge>();
        services.AddScoped<Unmasking>();
        services.AddHostedService<RetentionJob>();
        services.AddHostedService<AuditCheckpointer>();
        return services;
    }
}
