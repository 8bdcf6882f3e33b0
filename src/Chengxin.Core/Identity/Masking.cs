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

    /// <summary><c>张*</c>, <c>欧阳**</c>: the first character stays.</summary>
    public static string Name(string name) =>
        name.Length <= 1 ? "*" : string.Concat(name.AsSpan(0, 1), new string('*', name.Length - 1));
}
