using System.Text.Json;
using Chengxin.Clients;
using Chengxin.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Chengxin.Records;

public sealed record RecordVersionView(int Number, DateTimeOffset CreatedAt, string ContentSha256, JsonElement Fields);

public sealed record RecordView(Guid RecordId, string SourceId, string CatalogItem, string CatalogVersion, DateOnly OccurredOn, RecordStatus Status, IReadOnlyList<RecordVersionView> Versions);

/// <summary>The records part of the exchange API (EXCHANGE.md, "Pushing records").</summary>
public static class RecordsApi
{
    public static void MapRecords(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/records").WithTags("records");
        group.MapGet("/{sourceId}", GetAsync)
            .RequireAuthorization(ApiScopes.PolicyFor(ApiScopes.RecordsRead))
            .WithSummary("One of the caller's own records, with its versions");
    }

    /// <summary>Another organisation's source id answers 404, exactly like one that does not exist.</summary>
    private static async Task<Results<Ok<RecordView>, NotFound>> GetAsync(string sourceId, HttpContext http, ChengxinDb db, CancellationToken cancellationToken)
    {
        var organisationId = http.User.OrganisationId();
        var record = await db.Records.AsNoTracking().Include(r => r.Versions)
            .SingleOrDefaultAsync(r => r.ProviderId == organisationId && r.SourceId == sourceId, cancellationToken);
        if (record is null)
        {
            return TypedResults.NotFound();
        }
        var versions = record.Versions.OrderBy(v => v.Number)
            .Select(v => new RecordVersionView(v.Number, v.CreatedAt, v.ContentSha256, JsonSerializer.Deserialize<JsonElement>(v.Fields)))
            .ToList();
        return TypedResults.Ok(new RecordView(record.Id, record.SourceId, record.ItemCode, record.CatalogVersion, record.OccurredOn, record.Status, versions));
    }
}
