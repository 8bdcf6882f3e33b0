using System.IO.Compression;
using System.Text;
using K4os.Compression.LZ4;

namespace Chengxin.Reports;

/// <summary>
/// A report's content as it is stored, inside its ciphertext: the JSON compressed behind a one-byte mark.
/// Compressed, ten records' content (about 5.7 KB of JSON) takes about 2 KB, which the Reports table keeps in its
/// row on PostgreSQL (its toast_tuple_target, <see cref="Data.ChengxinDb"/>) instead of writing TOAST rows and index
/// entries with every report issued. Compression comes before encryption,
/// as it must. Reports are compressed with LZ4 (mark 2): Brotli (mark 1, still read) allocated and cleared
/// more than half a megabyte of native memory per report, a fifth of the issuing thread's time under load.
/// Reports issued before either mark existed are plain JSON, and read.
/// </summary>
public static class ReportContentCodec
{
    private const byte BrotliMark = 1;
    private const byte Lz4Mark = 2;

    /// <summary>The most <see cref="Pack"/> writes for this much JSON.</summary>
    public static int MaximumPackedLength(int jsonLength) => 1 + sizeof(int) + LZ4Codec.MaximumOutputSize(jsonLength);

    /// <summary>Packs into <paramref name="destination"/> (at least <see cref="MaximumPackedLength"/>) and says how much it wrote.</summary>
    public static int Pack(ReadOnlySpan<byte> json, Span<byte> destination)
    {
        // The mark, the JSON's length (LZ4 blocks do not carry it), then the block.
        destination[0] = Lz4Mark;
        BitConverter.TryWriteBytes(destination.Slice(1, sizeof(int)), json.Length);
        var written = LZ4Codec.Encode(json, destination[(1 + sizeof(int))..], LZ4Level.L00_FAST);
        return written > 0 ? 1 + sizeof(int) + written : throw new InvalidOperationException("A report's content could not be compressed.");
    }

    public static string Unpack(byte[] stored)
    {
        if (stored.Length > 1 + sizeof(int) && stored[0] == Lz4Mark)
        {
            var json = new byte[BitConverter.ToInt32(stored, 1)];
            var read = LZ4Codec.Decode(stored.AsSpan(1 + sizeof(int)), json);
            return read == json.Length ? Encoding.UTF8.GetString(json) : throw new InvalidDataException("A stored report's content is damaged.");
        }
        if (stored.Length == 0 || stored[0] != BrotliMark)
        {
            return Encoding.UTF8.GetString(stored);
        }
        using var input = new MemoryStream(stored, 1, stored.Length - 1);
        using var brotli = new BrotliStream(input, CompressionMode.Decompress);
        using var reader = new StreamReader(brotli, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
