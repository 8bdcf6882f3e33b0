using System.Text;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Macs;
using Org.BouncyCastle.Crypto.Parameters;

namespace Chengxin.Crypto;

/// <summary>
/// The keyed lookup value of a certificate: a MAC over the normalised type and number, so the
/// subject table can be searched by number without holding it in clear. The value names its
/// algorithm and key id (<c>h256:i1:…</c>), so an index key can be rotated or its algorithm changed.
/// </summary>
public sealed class BlindIndex(KeyRing keys)
{
    // A keyed MAC prepared once per thread and key: keying it anew for every number costs more than hashing it.
    [ThreadStatic]
    private static Dictionary<(KeyRing, string), Mac>? _perThread;

    /// <summary>A keyed MAC of a message, written to the output; returns the MAC's length.</summary>
    private delegate int Mac(ReadOnlySpan<byte> message, Span<byte> output);

    /// <summary>The value under the current index key: what new subjects are stored with.</summary>
    public string Compute(string idTypeCode, string normalisedNumber) => Compute(keys.CurrentIndexKeyId, idTypeCode, normalisedNumber);

    /// <summary>
    /// The values under every index key held, current first: a lookup during index rotation tries them all.
    /// With <paramref name="firstReleaseForms"/>, HMAC-SHA256 values are also given in the first release's form
    /// (<c>i1:…</c>, no algorithm tag), so databases written by it are found until <c>chengxin keys rotate</c> rewrites them.
    /// </summary>
    public IReadOnlyList<string> ComputeAll(string idTypeCode, string normalisedNumber, bool firstReleaseForms = true)
    {
        var current = Compute(idTypeCode, normalisedNumber);
        if (keys.IndexKeys.Count == 1 && !firstReleaseForms)
        {
            return [current];
        }
        var all = new List<string> { current };
        all.AddRange(keys.IndexKeys.Keys.Where(id => id != keys.CurrentIndexKeyId).Order(StringComparer.Ordinal).Select(id => Compute(id, idTypeCode, normalisedNumber)));
        if (firstReleaseForms)
        {
            all.AddRange(all.Where(v => v.StartsWith(LegacyTag, StringComparison.Ordinal)).Select(v => v[LegacyTag.Length..]).ToList());
        }
        return all;
    }

    /// <summary>The LIKE patterns a first-release value matches: a key id of an HMAC-SHA256 key, a colon, the MAC.</summary>
    public IEnumerable<string> FirstReleasePatterns() =>
        keys.IndexKeys.Where(k => k.Value.Algorithm == IndexAlgorithm.HmacSha256)
            .Select(k => k.Key.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal) + ":%");

    private static readonly string LegacyTag = IndexAlgorithm.HmacSha256.Tag() + ":";

    /// <summary>Whether a stored value was made with the current key and algorithm; rotation rewrites those that were not.</summary>
    public bool IsCurrent(string value) => value.StartsWith(CurrentPrefix, StringComparison.Ordinal);

    public string CurrentPrefix => $"{keys.CurrentIndexKey.Algorithm.Tag()}:{keys.CurrentIndexKeyId}:";

    private const string MessageTag = "chengxin/subject/v1";

    private string Compute(string keyId, string idTypeCode, string normalisedNumber)
    {
        var key = keys.IndexKeys[keyId];
        // Put together on the stack: every pushed record's subject is looked up by this value.
        var size = Encoding.UTF8.GetMaxByteCount(MessageTag.Length + idTypeCode.Length + normalisedNumber.Length + 2);
        Span<byte> message = size <= 512 ? stackalloc byte[size] : new byte[size];
        System.Text.Unicode.Utf8.TryWrite(message, $"{MessageTag}\n{idTypeCode}\n{normalisedNumber}", out var length);
        Span<byte> mac = stackalloc byte[64];
        mac = mac[..MacOf(keyId, key)(message[..length], mac)];
        var tag = key.Algorithm.Tag();
        Span<char> value = stackalloc char[tag.Length + keyId.Length + 2 + (mac.Length * 2)];
        value.TryWrite($"{tag}:{keyId}:", out var prefix);
        Convert.TryToHexStringLower(mac, value[prefix..], out _);
        return new string(value);
    }

    private Mac MacOf(string keyId, IndexKey key)
    {
        _perThread ??= [];
        if (!_perThread.TryGetValue((keys, keyId), out var mac))
        {
            mac = key.Algorithm switch
            {
                IndexAlgorithm.HmacSha256 => HmacSha256(key.Bytes),
                IndexAlgorithm.HmacSm3 => HmacSm3(key.Bytes),
            };
            _perThread[(keys, keyId)] = mac;
        }
        return mac;
    }

    private static Mac HmacSha256(byte[] key)
    {
        var hmac = System.Security.Cryptography.IncrementalHash.CreateHMAC(System.Security.Cryptography.HashAlgorithmName.SHA256, key);
        return (message, output) =>
        {
            hmac.AppendData(message);
            return hmac.GetHashAndReset(output);
        };
    }

    private static Mac HmacSm3(byte[] key)
    {
        var hmac = new HMac(new SM3Digest());
        hmac.Init(new KeyParameter(key));
        return (message, output) =>
        {
            hmac.BlockUpdate(message);
            return hmac.DoFinal(output);
        };
    }
}
