using Chengxin.Clients;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Chengxin.Exchange;

/// <summary><c>GET /api/v1/feed?after=CURSOR&amp;limit=N</c>: every change of the items the caller subscribed to, in order.</summary>
public static class FeedApi
{
    public static void MapFeed(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/feed", PageAsync)
            .WithTags("exchange")
            .RequireAuthorization(ApiScopes.PolicyFor(ApiScopes.Feed))
            .WithSummary("Changes of the subscribed items after a cursor (exclusive), oldest first; keep `next` for the following call");

    private static async Task<Results<Ok<FeedPage>, NotFound<Microsoft.AspNetCore.Mvc.ProblemDetails>, ValidationProblem>> PageAsync(
        HttpContext http, FeedService feed, CancellationToken cancellationToken, long after = 0, int limit = 100)
    {
        if (after < 0 || limit is < 1 or > FeedService.MaxPage)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                [after < 0 ? "after" : "limit"] = [after < 0 ? "after is a sequence number, 0 or more." : $"limit is 1 to {FeedService.MaxPage}."],
            });
        }
        var page = await feed.PageAsync(http.User.OrganisationId(), Audit.Actors.Of(http.User), after, limit, cancellationToken);
        return page is null
            ? TypedResults.NotFound(new Microsoft.AspNetCore.Mvc.ProblemDetails { Title = "No subscription", Detail = "Your organisation subscribes to no item; the credit office registers subscriptions (chengxin receivers add).", Status = 404 })
            : TypedResults.Ok(page);
    }
}
