using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json;
using Chengxin.Catalog;
using Chengxin.Identity;

namespace Chengxin.Records;

/// <summary>What the checks know about the subject of a record, when its identity tells it.</summary>
public sealed record SubjectFacts(DateOnly? BirthDate);

/// <summary>
/// The checks every pushed or imported record passes before anything is stored: the item has a legal
/// basis; no prohibited data; the fields match the item's schema (types, required, enumerations,
/// lengths); dates are plausible (not in the future, not before the subject's birth).
/// </summary>
public static class RecordChecks
{
    public const int DefaultStringLength = 500;
    public const string OrganisationCodeField = "organisationCode";
    public const int DefaultTextLength = 4000;
    private static readonly DateOnly Earliest = new(1900, 1, 1);

    public static List<FieldError> Check(CatalogItem item, DateOnly? occurredOn, JsonElement fields, SubjectFacts subject, DateOnly today)
    {
        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(item.LegalBasis?.Zh))
        {
            errors.Add(new("catalogItem", "no-legal-basis", $"Catalog item {item.Code} has no legal basis; nothing is collected under it."));
            return errors;
        }
        if (occurredOn is not { } date)
        {
            errors.Add(new("occurredOn", "required", "occurredOn is required (yyyy-MM-dd)."));
        }
        else
        {
            CheckDate("occurredOn", date, subject, today, errors);
        }
        if (fields.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new("fields", "type", "fields must be an object of the catalog item's fields."));
            return errors;
        }

        var schema = SchemaOf(item);
        // Whether each required field was given, and not null; a name given twice counts by its last value, as a lookup by name reads it.
        Span<bool> given = stackalloc bool[schema.Required.Length];
        foreach (var property in fields.EnumerateObject())
        {
            // The catalog's own fields are checked against the prohibited list when the catalog is loaded.
            if (schema.TryFind(property, out var known))
            {
                CheckValue(known.Field, known.Path, property.Value, subject, today, errors);
                if (known.RequiredSlot >= 0)
                {
                    given[known.RequiredSlot] = property.Value.ValueKind != JsonValueKind.Null;
                }
            }
            else if (ProhibitedData.IsProhibitedFieldName(property.Name))
            {
                errors.Add(new("fields." + property.Name, "prohibited-data", "This is data that may never be collected (religion, genes, biometrics, blood type, disease, medical history); the record is refused and nothing of it is kept."));
            }
            else
            {
                errors.Add(new("fields." + property.Name, "unknown-field", $"{item.Code} has no field {property.Name}; its fields are {string.Join(", ", schema.ByName.Keys)}."));
            }
        }
        for (var slot = 0; slot < schema.Required.Length; slot++)
        {
            if (!given[slot])
            {
                var field = schema.Required[slot];
                errors.Add(new("fields." + field.Name, "required", $"{field.Name} is required by {item.Code}."));
            }
        }
        return errors;
    }

    /// <summary>An item's fields by name, with their error paths, and its required fields: made once per catalog item, not per record.</summary>
    private sealed record Schema(Dictionary<string, (CatalogField Field, string Path, int RequiredSlot)> ByName, CatalogField[] Required)
    {
        private readonly Dictionary<string, (CatalogField Field, string Path, int RequiredSlot)>.AlternateLookup<ReadOnlySpan<char>> _bySpan =
            ByName.GetAlternateLookup<ReadOnlySpan<char>>();

        /// <summary>A field by its name as written, without making a string of it: every property of every record is looked up.</summary>
        public bool TryFind(JsonProperty property, out (CatalogField Field, string Path, int RequiredSlot) known)
        {
            var raw = JsonMarshal.GetRawUtf8PropertyName(property);
            if (raw.Length <= 128 && JsonText.IsPlainName(raw))
            {
                Span<char> name = stackalloc char[raw.Length];
                System.Text.Ascii.ToUtf16(raw, name, out _);
                return _bySpan.TryGetValue(name, out known);
            }
            return ByName.TryGetValue(property.Name, out known);
        }
    }

    private static readonly ConditionalWeakTable<CatalogItem, Schema> Schemas = [];

    private static Schema SchemaOf(CatalogItem item) => Schemas.GetValue(item, static item =>
    {
        var required = item.Fields.Where(f => f.Required).ToArray();
        return new Schema(
            item.Fields.ToDictionary(f => f.Name, f => (f, "fields." + f.Name, Array.IndexOf(required, f)), StringComparer.Ordinal),
            required);
    });

    /// <summary>The severity grade a record declares in its <c>severity</c> field, if the item is graded.</summary>
    public static string? Grade(CatalogItem item, JsonElement fields) =>
        item.SeverityGrades.Count > 0 && fields.ValueKind == JsonValueKind.Object
        && fields.TryGetProperty("severity", out var severity) && severity.ValueKind == JsonValueKind.String
        && item.SeverityGrades.Contains(severity.GetString()!) ? severity.GetString() : null;

    private static void CheckValue(CatalogField field, string path, JsonElement value, SubjectFacts subject, DateOnly today, List<FieldError> errors)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return; // absence is judged by "required"
        }
        switch (field.Type)
        {
            case FieldType.String or FieldType.Text:
                if (value.ValueKind != JsonValueKind.String)
                {
                    errors.Add(new(path, "type", $"{field.Name} must be a string."));
                    return;
                }
                var max = field.MaxLength ?? (field.Type == FieldType.Text ? DefaultTextLength : DefaultStringLength);
                var (length, blank) = Measure(value);
                if (length > max)
                {
                    errors.Add(new(path, "max-length", $"{field.Name} has {length} characters; at most {max} are allowed."));
                }
                else if (field.Required && blank)
                {
                    errors.Add(new(path, "required", $"{field.Name} must not be empty."));
                }
                // An organisation is named by its unified social credit code, checked like any identity.
                else if (field.Name == OrganisationCodeField && CreditCode.Check(value.GetString()!) is { IsValid: false, Error: { } invalid })
                {
                    errors.Add(new(path, invalid.Code, $"{field.Name}: {invalid.Message}"));
                }
                break;
            case FieldType.Enum:
                if (value.ValueKind != JsonValueKind.String || !IsOneOf(value, field.Values ?? []))
                {
                    errors.Add(new(path, "enum", $"{field.Name} must be one of {string.Join(", ", field.Values ?? [])}."));
                }
                break;
            case FieldType.Integer:
                if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var whole))
                {
                    errors.Add(new(path, "type", $"{field.Name} must be a whole number."));
                    return;
                }
                CheckRange(field, path, whole, errors);
                break;
            case FieldType.Decimal:
                if (value.ValueKind != JsonValueKind.Number || !value.TryGetDecimal(out var number))
                {
                    errors.Add(new(path, "type", $"{field.Name} must be a number."));
                    return;
                }
                CheckRange(field, path, number, errors);
                break;
            case FieldType.Boolean:
                if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                {
                    errors.Add(new(path, "type", $"{field.Name} must be true or false."));
                }
                break;
            case FieldType.Date:
                if (value.ValueKind != JsonValueKind.String || !TryParseDate(value.GetString(), out var date))
                {
                    errors.Add(new(path, "type", $"{field.Name} must be a date (yyyy-MM-dd)."));
                    return;
                }
                // Validity ends and periods may lie ahead; dates of acts may not.
                if (!IsForwardLooking(field.Name))
                {
                    CheckDate(path, date, subject, today, errors);
                }
                else if (date < Earliest)
                {
                    errors.Add(new(path, "implausible-date", $"{field.Name} {date:yyyy-MM-dd} is before 1900."));
                }
                break;
        }
    }

    /// <summary>The catalog's bounds for a number: an amount below zero, or a star level of 9, is a provider's mistake.</summary>
    private static void CheckRange(CatalogField field, string path, decimal value, List<FieldError> errors)
    {
        if (value < field.Minimum || value > field.Maximum)
        {
            var bounds = (field.Minimum, field.Maximum) switch
            {
                ({ } min, { } max) => $"from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}",
                ({ } min, null) => $"at least {min.ToString(CultureInfo.InvariantCulture)}",
                (_, var max) => $"at most {max?.ToString(CultureInfo.InvariantCulture)}",
            };
            errors.Add(new(path, "out-of-range", $"{field.Name} must be {bounds}; {value.ToString(CultureInfo.InvariantCulture)} is not."));
        }
    }

    /// <summary>
    /// A string's length in UTF-16 characters, as <see cref="string.Length"/> counts it, and whether it is blank; read from the
    /// UTF-8 as written when it has no escapes, so that checking a record does not copy each of its strings.
    /// </summary>
    private static (int Length, bool Blank) Measure(JsonElement value)
    {
        var raw = JsonText.Raw(value);
        if (!JsonText.IsLiteral(raw))
        {
            var text = value.GetString()!;
            return (text.Length, string.IsNullOrWhiteSpace(text));
        }
        return (System.Text.Encoding.UTF8.GetCharCount(raw), OnlyWhitespace(raw));
    }

    private static bool OnlyWhitespace(ReadOnlySpan<byte> utf8)
    {
        while (!utf8.IsEmpty)
        {
            System.Text.Rune.DecodeFromUtf8(utf8, out var rune, out var consumed);
            if (!System.Text.Rune.IsWhiteSpace(rune))
            {
                return false;
            }
            utf8 = utf8[consumed..];
        }
        return true;
    }

    private static bool IsOneOf(JsonElement value, IReadOnlyList<string> allowed)
    {
        if (!System.Text.Unicode.Utf8.IsValid(JsonText.Raw(value)))
        {
            return allowed.Contains(value.GetString()!);
        }
        foreach (var candidate in allowed)
        {
            if (value.ValueEquals(candidate))
            {
                return true;
            }
        }
        return false;
    }

    public static bool TryParseDate(string? text, out DateOnly date) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    private static bool IsForwardLooking(string fieldName) =>
        fieldName.EndsWith("Until", StringComparison.Ordinal) || fieldName.StartsWith("valid", StringComparison.Ordinal)
        || fieldName.EndsWith("Expires", StringComparison.Ordinal) || fieldName.EndsWith("ExpiresOn", StringComparison.Ordinal);

    private static void CheckDate(string path, DateOnly date, SubjectFacts subject, DateOnly today, List<FieldError> errors)
    {
        if (date > today)
        {
            errors.Add(new(path, "future-date", $"{date:yyyy-MM-dd} is in the future."));
        }
        else if (subject.BirthDate is { } birth && date < birth)
        {
            errors.Add(new(path, "before-birth", $"{date:yyyy-MM-dd} is before the subject was born."));
        }
        else if (date < Earliest)
        {
            errors.Add(new(path, "implausible-date", $"{date:yyyy-MM-dd} is before 1900."));
        }
    }
}
