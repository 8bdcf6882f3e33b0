using Microsoft.EntityFrameworkCore;

namespace Chengxin.Data;

/// <summary>
/// Batch lookups (a thousand keys probed in one statement) planned for the table as it is now.
/// Statements are prepared, and PostgreSQL keeps a prepared statement's generic plan until the
/// table's statistics change; a plan made while a table was analysed empty scans the whole table once
/// per key, and keeps doing so as the table fills, until autovacuum next analyses it (up to a
/// minute, long enough to slow an import tenfold). A custom plan reads the table's current size.
/// </summary>
public static class FreshPlans
{
    private const string CustomPlans = "SET LOCAL plan_cache_mode = force_custom_plan";

    /// <summary>
    /// Runs <paramref name="lookup"/> with custom plans: inside the context's transaction, for the rest of it;
    /// outside one, in a short transaction of its own. Elsewhere than on PostgreSQL it just runs.
    /// </summary>
    public static async Task<T> LookUpAsync<T>(ChengxinDb db, Func<Task<T>> lookup, CancellationToken cancellationToken)
    {
        if (!db.Database.IsNpgsql())
        {
            return await lookup();
        }
        if (db.Database.CurrentTransaction is not null)
        {
            await db.Database.ExecuteSqlRawAsync(CustomPlans, cancellationToken);
            return await lookup();
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlRawAsync(CustomPlans, cancellationToken);
        var result = await lookup();
        await transaction.CommitAsync(cancellationToken);
        return result;
    }
}
