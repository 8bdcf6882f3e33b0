using System.Buffers;
using System.Runtime.InteropServices;
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

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? _digestBuffer;

    /// <summary>SHA-256 of <c>chengxin/record/v1\n{item}\n{yyyy-MM-dd}\n{canonical fields}</c> in UTF-8, as lower-case hex.</summary>
    public static string Digest(string itemCode, DateOnly occurredOn, string canonicalFields)
    {
        // Encoded into a per-thread buffer: every pushed item is digested, and its fields can run to kilobytes.
        var buffer = _digestBuffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        Append(buffer, "chengxin/record/v1\n");
        Append(buffer, itemCode);
        Append(buffer, "\n");
        var date = buffer.GetSpan(11);
        occurredOn.TryFormat(date, out var written, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        date[written] = (byte)'\n';
        buffer.Advance(written + 1);
        Append(buffer, canonicalFields);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(buffer.WrittenSpan, hash);
        return Convert.ToHexStringLower(hash);
    }

    private static void Append(ArrayBufferWriter<byte> buffer, string text) =>
        buffer.Advance(Encoding.UTF8.GetBytes(text, buffer.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length))));

    /// <summary>
    /// Members sorted by name, then by position, so a name given twice still writes the same way every time. Names that are
    /// plain ASCII as written (as catalog field names are) are sorted and written as their UTF-8 bytes, which sort as their
    /// characters do, without making a string of each; any other name is compared as a string.
    /// </summary>
    private static void WriteObject(Utf8JsonWriter writer, JsonElement element)
    {
        var count = element.GetPropertyCount();
        var members = ArrayPool<(JsonProperty Property, int Position)>.Shared.Rent(count);
        try
        {
            var plain = true;
            var n = 0;
            foreach (var property in element.EnumerateObject())
            {
                members[n] = (property, n);
                n++;
                plain &= JsonText.IsPlainName(JsonMarshal.GetRawUtf8PropertyName(property));
            }
            var sorted = members.AsSpan(0, n);
            if (plain)
            {
                sorted.Sort(static (a, b) => JsonMarshal.GetRawUtf8PropertyName(a.Property).SequenceCompareTo(JsonMarshal.GetRawUtf8PropertyName(b.Property)) is var byName and not 0
                    ? byName : a.Position.CompareTo(b.Position));
            }
            else
            {
                sorted.Sort(static (a, b) => string.CompareOrdinal(a.Property.Name, b.Property.Name) is var byName and not 0 ? byName : a.Position.CompareTo(b.Position));
            }
            writer.WriteStartObject();
            foreach (var (property, _) in sorted)
            {
                if (plain)
                {
                    writer.WritePropertyName(JsonMarshal.GetRawUtf8PropertyName(property));
                }
                else
                {
                    writer.WritePropertyName(property.Name);
                }
                Write(writer, property.Value);
            }
            writer.WriteEndObject();
        }
        finally
        {
            ArrayPool<(JsonProperty, int)>.Shared.Return(members, clearArray: true);
        }
    }

    private static void Write(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                WriteObject(writer, element);
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
