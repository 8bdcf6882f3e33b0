using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Chengxin.Audit;

/// <summary>What one audit entry says: who did what to which subject or target, when, with which detail.</summary>
/// <param name="Subject">The subject (person) the entry concerns, when there is one, so their reads and changes can be found.</param>
public sealed record AuditFacts(long Sequence, DateTimeOffset At, string Actor, string Action, Guid? Subject, string Target, string Detail);

/// <summary>
/// The hash chain of the audit log: each entry's hash covers the previous entry's hash and the
/// entry itself, so changing, removing or reordering any entry changes every hash after it.
/// Hashes are domain-separated SHA-256 (RFC 6962 style prefixes), so an entry hash can never be
/// confused with a checkpoint message or any other hash the platform makes.
/// </summary>
public static class AuditChain
{
    private static readonly byte[] EntryDomain = Encoding.ASCII.GetBytes("chengxin/audit/v1/entry\0");
    private static readonly byte[] CheckpointDomain = Encoding.ASCII.GetBytes("chengxin/audit/v1/checkpoint\0");

    /// <summary>The "previous hash" of the first entry.</summary>
    public static readonly byte[] Genesis = SHA256.HashData(Encoding.ASCII.GetBytes("chengxin/audit/v1/genesis"));

    public static byte[] Hash(ReadOnlySpan<byte> previous, AuditFacts entry)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(EntryDomain);
        hash.AppendData(previous);
        AppendInt64(hash, entry.Sequence);
        AppendInt64(hash, ToMicroseconds(entry.At));
        AppendField(hash, entry.Actor);
        AppendField(hash, entry.Action);
        AppendField(hash, entry.Subject?.ToString("D") ?? "");
        AppendField(hash, entry.Target);
        AppendField(hash, entry.Detail);
        return hash.GetHashAndReset();
    }

    /// <summary>The bytes a checkpoint signs: the chain's length, its head hash and the time, under their own domain.</summary>
    public static byte[] CheckpointMessage(long sequence, ReadOnlySpan<byte> head, DateTimeOffset at)
    {
        var message = new byte[CheckpointDomain.Length + 8 + head.Length + 8];
        CheckpointDomain.CopyTo(message, 0);
        BinaryPrimitives.WriteInt64BigEndian(message.AsSpan(CheckpointDomain.Length), sequence);
        head.CopyTo(message.AsSpan(CheckpointDomain.Length + 8));
        BinaryPrimitives.WriteInt64BigEndian(message.AsSpan(CheckpointDomain.Length + 8 + head.Length), ToMicroseconds(at));
        return message;
    }

    /// <summary>Entry times are kept to the millisecond, a precision every supported database stores exactly.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset at) => new(at.UtcTicks - at.UtcTicks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);

    private static long ToMicroseconds(DateTimeOffset at) => at.UtcTicks / 10;

    private static void AppendInt64(IncrementalHash hash, long value)
    {
        Span<byte> buffer = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(buffer, value);
        hash.AppendData(buffer);
    }

    // Length-prefixed, so ("ab", "c") and ("a", "bc") hash differently.
    private static void AppendField(IncrementalHash hash, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        AppendInt64(hash, bytes.Length);
        hash.AppendData(bytes);
    }
}
