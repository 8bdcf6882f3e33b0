namespace Chengxin.Identity;

/// <summary>Why an identifier was refused: a stable code for machines and a precise message for people.</summary>
public sealed record IdentityError(string Code, string Message);

/// <summary>The outcome of checking an identifier: the normalised value when valid, the reason when not.</summary>
public sealed record IdentityCheck(string Input, string? Normalised, IdentityError? Error)
{
    public bool IsValid => Error is null;

    public static IdentityCheck Valid(string input, string normalised) => new(input, normalised, null);

    public static IdentityCheck Invalid(string input, string code, string message) => new(input, null, new IdentityError(code, message));
}
