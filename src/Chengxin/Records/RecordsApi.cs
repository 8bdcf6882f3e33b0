using System.Text.Json;
using Chengxin.Clients;
using Chengxin.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Chengxin.Records;

public sealed record RecordVersionView(int Number, DateTimeOffset CreatedAt, string ContentSha256, JsonElement Fields);

public sealed record RecordView(
    Guid RecordId,
    string SourceId,
    string CatalogItem,
    string CatalogVersion,
    DateOnly OccurredOn,
    RecordStatus Status,
    DateTimeOffset? RevokedAt,
    string? RevocationReason,
    IReadOnlyList<RecordVersionView> Versions);

/// <summary>The body of <c>POST /api/v1/records/revocations</c>.</summary>
public sealed record RevocationRequest(string? SourceId, string? Reason);

/// <summary>The records part of the exchange API (EXCHANGE.md, "Pushing records").</summary>
public static class RecordsApi
{
    /// <summary>1,000 records of a few kilobytes each fit well within this.</summary>
    public const long MaxBodyBytes = 16 * 1024 * 1024;

    public static void MapRecords(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/records").WithTags("records");
        group.MapPost("/", PushAsync)
            .RequireAuthorization(ApiScopes.PolicyFor(ApiScopes.RecordsPush))
            .WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes))
            .Accepts<PushRequest>("application/json")
            .Produces<PushResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .WithSummary("Push a batch of up to 1,000 records; one result per item, in order");
        group.MapPost("/revocations", RevokeAsync)
            .RequireAuthorization(ApiScopes.PolicyFor(ApiScopes.RecordsPush))
            .WithSummary("Revoke one of the caller's records: its decision was quashed");
        group.MapGet("/{sourceId}", GetAsync)
            .RequireAuthorization(ApiScopes.PolicyFor(ApiScopes.RecordsRead))
            .WithSummary("One of the caller's own records, with its versions");
    }

    private static async Task<Results<Ok<PushResponse>, ProblemHttpResult>> PushAsync(HttpRequest request, PushService push, Imports.Submissions submissions, CancellationToken cancellationToken)
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
        }
        catch (JsonException e)
        {
            return TypedResults.Problem(statusCode: 400, title: "The body is not JSON.", detail: $"{e.Message} Send {{ \"records\": [ ... ] }}.");
        }
        using (document)
        {
            var (batch, problem) = PushService.ReadBatch(document.RootElement);
            if (batch is null)
            {
                return TypedResults.Problem(statusCode: 400, title: "The body is not a batch of records.", detail: problem);
            }
            var provider = request.HttpContext.User.OrganisationId();
            var response = await push.PushAsync(provider, batch, cancellationToken, actor: Audit.Actors.Of(request.HttpContext.User));
            await submissions.LogPushAsync(provider, response, cancellationToken);
            return TypedResults.Ok(response);
        }
    }

    /// <summary>Another organisation's source id is answered exactly like one that does not exist.</summary>
    private static ProblemHttpResult NoSuchRecord(string sourceId) => TypedResults.Problem(statusCode: 404, title: "No such record of your organisation.",
        detail: $"Your organisation has pushed no record with sourceId '{sourceId}'. Use the sourceId the record was pushed with.");

    private static async Task<Results<Ok<RecordView>, ProblemHttpResult, ValidationProblem>> RevokeAsync(RevocationRequest body, HttpContext http, PushService push, ChengxinDb db, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(body.SourceId))
        {
            errors["sourceId"] = ["sourceId is required."];
        }
        if (string.IsNullOrWhiteSpace(body.Reason))
        {
            errors["reason"] = ["reason is required: say which decision quashed the record."];
        }
        else if (body.Reason.Length > 1000)
        {
            errors["reason"] = ["reason has more than 1,000 characters."];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var organisationId = http.User.OrganisationId();
        var record = await push.RevokeAsync(organisationId, body.SourceId!, body.Reason!, Audit.Actors.Of(http.User), cancellationToken);
        return record is null ? NoSuchRecord(body.SourceId!.Trim()) : TypedResults.Ok(await ViewAsync(db, organisationId, record.SourceId, cancellationToken));
    }

    /// <summary>Another organisation's source id answers 404, exactly like one that does not exist.</summary>
    private static async Task<Results<Ok<RecordView>, ProblemHttpResult>> GetAsync(string sourceId, HttpContext http, ChengxinDb db, Audit.QueryLog queries, CancellationToken cancellationToken)
    {
        var organisationId = http.User.OrganisationId();
        if (await ViewAsync(db, organisationId, sourceId, cancellationToken) is not { } view)
        {
            return NoSuchRecord(sourceId);
        }
        var subjectId = await db.Records.Where(r => r.Id == view.RecordId).Select(r => r.SubjectId).SingleAsync(cancellationToken);
        await queries.RegisterAsync(new Audit.QueryContext(Audit.Actors.Of(http.User), organisationId, "api", "provider-own-record", "own-records"),
            [new Audit.SubjectRead(subjectId, [view.CatalogItem], 1)], cancellationToken);
        return TypedResults.Ok(view);
    }

    private static async Task<RecordView?> ViewAsync(ChengxinDb db, Guid organisationId, string sourceId, CancellationToken cancellationToken)
    {
        var record = await db.Records.AsNoTracking().Include(r => r.Versions)
            .SingleOrDefaultAsync(r => r.ProviderId == organisationId && r.SourceId == sourceId, cancellationToken);
        if (record is null)
        {
            return null;
        }
        var versions = record.Versions.OrderBy(v => v.Number)
            .Select(v => new RecordVersionView(v.Number, v.CreatedAt, v.ContentSha256, JsonSerializer.Deserialize<JsonElement>(v.Fields)))
            .ToList();
        return new RecordView(record.Id, record.SourceId, record.ItemCode, record.CatalogVersion, record.OccurredOn, record.Status, record.RevokedAt, record.RevocationReason, versions);
    }
}

public static class RecordSetup
{
    public static IServiceCollection AddRecords(this IServiceCollection services) =>
        services.AddScoped<PushService>().AddScoped<Imports.Submissions>().AddSingleton<Imports.RecordImporter>();
}
