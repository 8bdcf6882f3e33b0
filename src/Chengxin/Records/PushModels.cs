using System.Text.Json;
using Chengxin.Records;
using Chengxin.Subjects;

namespace Chengxin.Records;

/// <summary>The body of <c>POST /api/v1/records</c> (EXCHANGE.md): at most 1,000 items.</summary>
public sealed record PushRequest(IReadOnlyList<PushItem> Records);

/// <summary>One record as a provider pushes it.</summary>
public sealed record PushItem(string SourceId, string CatalogItem, SubjectInput Subject, DateOnly OccurredOn, JsonElement Fields);

/// <summary>The outcome for one item, in the order of the batch.</summary>
public sealed record PushResult(int Index, string? SourceId, string Status, Guid? RecordId = null, IReadOnlyList<FieldError>? Errors = null)
{
    public const string Created = "created";
    public const string Updated = "updated";
    public const string Unchanged = "unchanged";
    public const string Rejected = "rejected";
}

public sealed record PushResponse(int Accepted, int Rejected, IReadOnlyList<PushResult> Results);

/// <summary>A record as it arrives, by API or from a file row, before any check: what could be read and what could not.</summary>
public sealed record IncomingRecord(
    int Index,
    string? SourceId,
    string? CatalogItem,
    SubjectInput? Subject,
    DateOnly? OccurredOn,
    JsonElement Fields,
    IReadOnlyList<FieldError> ReadErrors)
{
    public const int MaxSourceIdLength = 128;

    /// <summary>Reads one item of a pushed batch, field by field, so one bad member does not hide the others.</summary>
    public static IncomingRecord Read(int index, JsonElement item)
    {
        var errors = new List<FieldError>();
        if (item.ValueKind != JsonValueKind.Object)
        {
            return new(index, null, null, null, null, default, [new("", "type", "Each record must be a JSON object.")]);
        }
        // Valid JSON can still spell text that is not Unicode (an escaped unpaired surrogate): such an item is refused as it is, unread.
        if (InvalidText(item, "") is { Count: > 0 } invalid)
        {
            var id = item.TryGetProperty("sourceId", out var given) && given.ValueKind == JsonValueKind.String && JsonText.IsText(given) ? given.GetString() : null;
            return new(index, id, null, null, null, default, invalid);
        }
        var sourceId = Text(item, "sourceId", errors);
        if (sourceId is { Length: > MaxSourceIdLength })
        {
            errors.Add(new("sourceId", "max-length", $"sourceId has {sourceId.Length} characters; at most {MaxSourceIdLength} are allowed."));
        }
        var catalogItem = Text(item, "catalogItem", errors);
        SubjectInput? subject = null;
        if (item.TryGetProperty("subject", out var s) && s.ValueKind == JsonValueKind.Object)
        {
            subject = new SubjectInput(Optional(s, "idType"), Optional(s, "idNumber"), Optional(s, "name"));
        }
        else
        {
            errors.Add(new("subject", s.ValueKind == JsonValueKind.Undefined ? "required" : "type", "subject must be an object { idType, idNumber, name }."));
        }
        DateOnly? occurredOn = null;
        if (item.TryGetProperty("occurredOn", out var o) && o.ValueKind == JsonValueKind.String)
        {
            if (RecordChecks.TryParseDate(o.GetString(), out var date))
            {
                occurredOn = date;
            }
            else
            {
                errors.Add(new("occurredOn", "type", "occurredOn must be a date (yyyy-MM-dd)."));
            }
        }
        else if (o.ValueKind != JsonValueKind.Undefined)
        {
            errors.Add(new("occurredOn", "type", "occurredOn must be a date (yyyy-MM-dd)."));
        }
        item.TryGetProperty("fields", out var fields);
        return new(index, sourceId, catalogItem, subject, occurredOn, fields.ValueKind == JsonValueKind.Undefined ? default : fields.Clone(), errors);
    }

    /// <summary>The strings and member names under an element that are not Unicode text, each named by its path.</summary>
    private static List<FieldError> InvalidText(JsonElement element, string path, List<FieldError>? found = null)
    {
        found ??= [];
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (!JsonText.IsText(property))
                    {
                        found.Add(new(path, "encoding", $"A member name in {(path.Length == 0 ? "the record" : path)} is not valid Unicode text (an unpaired surrogate); send text as UTF-8."));
                        continue;
                    }
                    InvalidText(property.Value, path.Length == 0 ? property.Name : $"{path}.{property.Name}", found);
                }
                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var value in element.EnumerateArray())
                {
                    InvalidText(value, $"{path}[{i++}]", found);
                }
                break;
            case JsonValueKind.String when !JsonText.IsText(element):
                found.Add(new(path, "encoding", $"{path} is not valid Unicode text (an unpaired surrogate, or bytes that are not UTF-8); send text as UTF-8."));
                break;
        }
        return found;
    }

    private static string? Text(JsonElement item, string name, List<FieldError> errors)
    {
        if (!item.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            errors.Add(new(name, "required", $"{name} is required."));
            return null;
        }
        if (value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetString()))
        {
            errors.Add(new(name, "type", $"{name} must be a non-empty string."));
            return null;
        }
        return value.GetString()!.Trim();
    }

    private static string? Optional(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
