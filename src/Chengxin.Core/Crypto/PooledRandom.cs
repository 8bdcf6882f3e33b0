using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Chengxin.Crypto;

/// <summary>
/// Cryptographically secure random bytes for values that are public once used (nonces, identifiers),
/// drawn from a per-thread buffer the system generator fills 4 KB at a time. Ingest makes several such
/// values per record; one system call or OpenSSL call each cost more than the encryption around them.
/// Never for key material: keys come straight from <see cref="RandomNumberGenerator"/>.
/// </summary>
public static class PooledRandom
{
    private const int BufferSize = 4096;

    [ThreadStatic]
    private static byte[]? _buffer;

    [ThreadStatic]
    private static int _next;

    /// <summary>Fills the destination with bytes no other caller is given.</summary>
    public static void Fill(Span<byte> destination)
    {
        if (destination.Length > BufferSize / 4)
        {
            RandomNumberGenerator.Fill(destination);
            return;
        }
        var buffer = _buffer;
        if (buffer is null || _next + destination.Length > BufferSize)
        {
            buffer = _buffer ??= new byte[BufferSize];
            RandomNumberGenerator.Fill(buffer);
            _next = 0;
        }
        var taken = buffer.AsSpan(_next, destination.Length);
        taken.CopyTo(destination);
        // A byte handed out is not kept.
        taken.Clear();
        _next += destination.Length;
    }

    /// <summary>A version 7 UUID (RFC 9562): the Unix time in milliseconds, then 74 random bits, so new rows sort by creation.</summary>
    public static Guid NewGuidVersion7() => NewGuidVersion7(DateTimeOffset.UtcNow);

    public static Guid NewGuidVersion7(DateTimeOffset timestamp)
    {
        Span<byte> bytes = stackalloc byte[16];
        Fill(bytes[6..]);
        Span<byte> time = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(time, timestamp.ToUnixTimeMilliseconds());
        time[2..].CopyTo(bytes);
        bytes[6] = (byte)(0x70 | (bytes[6] & 0x0F));
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F));
        return new Guid(bytes, bigEndian: true);
    }
}
