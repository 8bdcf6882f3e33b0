using System.Security.Cryptography;
using System.Text;

namespace Chengxin.Crypto;

/// <summary>
/// The keyed lookup value of a certificate: HMAC-SHA256 over the normalised type and number, so the
/// subject table can be searched by number without holding it in clear. Prefixed with the key id so
/// an index key can be rotated.
/// </summary>
public sealed class BlindIndex(KeyRing keys)
{
    // A keyed HMAC prepared once per thread: keying it anew for every number costs more than hashing it.
    [ThreadStatic]
    private static (KeyRing Keys, IncrementalHash Mac)? _perThread;

    public string Compute(string idTypeCode, string normalisedNumber)
    {
        if (_perThread is not { } cached || !ReferenceEquals(cached.Keys, keys))
        {
            cached = (keys, IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, keys.IndexKey));
            _perThread = cached;
        }
        cached.Mac.AppendData(Encoding.UTF8.GetBytes($"chengxin/subject/v1\n{idTypeCode}\n{normalisedNumber}"));
        return $"{keys.IndexKeyId}:{Convert.ToHexStringLower(cached.Mac.GetHashAndReset())}";
    }
}
