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
    private sealed record Snapshot(DateOnly ComputedFor, IReadOnlyList<CatalogItemInForce> Items, IReadOnlyDictionary<string, CatalogItemInForce> ByCode);

    private volatile Snapshot? _snapshot;

    public void Invalidate() => _snapshot = null;

    public async Task<IReadOnlyList<CatalogItemInForce>> InForceAsync(CancellationToken cancellationToken = default) =>
        (await SnapshotAsync(cancellationToken)).Items;

    /// <summary>The items in force by code; where a city item repeats a provincial code, the provincial one.</summary>
    public async Task<IReadOnlyDictionary<string, CatalogItemInForce>> ByCodeAsync(CancellationToken cancellationToken = default) =>
        (await SnapshotAsync(cancellationToken)).ByCode;

    public async Task<CatalogItemInForce?> FindAsync(string code, CancellationToken cancellationToken = default) =>
        (await ByCodeAsync(cancellationToken)).GetValueOrDefault(code);

    private async Task<Snapshot> SnapshotAsync(CancellationToken cancellationToken)
    {
        // A catalog version takes effect on its date in China, not in UTC.
        var today = Calendar.ChinaTime.Today(clock);
        if (_snapshot is { } cached && cached.ComputedFor == today)
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
            // The province (430000) sorts before its cities, so the first item of a code is the provincial one.
            .OrderBy(i => i.Item.Category).ThenBy(i => i.Scope, StringComparer.Ordinal).ThenBy(i => i.Item.Code, StringComparer.Ordinal)
            .ToList();
        var byCode = items.GroupBy(i => i.Item.Code).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var snapshot = new Snapshot(today, items, byCode);
        _snapshot = snapshot;
        return snapshot;
    }
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
