using System.Text.Json;
using Chengxin.Data;
using Microsoft.EntityFrameworkCore;

namespace Chengxin.Catalog;

/// <summary>An item as it is in force, with the catalog (scope and version) it comes from.</summary>
public sealed record CatalogItemInForce(string Scope, string Version, CatalogItem Item);

/// <summary>
/// The catalog in force today: for each scope, the newest version already effective. Read from the
/// database and kept in memory, since it changes only when a new version is loaded.
/// </summary>
public sealed class CatalogStore(IServiceScopeFactory scopes, TimeProvider clock)
{
    private volatile IReadOnlyList<CatalogItemInForce>? _inForce;
    private DateOnly _computedFor;

    public void Invalidate() => _inForce = null;

    public async Task<IReadOnlyList<CatalogItemInForce>> InForceAsync(CancellationToken cancellationToken = default)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        if (_inForce is { } cached && _computedFor == today)
        {
            return cached;
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ChengxinDb>();
        var versions = await db.CatalogVersions.AsNoTracking().Where(v => v.EffectiveFrom <= today).ToListAsync(cancellationToken);
        var current = versions.GroupBy(v => v.Scope)
            .Select(g => g.OrderByDescending(v => v.EffectiveFrom).ThenByDescending(v => v.LoadedAt).First())
            .ToList();
        var ids = current.Select(v => v.Id).ToList();
        var entries = await db.CatalogEntries.AsNoTracking().Where(e => ids.Contains(e.CatalogVersionId)).ToListAsync(cancellationToken);
        var byId = current.ToDictionary(v => v.Id);
        var items = entries
            .Select(e => new CatalogItemInForce(byId[e.CatalogVersionId].Scope, byId[e.CatalogVersionId].Version, JsonSerializer.Deserialize<CatalogItem>(e.Definition, CatalogJson.Options)!))
            // The province (430000) sorts before its cities, so a lookup by code finds the provincial item first.
            .OrderBy(i => i.Item.Category).ThenBy(i => i.Scope, StringComparer.Ordinal).ThenBy(i => i.Item.Code, StringComparer.Ordinal)
            .ToList();
        _computedFor = today;
        _inForce = items;
        return items;
    }

    public async Task<CatalogItemInForce?> FindAsync(string code, CancellationToken cancellationToken = default) =>
        (await InForceAsync(cancellationToken)).FirstOrDefault(i => i.Item.Code == code);
}

public static class CatalogSetup
{
    public static IServiceCollection AddCatalog(this IServiceCollection services)
    {
        services.AddSingleton<CatalogStore>();
        services.AddScoped<CatalogLoader>();
        return services;
    }
}
