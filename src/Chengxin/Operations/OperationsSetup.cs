using System.Diagnostics.Metrics;
using Chengxin.Data;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenTelemetry.Metrics;

namespace Chengxin.Operations;

/// <summary>Health, metrics, problem details and security headers: what operating the platform needs.</summary>
public static class OperationsSetup
{
    public const string MeterName = "Chengxin";
    public static readonly Meter Meter = new(MeterName);

    public static IServiceCollection AddOperations(this IServiceCollection services)
    {
        services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
        {
            c.ProblemDetails.Extensions["traceId"] = c.HttpContext.TraceIdentifier;
            if (c.Exception is BadHttpRequestException bad)
            {
                Explain(c.ProblemDetails, bad);
            }
        });
        // A body that is not JSON, or holds a value of the wrong form, reaches the exception handler, which says what was wrong.
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        services.AddOpenTelemetry().WithMetrics(m => m
            .AddAspNetCoreInstrumentation()
            .AddRuntimeInstrumentation()
            .AddMeter(MeterName)
            .AddPrometheusExporter());
        return services;
    }

    public static void UseOperations(this WebApplication app)
    {
        app.UseMiddleware<SecurityHeaders>();
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = StatusFor,
            // A body the caller got wrong is answered with what to fix; it is not the platform's error, so not logged as one.
            SuppressDiagnosticsCallback = c => c.Exception is BadHttpRequestException,
        });
        // API callers get problem details for every error; people get the portal's error page.
        app.UseWhen(IsApi, api => api.UseStatusCodePages());
        app.UseWhen(c => !IsApi(c), portal => portal.UseStatusCodePagesWithReExecute("/Error", "?code={0}"));
    }

    public static void MapOperations(this WebApplication app)
    {
        app.MapHealthChecks("/health", new HealthCheckOptions
        {
            ResultStatusCodes = { [HealthStatus.Healthy] = 200, [HealthStatus.Degraded] = 200, [HealthStatus.Unhealthy] = 503 },
        }).AllowAnonymous().WithTags("operations");
        app.MapPrometheusScrapingEndpoint("/metrics").AllowAnonymous();
    }

    /// <summary><c>POST /culture</c>: remembers the portal language in a cookie for a year.</summary>
    public static void MapCultureSwitch(this WebApplication app) =>
        app.MapPost("/culture", (HttpContext http, [Microsoft.AspNetCore.Mvc.FromForm] string culture, [Microsoft.AspNetCore.Mvc.FromForm] string? returnUrl) =>
        {
            var chosen = culture == "en" ? "en" : "zh-CN";
            http.Response.Cookies.Append(
                CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(chosen)),
                new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), HttpOnly = true, SameSite = SameSiteMode.Lax, Secure = http.Request.IsHttps, IsEssential = true });
            var target = returnUrl is { Length: > 0 } && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//", StringComparison.Ordinal) && !returnUrl.StartsWith("/\\", StringComparison.Ordinal) ? returnUrl : "/";
            return Results.LocalRedirect(target);
        }).AllowAnonymous().ExcludeFromDescription();

    public static bool IsApi(HttpContext context) =>
        context.Request.Path.StartsWithSegments("/api") || context.Request.Path.StartsWithSegments("/connect")
        || context.Request.Path.StartsWithSegments("/health") || context.Request.Path.StartsWithSegments("/openapi");

    /// <summary>
    /// What a caller needs to fix a request the endpoint could not read: where the JSON breaks off, the field whose value has the
    /// wrong form, or that there was no body; never the framework's own wording, which speaks of its parameters.
    /// </summary>
    private static void Explain(Microsoft.AspNetCore.Mvc.ProblemDetails problem, BadHttpRequestException bad)
    {
        if (bad.InnerException is System.Text.Json.JsonException json)
        {
            problem.Title = "The request body could not be read.";
            // A syntax error (cut short, a stray comma) is the reader's exception, wrapped; a value of the wrong type is not wrapped.
            if (json.InnerException is System.Text.Json.JsonException)
            {
                problem.Detail = $"The body is not valid JSON: it breaks off or goes wrong at line {json.LineNumber + 1}, byte {json.BytePositionInLine + 1}.";
                return;
            }
            var field = json.Path is { Length: > 2 } path ? path.TrimStart('$', '.') : null;
            problem.Detail = field is null
                ? "The body must be a JSON object as the API documents it (EXCHANGE.md)."
                : $"{field} has a value of the wrong type or form.";
            if (field is not null)
            {
                problem.Extensions["errors"] = new Dictionary<string, string[]> { [field] = [problem.Detail] };
            }
            return;
        }
        if (bad.StatusCode == StatusCodes.Status400BadRequest && bad.InnerException is null && bad.Message.Contains("no body was provided", StringComparison.Ordinal))
        {
            problem.Title = "The request has no body.";
            problem.Detail = "Send a JSON object as the API documents it (EXCHANGE.md), with Content-Type: application/json.";
            return;
        }
        problem.Detail = bad.Message;
    }

    private static int StatusFor(Exception exception) => exception switch
    {
        BadHttpRequestException bad => bad.StatusCode,
        OperationCanceledException => 499,
        _ => StatusCodes.Status500InternalServerError,
    };
}

/// <summary>Healthy only when the database answers.</summary>
public sealed class DatabaseHealthCheck(ChengxinDb db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            return await db.Database.CanConnectAsync(cancellationToken)
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy("The database does not answer.");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("The database does not answer.");
        }
    }
}
