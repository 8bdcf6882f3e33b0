using System.Globalization;

namespace Chengxin.Identity;

/// <summary>
/// The 18-character citizen identification number of GB 11643-1999: a 6-digit administrative division
/// code, an 8-digit birth date, a 3-digit sequence (odd for men, even for women) and an ISO 7064
/// MOD 11-2 check character.
/// </summary>
public static class ResidentIdNumber
{
    public const int Length = 18;
    private const string CheckCharacters = "10X98765432";
    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

    /// <summary>Checks a number against the standard; <paramref name="today"/> bounds the birth date.</summary>
    public static IdentityCheck Check(string? input, DateOnly today)
    {
        var raw = input ?? "";
        var value = raw.Trim().ToUpperInvariant();
        if (value.Length != Length)
        {
            return IdentityCheck.Invalid(raw, "length", $"A resident ID number has 18 characters; this one has {value.Length}.");
        }
        for (var i = 0; i < 17; i++)
        {
            if (!char.IsAsciiDigit(value[i]))
            {
                return IdentityCheck.Invalid(raw, "characters", $"Character {i + 1} is '{value[i]}'; the first 17 characters must be digits.");
            }
        }
        if (!char.IsAsciiDigit(value[17]) && value[17] != 'X')
        {
            return IdentityCheck.Invalid(raw, "characters", $"The check character is '{value[17]}'; it must be a digit or X.");
        }

        var division = value[..6];
        if (!DivisionCodes.Contains(division))
        {
            return IdentityCheck.Invalid(raw, "division", $"{division} is not an administrative division code of GB/T 2260, current or former.");
        }

        if (!DateOnly.TryParseExact(value.AsSpan(6, 8), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var birth))
        {
            return IdentityCheck.Invalid(raw, "birth-date", $"{value.Substring(6, 8)} is not a calendar date (yyyyMMdd).");
        }
        if (birth > today)
        {
            return IdentityCheck.Invalid(raw, "birth-date", $"The birth date {birth:yyyy-MM-dd} is in the future.");
        }
        if (birth.Year < 1880)
        {
            return IdentityCheck.Invalid(raw, "birth-date", $"The birth date {birth:yyyy-MM-dd} is before 1880.");
        }

        if (value.AsSpan(14, 3) is "000")
        {
            return IdentityCheck.Invalid(raw, "sequence", "The sequence code 000 is never assigned.");
        }

        var expected = CheckCharacter(value.AsSpan(0, 17));
        if (value[17] != expected)
        {
            return IdentityCheck.Invalid(raw, "checksum", $"The check character is {value[17]}, but the first 17 digits give {expected} (ISO 7064 MOD 11-2).");
        }
        return IdentityCheck.Valid(raw, value);
    }

    /// <summary>The ISO 7064 MOD 11-2 check character of the first 17 digits.</summary>
    public static char CheckCharacter(ReadOnlySpan<char> first17)
    {
        if (first17.Length != 17)
        {
            throw new ArgumentException("Exactly 17 digits are needed.", nameof(first17));
        }
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            sum += (first17[i] - '0') * Weights[i];
        }
        return CheckCharacters[sum % 11];
    }

    /// <summary>Builds a valid number from its parts (used for synthetic demo and test data).</summary>
    public static string Compose(string division, DateOnly birth, int sequence)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sequence, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sequence, 999);
        var first17 = string.Create(CultureInfo.InvariantCulture, $"{division}{birth:yyyyMMdd}{sequence:000}");
        return first17 + CheckCharacter(first17);
    }

    /// <summary>The birth date of a number already known to be valid.</summary>
    public static DateOnly BirthDate(string valid) =>
        DateOnly.ParseExact(valid.AsSpan(6, 8), "yyyyMMdd", CultureInfo.InvariantCulture);
}
