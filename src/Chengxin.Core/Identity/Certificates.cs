using System.Globalization;
using System.Text.RegularExpressions;

namespace Chengxin.Identity;

/// <summary>Checks and normalises a subject's certificate number according to its type.</summary>
public static partial class Certificates
{
    public static IdentityCheck Check(IdType type, string? input, DateOnly today) => type switch
    {
        IdType.ResidentId => ResidentIdNumber.Check(input, today),
        IdType.HkMacaoPermit => Match(input, HkMacaoPermit(), "An exit-entry permit for Hong Kong and Macao residents is H or M followed by 8 or 10 digits."),
        IdType.TaiwanPermit => Match(input, TaiwanPermit(), "A mainland travel permit for Taiwan residents has 8 digits (or 10 on the older booklet)."),
        IdType.ForeignPermanentResident => ForeignPermanentResident(input),
        IdType.Passport => Match(input, Passport(), "A passport number has 5 to 17 letters and digits."),
    };

    private static IdentityCheck Match(string? input, Regex format, string rule)
    {
        var raw = input ?? "";
        var value = Normalise(raw);
        if (value.Length == 0)
        {
            return IdentityCheck.Invalid(raw, "length", "The number is empty.");
        }
        return format.IsMatch(value) ? IdentityCheck.Valid(raw, value) : IdentityCheck.Invalid(raw, "format", rule);
    }

    /// <summary>
    /// The 2017 card has 15 characters (3-letter nationality, 12 digits); the 2023 card has 18, starts
    /// with 9 and ends with an ISO 7064 MOD 11-2 check character like a resident ID number.
    /// </summary>
    private static IdentityCheck ForeignPermanentResident(string? input)
    {
        var raw = input ?? "";
        var value = Normalise(raw);
        if (OldPermanentResidence().IsMatch(value))
        {
            return IdentityCheck.Valid(raw, value);
        }
        if (value.Length == 18 && value[0] == '9' && value.AsSpan(0, 17).IndexOfAnyExceptInRange('0', '9') < 0)
        {
            var expected = ResidentIdNumber.CheckCharacter(value.AsSpan(0, 17));
            return value[17] == expected
                ? IdentityCheck.Valid(raw, value)
                : IdentityCheck.Invalid(raw, "checksum", string.Create(CultureInfo.InvariantCulture, $"The check character is {value[17]}, but the first 17 digits give {expected} (ISO 7064 MOD 11-2)."));
        }
        return IdentityCheck.Invalid(raw, "format", "A foreign permanent resident ID card number has 15 characters (3 letters, 12 digits) or 18 (starting with 9).");
    }

    private static string Normalise(string raw) => raw.Replace(" ", "", StringComparison.Ordinal).Trim().ToUpperInvariant();

    [GeneratedRegex("^[HM][0-9]{8}([0-9]{2})?$")]
    private static partial Regex HkMacaoPermit();

    [GeneratedRegex("^[0-9]{8}([0-9]{2})?$")]
    private static partial Regex TaiwanPermit();

    [GeneratedRegex("^[A-Z]{3}[0-9]{12}$")]
    private static partial Regex OldPermanentResidence();

    [GeneratedRegex("^[A-Z0-9]{5,17}$")]
    private static partial Regex Passport();
}
