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
    public string Compute(string idTypeCode, string normalisedNumber)
    {
        var mac = HMACSHA256.HashData(keys.IndexKey, Encoding.UTF8.GetBytes($"chengxin/subject/v1\n{idTypeCode}\n{normalisedNumber}"));
        return $"{keys.IndexKeyId}:{Convert.ToHexStringLower(mac)}";
    }
}
