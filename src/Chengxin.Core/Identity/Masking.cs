using System.Globalization;

namespace Chengxin.Identity;

/// <summary>How identifiers and names appear anywhere outside the subject's own view.</summary>
public static class Masking
{
    /// <summary><c>430102********1234</c>: the division and the last four characters stay.</summary>
    public static string IdNumber(string number) => number.Length switch
    {
        >= 18 => string.Concat(number.AsSpan(0, 6), new string('*', number.Length - 10), number.AsSpan(number.Length - 4)),
        > 4 => string.Concat(new string('*', number.Length - 4), number.AsSpan(number.Length - 4)),
        _ => new string('*', number.Length),
    };

    /// <summary><c>张*</c>, <c>欧***</c>: the first character stays, counted as a reader sees it (rare characters take two UTF-16 units).</summary>
    public static string Name(string name)
    {
        var characters = new StringInfo(name);
        return characters.LengthInTextElements <= 1
            ? "*"
            : characters.SubstringByTextElements(0, 1) + new string('*', characters.LengthInTextElements - 1);
    }
}
