namespace Chengxin.Records;

/// <summary>Why one part of a pushed record was refused: the field's path, a stable code and a precise message.</summary>
public sealed record FieldError(string Field, string Code, string Message);
