using Chengxin.Accounts;
using Chengxin.Audit;
using Chengxin.Crypto;
using Chengxin.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Chengxin.Pages.Admin.Security;

/// <summary>Which keys are in use (ids and algorithms, never the keys).</summary>
public sealed record KeysInUse(string Encryption, int EncryptionKeys, string Index, int IndexKeys, IReadOnlyList<string> Signing);

/// <summary>The security administrator's page: accounts and their roles, locks, the blacklist, the keys in use. Every change is audited.</summary>
[RequireRecentSignIn]
public sealed class IndexModel(AccountService accounts, BlacklistService blacklist, UserManager<PortalUser> users, KeyRing keys, CheckpointKeys checkpoints) : PageModel
{
    public IReadOnlyList<AccountView> Accounts { get; private set; } = [];

    public IReadOnlyList<BlacklistEntry> Blacklist { get; private set; } = [];

    public KeysInUse Keys { get; private set; } = new("", 0, "", 0, []);

    public Guid MyId => Guid.Parse(users.GetUserId(User)!);

    public IReadOnlyList<string> Problems { get; private set; } = [];

    /// <summary>A new account's one-time password: shown once, to hand over in person.</summary>
    public NewAccount? Created { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostCreateAsync(string email, string name, string role, string? organisation, CancellationToken cancellationToken)
    {
        (Created, Problems) = await accounts.CreateAsync(email ?? "", name ?? "", role ?? "", organisation, Actors.Of(User), cancellationToken);
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostGrantAsync(string email, string role, CancellationToken cancellationToken) =>
        await AfterAsync(await accounts.GrantRoleAsync(email ?? "", role ?? "", Actors.Of(User), cancellationToken), cancellationToken);

    public async Task<IActionResult> OnPostLockAsync(Guid id, bool locked, CancellationToken cancellationToken) =>
        await AfterAsync(await accounts.SetLockedAsync(id, locked, Guid.Parse(users.GetUserId(User)!), Actors.Of(User), cancellationToken), cancellationToken);

    public async Task<IActionResult> OnPostListAsync(string kind, string key, string reason, CancellationToken cancellationToken)
    {
        var (_, problem) = kind == BlacklistService.Account
            ? await blacklist.ListAccountAsync(key ?? "", reason ?? "", Actors.Of(User), cancellationToken)
            : await blacklist.ListOrganisationAsync(key ?? "", reason ?? "", Actors.Of(User), cancellationToken);
        return await AfterAsync(problem, cancellationToken);
    }

    public async Task<IActionResult> OnPostUnlistAsync(Guid id, CancellationToken cancellationToken) =>
        await AfterAsync(await blacklist.RemoveAsync(id, Actors.Of(User), cancellationToken) ? null : "No such entry, or it was already removed.", cancellationToken);

    private async Task<IActionResult> AfterAsync(string? problem, CancellationToken cancellationToken)
    {
        if (problem is null)
        {
            return RedirectToPage();
        }
        Problems = [problem];
        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Accounts = await accounts.ListAsync(cancellationToken);
        Blacklist = await blacklist.ListAsync(cancellationToken);
        Keys = new KeysInUse(
            $"{keys.CurrentEncryptionKeyId} ({keys.EncryptionKeys[keys.CurrentEncryptionKeyId].Algorithm.Name()})", keys.EncryptionKeys.Count,
            $"{keys.CurrentIndexKeyId} ({keys.CurrentIndexKey.Algorithm.Tag()})", keys.IndexKeys.Count,
            [.. checkpoints.Verifiers.Select(k => $"{k.KeyId} ({k.Algorithm}){(checkpoints.Signer?.KeyId == k.KeyId ? " ✍" : "")}")]);
    }
}
