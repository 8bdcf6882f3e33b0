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
    private sealed record Snapshot(DateOnly ComputedFor, IReadOnlyList<CatalogItemInForce> Items, IReadOnlyDictionary<string, CatalogItemInForce> ByCode,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, CatalogItem>> ByVersion);

    private volatile Snapshot? _snapshot;

    public void Invalidate() => _snapshot = null;

    public async Task<IReadOnlyList<CatalogItemInForce>> InForceAsync(CancellationToken cancellationToken = default) =>
        (await SnapshotAsync(cancellationToken)).Items;

    /// <summary>The items in force by code; where a city item repeats a provincial code, the provincial one.</summary>
    public async Task<IReadOnlyDictionary<string, CatalogItemInForce>> ByCodeAsync(CancellationToken cancellationToken = default) =>
        (await SnapshotAsync(cancellationToken)).ByCode;

    /// <summary>Every version ever loaded, by <c>scope/version</c> (as a record keeps the version it was collected under), then its items by code.</summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyDictionary<string, CatalogItem>>> ByVersionAsync(CancellationToken cancellationToken = default) =>
        (await SnapshotAsync(cancellationToken)).ByVersion;

    /// <summary>The <c>scope/version</c> a record collected under this catalog keeps.</summary>
    public static string VersionKey(string scope, string version) => $"{scope}/{version}";

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
        // Every version: a record is judged by the one it was collected under; the catalog in force is the newest effective one per scope.
        var versions = await db.CatalogVersions.AsNoTracking().ToListAsync(cancellationToken);
        var current = versions.Where(v => v.EffectiveFrom <= today).GroupBy(v => v.Scope)
            .Select(g => g.OrderByDescending(v => v.EffectiveFrom).ThenByDescending(v => v.LoadedAt).First())
            .ToList();
        // Only the versions read above: one loaded in between (at start-up) is read the next time.
        var versionIds = versions.Select(v => v.Id).ToList();
        var all = (await db.CatalogEntries.AsNoTracking().Where(e => versionIds.Contains(e.CatalogVersionId)).ToListAsync(cancellationToken))
            .Select(e => (e.CatalogVersionId, Item: JsonSerializer.Deserialize<CatalogItem>(e.Definition, CatalogJson.Options)!)).ToList();
        var byId = versions.ToDictionary(v => v.Id);
        var byVersion = all.GroupBy(e => VersionKey(byId[e.CatalogVersionId].Scope, byId[e.CatalogVersionId].Version))
            .ToDictionary(g => g.Key, g => (IReadOnlyDictionary<string, CatalogItem>)g.ToDictionary(e => e.Item.Code, e => e.Item, StringComparer.Ordinal), StringComparer.Ordinal);
        var currentIds = current.Select(v => v.Id).ToHashSet();
        var items = all.Where(e => currentIds.Contains(e.CatalogVersionId))
            .Select(e => new CatalogItemInForce(byId[e.CatalogVersionId].Scope, byId[e.CatalogVersionId].Version, e.Item))
            // The province (430000) sorts before its cities, so the first item of a code is the provincial one.
            .OrderBy(i => i.Item.Category).ThenBy(i => i.Scope, StringComparer.Ordinal).ThenBy(i => i.Item.Code, StringComparer.Ordinal)
            .ToList();
        var byCode = items.GroupBy(i => i.Item.Code).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var snapshot = new Snapshot(today, items, byCode, byVersion);
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
