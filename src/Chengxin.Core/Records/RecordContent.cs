using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Chengxin.Records;

/// <summary>
/// The content of a record version as canonical JSON (object members sorted, no insignificant
/// whitespace), and its SHA-256: the same content always gives the same digest, so a retried push is
/// recognised as unchanged.
/// </summary>
public static class RecordContent
{
    public static string Canonical(JsonElement element)
    {
        // Every pushed item is canonicalised: a buffer and writer kept per thread spare the collector a thousand of each per batch.
        var buffer = _buffer ??= new ArrayBufferWriter<byte>(1024);
        var writer = _writer ??= new Utf8JsonWriter(buffer);
        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        Write(writer, element);
        writer.Flush();
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? _buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? _writer;

    public static string Digest(string itemCode, DateOnly occurredOn, string canonicalFields) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"chengxin/record/v1\n{itemCode}\n{occurredOn:yyyy-MM-dd}\n{canonicalFields}")));

    private static void Write(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                // Sorted by name, then by position, so a name given twice still writes the same way every time.
                var members = new (string Name, int Position, JsonElement Value)[element.GetPropertyCount()];
                var count = 0;
                foreach (var property in element.EnumerateObject())
                {
                    members[count] = (property.Name, count, property.Value);
                    count++;
                }
                Array.Sort(members, static (a, b) => string.CompareOrdinal(a.Name, b.Name) is var byName and not 0 ? byName : a.Position.CompareTo(b.Position));
                writer.WriteStartObject();
                foreach (var (name, _, value) in members)
                {
                    writer.WritePropertyName(name);
                    Write(writer, value);
                }
                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    Write(writer, item);
                }
                writer.WriteEndArray();
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }
}
