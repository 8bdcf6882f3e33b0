using Chengxin.Data;
using Microsoft.AspNetCore.Identity;

namespace Chengxin.Accounts;

/// <summary>
/// Refuses passwords that are long but guessable (NIST SP 800-63B 5.1.1.2): well-known ones, one
/// character repeated, runs of digits or keyboard rows, and passwords containing the account's e-mail name.
/// </summary>
public sealed class CommonPasswords : IPasswordValidator<PortalUser>
{
    // Frequent in published password leaks, Chinese ones included, at the platform's minimum length and over.
    private static readonly HashSet<string> Known = new(StringComparer.OrdinalIgnoreCase)
    {
        "123456789012", "1234567890123", "12345678901234", "123456789abc", "123456abcdef", "1234567890qwe", "qwertyuiop12",
        "qwertyuiopasdf", "qwerty123456", "qwe123456789", "qweasdzxc123", "1qaz2wsx3edc", "1q2w3e4r5t6y", "zaq12wsxcde3",
        "password1234", "password12345", "passw0rd1234", "password123!", "administrator", "admin1234567", "admin@123456",
        "iloveyou1234", "woaini1314520", "woaini5201314", "5201314woaini", "woaini123456", "wodemima1234", "zhang123456789",
        "aa123456789a", "a1234567890a", "abc123456789", "abcdefghijkl", "abcd12345678", "asdfghjkl123", "1234qwerasdf",
        "147258369147", "159357159357", "741852963741", "000000000000", "111111111111", "888888888888", "666666666666",
        "chengxin1234", "chengxin123456", "xinyong123456", "credit123456", "changsha123456", "hunan1234567",
    };

    private static readonly string[] Runs = ["0123456789", "qwertyuiop", "asdfghjkl", "zxcvbnm", "qwertyuiopasdfghjklzxcvbnm", "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p", "abcdefghijklmnopqrstuvwxyz"];

    public Task<IdentityResult> ValidateAsync(UserManager<PortalUser> manager, PortalUser user, string? password)
    {
        var lower = (password ?? "").ToLowerInvariant();
        var local = (user.Email ?? "").Split('@')[0].ToLowerInvariant();
        var guessable = Known.Contains(lower)
            || lower.Distinct().Count() <= 2
            || Runs.Any(run => IsRun(lower, run))
            || (local.Length >= 4 && lower.Contains(local, StringComparison.Ordinal));
        return Task.FromResult(guessable
            ? IdentityResult.Failed(new IdentityError { Code = "common-password", Description = "This password is too easy to guess: it is a well-known one, a run of keys or digits, or contains your e-mail name." })
            : IdentityResult.Success);
    }

    // The whole password is a run of the row or sequence, forwards or backwards, possibly repeated.
    private static bool IsRun(string password, string run)
    {
        var doubled = run + run;
        var reversed = new string(doubled.Reverse().ToArray());
        return password.Length > 0 && (password.All(c => run.Contains(c, StringComparison.Ordinal))
            && (doubled.Contains(password, StringComparison.Ordinal) || reversed.Contains(password, StringComparison.Ordinal)));
    }
}
