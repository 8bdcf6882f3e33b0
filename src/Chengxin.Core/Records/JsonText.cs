using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Chengxin.Records;

/// <summary>
/// Text in a JSON document as it was written. Without escapes, valid UTF-8 as written is the text itself, so the hot paths
/// (checks, canonical form) read it without making a string; with escapes only decoding tells what it spells.
/// </summary>
public static class JsonText
{
    /// <summary>A string value as written, without its quotes.</summary>
    public static ReadOnlySpan<byte> Raw(JsonElement value) => JsonMarshal.GetRawUtf8Value(value)[1..^1];

    /// <summary>Whether these bytes, as written, are the text: no escapes, and valid UTF-8.</summary>
    public static bool IsLiteral(ReadOnlySpan<byte> raw) => raw.IndexOf((byte)'\\') < 0 && System.Text.Unicode.Utf8.IsValid(raw);

    /// <summary>A member name that is its own UTF-8 and sorts as its characters do: ASCII, no escapes (as catalog field names are).</summary>
    public static bool IsPlainName(ReadOnlySpan<byte> raw) => Ascii.IsValid(raw) && raw.IndexOf((byte)'\\') < 0;

    /// <summary>Whether a string value spells Unicode text (an escaped unpaired surrogate does not).</summary>
    public static bool IsText(JsonElement value) => IsText(Raw(value), () => value.GetString());

    /// <summary>Whether a member name spells Unicode text.</summary>
    public static bool IsText(JsonProperty property) => IsText(JsonMarshal.GetRawUtf8PropertyName(property), () => property.Name);

    private static bool IsText(ReadOnlySpan<byte> raw, Func<string?> decode)
    {
        if (raw.IndexOf((byte)'\\') < 0)
        {
            return System.Text.Unicode.Utf8.IsValid(raw);
        }
        try
        {
            decode();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
