using Microsoft.AspNetCore.Http.HttpResults;

namespace Chengxin.Catalog;

/// <summary><c>GET /api/v1/catalog</c>: the catalog items in force, public to anyone (EXCHANGE.md, "Catalog").</summary>
public static class CatalogApi
{
    public static void MapCatalog(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/catalog").WithTags("catalog").AllowAnonymous();
        group.MapGet("/", ListAsync).WithSummary("The catalog items in force");
        group.MapGet("/{code}", GetAsync).WithSummary("One catalog item in force");
    }

    private static async Task<Ok<CatalogListing>> ListAsync(CatalogStore store, CancellationToken cancellationToken)
    {
        var items = await store.InForceAsync(cancellationToken);
        return TypedResults.Ok(new CatalogListing(items.Select(CatalogItemView.From).ToList()));
    }

    private static async Task<Results<Ok<CatalogItemView>, NotFound>> GetAsync(string code, CatalogStore store, CancellationToken cancellationToken) =>
        await store.FindAsync(code, cancellationToken) is { } item ? TypedResults.Ok(CatalogItemView.From(item)) : TypedResults.NotFound();
}

public sealed record CatalogListing(IReadOnlyList<CatalogItemView> Items);

/// <summary>An item as the exchange specification lists it; Chinese texts in the named members, English beside them.</summary>
public sealed record CatalogItemView(
    string Code,
    string Scope,
    string Version,
    string Name,
    string NameEn,
    CatalogCategory Category,
    Polarity Polarity,
    Disclosure Disclosure,
    string LegalBasis,
    string LegalBasisEn,
    IReadOnlyList<string> SeverityGrades,
    DisplayRule DisplayRule,
    RepairRule RepairRule,
    IReadOnlyList<string> ProviderKinds,
    IReadOnlyList<CatalogFieldView> Fields)
{
    public static CatalogItemView From(CatalogItemInForce inForce)
    {
        var i = inForce.Item;
        return new(i.Code, inForce.Scope, inForce.Version, i.Name.Zh, i.Name.En, i.Category, i.Polarity, i.Disclosure,
            i.LegalBasis.Zh, i.LegalBasis.En, i.SeverityGrades, i.Display, i.Repair, i.ProviderKinds,
            i.Fields.Select(f => new CatalogFieldView(f.Name, f.Type, f.Required, f.Public, f.MaxLength, f.Values, f.Minimum, f.Maximum, f.ValueLabels)).ToList());
    }
}

public sealed record CatalogFieldView(string Name, FieldType Type, bool Required, bool Public, int? MaxLength, IReadOnlyList<string>? Values, decimal? Minimum = null, decimal? Maximum = null,
    IReadOnlyDictionary<string, LocalizedText>? ValueLabels = null);
