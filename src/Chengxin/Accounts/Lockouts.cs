using Chengxin.Data;
using Microsoft.AspNetCore.Identity;

namespace Chengxin.Accounts;

/// <summary>Locking an account, as the security administrator and the blacklist both do it.</summary>
public static class Lockouts
{
    /// <summary>Locks the account until unlocked; a new security stamp ends every session it has open.</summary>
    public static async Task<IdentityResult> LockAsync(this UserManager<PortalUser> users, PortalUser user)
    {
        await users.SetLockoutEnabledAsync(user, true);
        await users.SetLockoutEndDateAsync(user, DateTimeOffset.MaxValue);
        return await users.UpdateSecurityStampAsync(user);
    }

    public static Task<IdentityResult> UnlockAsync(this UserManager<PortalUser> users, PortalUser user) => users.SetLockoutEndDateAsync(user, null);
}
