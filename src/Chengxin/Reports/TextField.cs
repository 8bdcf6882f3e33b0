namespace Chengxin.Reports;

/// <summary>A required text field of a request, checked so the message says which rule it broke: missing, or too long.</summary>
public static class TextField
{
    /// <param name="meaning">What the field is for, said after the rule.</param>
    /// <returns>The message, or null when the value is present and fits.</returns>
    public static string? Problem(string field, string? value, int maxLength, string meaning) =>
        string.IsNullOrWhiteSpace(value) ? $"{field} is required: {meaning}."
        : value.Trim().Length > maxLength ? $"{field} has {value.Trim().Length} characters, at most {maxLength} are allowed: {meaning}."
        : null;
}
