using Microsoft.EntityFrameworkCore;

namespace Chengxin.Data;

/// <summary>
/// Database leases, so a scheduled job runs on one node at a time however many nodes serve: a node
/// takes a free or expired lease, keeps it by renewing, and loses it when it stops renewing.
/// </summary>
public static class Leases
{
    /// <summary>True when this holder has the lease until now + <paramref name="term"/>.</summary>
    public static async Task<bool> TryTakeAsync(ChengxinDb db, string name, string holder, DateTimeOffset now, TimeSpan term, CancellationToken cancellationToken)
    {
        var until = now + term;
        var taken = await db.Leases
            .Where(l => l.Name == name && (l.Holder == holder || l.ExpiresAt < now))
            .ExecuteUpdateAsync(l => l.SetProperty(x => x.Holder, holder).SetProperty(x => x.ExpiresAt, until), cancellationToken);
        if (taken == 1)
        {
            return true;
        }
        if (await db.Leases.AnyAsync(l => l.Name == name, cancellationToken))
        {
            return false;
        }
        try
        {
            db.Leases.Add(new Lease { Name = name, Holder = holder, ExpiresAt = until });
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException)
        {
            // Another node created it first.
            db.ChangeTracker.Clear();
            return false;
        }
    }
}
