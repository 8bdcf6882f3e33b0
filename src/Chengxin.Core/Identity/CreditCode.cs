namespace Chengxin.Identity;

/// <summary>
/// The 18-character unified social credit code of GB 32100-2015: registration authority (1),
/// organisation category (1), administrative division (6), organisation code (9) and a MOD 31
/// check character. The character set leaves out I, O, S, V and Z.
/// </summary>
public static class CreditCode
{
    public const int Length = 18;
    public const string Alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static readonly int[] Weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

    /// <summary>Registration authorities and the organisation categories each may register (GB 32100 table 1).</summary>
    private static readonly Dictionary<char, string> Categories = new()
    {
        ['1'] = "1239", // institutional staffing: organs, public institutions, mass organisations, other
        ['2'] = "19", // foreign affairs
        ['3'] = "1234569", // justice: law firms, notaries, legal service offices, forensic institutions, arbitration
        ['4'] = "19", // culture
        ['5'] = "1239", // civil affairs: social organisations, private non-enterprise units, foundations
        ['6'] = "129", // tourism
        ['7'] = "129", // religious affairs
        ['8'] = "19", // trade unions
        ['9'] = "123", // market regulation: enterprises, individual businesses, farmers' cooperatives
        ['A'] = "19", // military staffing
        ['N'] = "1239", // agriculture: rural collective economic organisations
        ['Y'] = "1", // other
    };

    public static IdentityCheck Check(string? input)
    {
        var raw = input ?? "";
        var value = raw.Trim().ToUpperInvariant();
        if (value.Length != Length)
        {
            return IdentityCheck.Invalid(raw, "length", $"A unified social credit code has 18 characters; this one has {value.Length}.");
        }
        for (var i = 0; i < Length; i++)
        {
            if (Alphabet.IndexOf(value[i], StringComparison.Ordinal) < 0)
            {
                return IdentityCheck.Invalid(raw, "characters", $"Character {i + 1} is '{value[i]}'; only digits and the letters {Alphabet[10..]} are used (no I, O, S, V, Z).");
            }
        }
        if (!Categories.TryGetValue(value[0], out var categories))
        {
            return IdentityCheck.Invalid(raw, "registration-authority", $"'{value[0]}' is not a registration authority code of GB 32100.");
        }
        if (!categories.Contains(value[1], StringComparison.Ordinal))
        {
            return IdentityCheck.Invalid(raw, "category", $"'{value[1]}' is not an organisation category of registration authority '{value[0]}'.");
        }
        var division = value.Substring(2, 6);
        if (!division.All(char.IsAsciiDigit) || (division != "100000" && !DivisionCodes.Contains(division)))
        {
            return IdentityCheck.Invalid(raw, "division", $"{division} is not an administrative division code of GB/T 2260.");
        }
        var expected = CheckCharacter(value.AsSpan(0, 17));
        if (value[17] != expected)
        {
            return IdentityCheck.Invalid(raw, "checksum", $"The check character is {value[17]}, but the first 17 characters give {expected} (MOD 31).");
        }
        return IdentityCheck.Valid(raw, value);
    }

    public static char CheckCharacter(ReadOnlySpan<char> first17)
    {
        if (first17.Length != 17)
        {
            throw new ArgumentException("Exactly 17 characters are needed.", nameof(first17));
        }
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            sum += Alphabet.IndexOf(first17[i]) * Weights[i];
        }
        var check = 31 - (sum % 31);
        return Alphabet[check == 31 ? 0 : check];
    }
}
