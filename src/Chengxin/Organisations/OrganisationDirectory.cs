using Chengxin.Data;
using Microsoft.EntityFrameworkCore;

namespace Chengxin.Organisations;

/// <summary>An organisation's code and name, as reports and pages print them.</summary>
public sealed record OrganisationName(Guid Id, string Code, string Name, string NameEn, string Kind);

/// <summary>
/// Organisations by id, kept in memory: a few thousand rows that change when one registers, read on
/// every report. This node refreshes at once when it registers one, other nodes within a few minutes.
/// </summary>
public sealed class OrganisationDirectory(IServiceScopeFactory scopes, TimeProvider clock)
{
    private static readonly TimeSpan Freshness = TimeSpan.FromMinutes(5);

    private sealed record Snapshot(DateTimeOffset LoadedAt, IReadOnlyDictionary<Guid, OrganisationName> ById);

    private volatile Snapshot? _snapshot;

    public void Invalidate() => _snapshot = null;

    public async Task<OrganisationName?> FindAsync(Guid id, CancellationToken cancellationToken)
    {
        var snapshot = _snapshot;
        if (snapshot is null || clock.GetUtcNow() - snapshot.LoadedAt > Freshness || !snapshot.ById.ContainsKey(id))
        {
            snapshot = _snapshot = await LoadAsync(cancellationToken);
        }
        return snapshot.ById.GetValueOrDefault(id);
    }

    /// <summary>Every registered organisation, as fresh as <see cref="FindAsync"/> keeps them.</summary>
    public async Task<IReadOnlyCollection<OrganisationName>> AllAsync(CancellationToken cancellationToken)
    {
        var snapshot = _snapshot;
        if (snapshot is null || clock.GetUtcNow() - snapshot.LoadedAt > Freshness)
        {
            snapshot = _snapshot = await LoadAsync(cancellationToken);
        }
        return [.. snapshot.ById.Values];
    }

    private async Task<Snapshot> LoadAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var all = await scope.ServiceProvider.GetRequiredService<ChengxinDb>().Organisations.AsNoTracking()
            .Select(o => new OrganisationName(o.Id, o.Code, o.NameZh, o.NameEn, o.Kind)).ToListAsync(cancellationToken);
        return new Snapshot(clock.GetUtcNow(), all.ToDictionary(o => o.Id));
    }
}
