using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json;
using Chengxin.Data;
using Microsoft.EntityFrameworkCore;

namespace Chengxin.Catalog;

/// <summary>
/// Loads the catalogs shipped with the platform into the database as versions. A version is loaded
/// once and never changed: shipping different content under a loaded version number is refused.
/// </summary>
public sealed class CatalogLoader(ChengxinDb db, CatalogStore store, ILogger<CatalogLoader> logger)
{
    private const string Prefix = "Chengxin.Catalog.Data.";
    private const string ProvincialResource = Prefix + "provincial-catalog.json";

    public static CatalogDocument ReadEmbedded(string resource)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"{resource} is not embedded.");
        return JsonSerializer.Deserialize<CatalogDocument>(stream, CatalogJson.Options)
            ?? throw new InvalidOperationException($"{resource} is empty.");
    }

    public static CatalogDocument Provincial() => ReadEmbedded(ProvincialResource);

    public static IEnumerable<CatalogDocument> Cities() =>
        Assembly.GetExecutingAssembly().GetManifestResourceNames()
            .Where(n => n.StartsWith(Prefix + "city-catalog-", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(ReadEmbedded);

    public async Task LoadEmbeddedAsync(CancellationToken cancellationToken)
    {
        var province = Provincial();
        var violations = CatalogRules.Check(province).ToList();
        var cities = Cities().ToList();
        foreach (var city in cities)
        {
            violations.AddRange(CatalogRules.CheckCity(province, city));
        }
        if (violations.Count > 0)
        {
            throw new InvalidOperationException("The shipped catalog breaks its rules: " + string.Join("; ", violations.Select(v => $"{v.ItemCode}: {v.Message}")));
        }
        foreach (var document in cities.Prepend(province))
        {
            await StoreAsync(document, cancellationToken);
        }
        store.Invalidate();
    }

    private async Task StoreAsync(CatalogDocument document, CancellationToken cancellationToken)
    {
        var digest = Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(document, CatalogJson.Options)));
        var existing = await db.CatalogVersions.AsNoTracking()
            .SingleOrDefaultAsync(v => v.Scope == document.Scope && v.Version == document.Version, cancellationToken);
        if (existing is not null)
        {
            if (existing.ContentSha256 != digest)
            {
                throw new InvalidOperationException($"Catalog {document.Scope} version {document.Version} is already loaded with other content; publish changes under a new version.");
            }
            return;
        }
        db.CatalogVersions.Add(new CatalogVersion
        {
            Scope = document.Scope,
            Version = document.Version,
            EffectiveFrom = document.EffectiveFrom,
            ContentSha256 = digest,
            Items = [.. document.Items.Select(i => new CatalogEntry
            {
                Code = i.Code,
                Category = i.Category,
                Polarity = i.Polarity,
                Disclosure = i.Disclosure,
                Definition = JsonSerializer.Serialize(i, CatalogJson.Options),
            })],
        });
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Loaded catalog {Scope} version {Version} with {Count} items", document.Scope, document.Version, document.Items.Count);
    }
}
