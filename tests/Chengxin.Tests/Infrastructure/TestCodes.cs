using System.Globalization;
using Chengxin.Identity;

namespace Chengxin.Tests.Infrastructure;

/// <summary>Fresh valid identifiers, so every test makes its own data.</summary>
public static class TestCodes
{
    private static int _counter = Random.Shared.Next(1_000_000);

    /// <summary>A valid unified social credit code of a Changsha enterprise that no other test uses.</summary>
    public static string NewCreditCode()
    {
        var n = Interlocked.Increment(ref _counter);
        var first17 = string.Create(CultureInfo.InvariantCulture, $"91430100{n:D9}");
        return first17 + CreditCode.CheckCharacter(first17);
    }

    /// <summary>A valid resident ID number of a Changsha Furong district resident.</summary>
    public static string NewResidentId(DateOnly? birth = null)
    {
        var n = Interlocked.Increment(ref _counter);
        return ResidentIdNumber.Compose("430102", birth ?? new DateOnly(1980 + (n % 30), 1 + (n % 12), 1 + (n % 28)), 1 + (n % 999));
    }
}
