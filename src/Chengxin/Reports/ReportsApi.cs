using System.Diagnostics;
using Chengxin.Audit;
using Chengxin.Clients;
using Chengxin.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Chengxin.Reports;

/// <summary>Authorised queries and reports (EXCHANGE.md, "Authorised queries and reports").</summary>
public static class ReportsApi
{
    /// <summary>Every refusal of a report takes at least this long, so its timing does not tell an unknown person from a refused query.</summary>
    public static readonly TimeSpan RefusalFloor = TimeSpan.FromMilliseconds(150);

    public static void MapReports(this IEndpointRouteBuilder app)
    {
        var scope = ApiScopes.PolicyFor(ApiScopes.Reports);
        app.MapPost("/api/v1/authorizations", RegisterAsync).WithTags("reports").RequireAuthorization(scope)
            .WithMetadata(new RequestSizeLimitAttribute(16 * 1024 * 1024))
            .WithSummary("Register a written authorisation the querier holds, with its evidence file");
        app.MapGet("/api/v1/authorizations/{id:guid}", AuthorizationAsync).WithTags("reports").RequireAuthorization(scope)
            .WithSummary("One of this organisation's authorisations (registered or granted to it in the portal): its terms and whether it still stands");
        app.MapPost("/api/v1/reports", IssueAsync).WithTags("reports").RequireAuthorization(scope)
            .Produces<CreditReportContent>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden)
            .WithSummary("Issue a report on a person, citing an authorisation; 403 without a valid one, the same as for an unknown person");
        app.MapPost("/api/v1/sharing", ShareAsync).WithTags("reports").RequireAuthorization(ApiScopes.PolicyFor(ApiScopes.Checks))
            .Produces<SharingResult>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden)
            .WithSummary("Government sharing: a user department reads a person's shareable records for a stated purpose and legal basis, without consent; registered");
        app.MapGet("/api/v1/reports/{reportNo}", GetAsync).WithTags("reports").RequireAuthorization(scope)
            .Produces<CreditReportContent>().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("A report this organisation was issued, as JSON");
        app.MapGet("/api/v1/reports/{reportNo}/pdf", PdfAsync).WithTags("reports").RequireAuthorization(scope)
            .Produces(StatusCodes.Status200OK, contentType: "application/pdf").ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithSummary("A report this organisation was issued, as PDF");
    }

    private static async Task<Results<Created<AuthorizationCreated>, ValidationProblem>> RegisterAsync(AuthorizationRequest body, HttpContext http, AuthorisationService authorisations, CancellationToken cancellationToken)
    {
        var (id, errors) = await authorisations.RegisterWrittenAsync(http.User.OrganisationId(), Actors.Of(http.User), body, cancellationToken);
        return id is { } created ? TypedResults.Created($"/api/v1/authorizations/{created}", new AuthorizationCreated(created)) : TypedResults.ValidationProblem(errors);
    }

    /// <summary>Another organisation's authorisation answers 404, exactly like one that does not exist.</summary>
    private static async Task<Results<Ok<AuthorizationView>, NotFound>> AuthorizationAsync(Guid id, HttpContext http, ChengxinDb db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var querierId = http.User.OrganisationId();
        var authorisation = await db.Authorisations.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id && a.QuerierId == querierId, cancellationToken);
        if (authorisation is null)
        {
            return TypedResults.NotFound();
        }
        var state = AuthorisationService.Ended(authorisation, Calendar.ChinaTime.Today(clock)) ?? "current";
        return TypedResults.Ok(new AuthorizationView(authorisation.Id, authorisation.Purpose,
            [.. AuthorisationService.Categories(authorisation).Select(AuthorisationService.CategoryName)], authorisation.ValidFrom, authorisation.ValidUntil,
            authorisation.Channel, state, authorisation.RevokedAt));
    }

    /// <summary>What a system that was just suspended for bulk reading gets instead of its answer.</summary>
    private static ProblemHttpResult Suspended() => TypedResults.Problem(statusCode: 403, title: "This system is suspended.",
        detail: "It read more people, or missed more often, than its allowance; the credit office has been alerted and will contact your organisation.");

    private static async Task<IResult> IssueAsync(ReportRequest body, HttpContext http, ReportService reports, ScrapingGuard guard, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var (report, refusal) = await reports.AuthorisedAsync(http.User.OrganisationId(), Actors.Of(http.User), body, cancellationToken);
        if (await guard.SuspendIfScrapingAsync(Actors.Of(http.User), body.Subject?.IdNumber, cancellationToken))
        {
            return Suspended();
        }
        if (report is not null)
        {
            http.Response.Headers.Location = $"/api/v1/reports/{report.ReportNo}";
            return TypedResults.Json(report, ReportService.Json, statusCode: StatusCodes.Status201Created);
        }
        if (refusal!.Errors is { } errors && refusal.Status == StatusCodes.Status400BadRequest)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var left = RefusalFloor - Stopwatch.GetElapsedTime(started);
        if (left > TimeSpan.Zero)
        {
            await Task.Delay(left, cancellationToken);
        }
        return Problem(refusal);
    }

    private static ProblemHttpResult Problem(ReportRefusal refusal) => TypedResults.Problem(statusCode: refusal.Status, title: refusal.Title, detail: refusal.Detail,
        extensions: refusal.Errors is { } errors ? new Dictionary<string, object?> { ["errors"] = errors } : null);

    private static async Task<IResult> ShareAsync(SharingRequest body, HttpContext http, SharingService sharing, ScrapingGuard guard, CancellationToken cancellationToken)
    {
        var (result, errors, refusal) = await sharing.ShareAsync(http.User.OrganisationId(), Actors.Of(http.User), body, cancellationToken);
        if (refusal is not null)
        {
            return Problem(refusal);
        }
        if (await guard.SuspendIfScrapingAsync(Actors.Of(http.User), body.Subject?.IdNumber, cancellationToken))
        {
            return Suspended();
        }
        return result is null ? TypedResults.ValidationProblem(errors) : TypedResults.Json(result, ReportService.Json);
    }

    private static async Task<IResult> GetAsync(string reportNo, HttpContext http, ReportService reports, CancellationToken cancellationToken)
    {
        var (content, _, refusal) = await reports.ReadIssuedAsync(reportNo, http.User.OrganisationId(), Actors.Of(http.User), cancellationToken);
        return content is not null ? TypedResults.Json(content, ReportService.Json) : Problem(refusal!);
    }

    private static async Task<IResult> PdfAsync(string reportNo, HttpContext http, ReportService reports, ReportDocument document, CancellationToken cancellationToken)
    {
        var (content, digest, refusal) = await reports.ReadIssuedAsync(reportNo, http.User.OrganisationId(), Actors.Of(http.User), cancellationToken);
        return content is not null ? await PdfResultAsync(content, digest!, http, document, cancellationToken) : Problem(refusal!);
    }

    /// <summary>The report as a PDF download, or 503 with the reason when this machine cannot print one.</summary>
    public static async Task<IResult> PdfResultAsync(CreditReportContent report, string contentSha256, HttpContext http, ReportDocument document, CancellationToken cancellationToken)
    {
        var html = await document.RenderHtmlAsync(report, document.VerifyUrl($"{http.Request.Scheme}://{http.Request.Host}", report.VerificationCode), contentSha256, cancellationToken);
        try
        {
            return TypedResults.File(await document.RenderPdfAsync(html, cancellationToken), "application/pdf", $"{report.ReportNo}.pdf");
        }
        catch (PdfUnavailableException e)
        {
            return TypedResults.Problem(statusCode: 503, title: "The PDF cannot be made on this server.", detail: e.Message);
        }
    }
}

public static class ReportSetup
{
    public static IServiceCollection AddReports(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(configuration.GetSection(ReportOptions.Section).Get<ReportOptions>() ?? new ReportOptions());
        services.AddSingleton<ReportDocument>();
        services.AddScoped<Archive.ArchiveService>();
        services.AddScoped<AuthorisationService>();
        services.AddScoped<ReportService>();
        services.AddScoped<SharingService>();
        return services;
    }
}
