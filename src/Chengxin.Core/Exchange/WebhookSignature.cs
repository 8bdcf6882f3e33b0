using System.Security.Cryptography;
using System.Text;

namespace Chengxin.Exchange;

/// <summary>
/// The signature on every webhook delivery: HMAC-SHA256 with the receiver's secret over
/// "{timestamp}.{body}", sent as <c>X-Chengxin-Signature: t={timestamp},v1={hex}</c>, so a receiver can
/// check both origin and freshness (the timestamp is signed, so an old delivery cannot be replayed as new).
/// </summary>
public static class WebhookSignature
{
    public const string Header = "X-Chengxin-Signature";

    public static string Sign(byte[] secret, long unixSeconds, ReadOnlySpan<byte> body)
    {
        var mac = Mac(secret, unixSeconds, body);
        return $"t={unixSeconds},v1={Convert.ToHexStringLower(mac)}";
    }

    /// <summary>True when the header is a valid signature of the body under the secret, made within the tolerance of now.</summary>
    public static bool Verify(byte[] secret, string? header, ReadOnlySpan<byte> body, long nowUnixSeconds, long toleranceSeconds = 300)
    {
        if (header is null)
        {
            return false;
        }
        long? timestamp = null;
        byte[]? signature = null;
        foreach (var part in header.Split(','))
        {
            var pair = part.Split('=', 2);
            if (pair.Length != 2)
            {
                continue;
            }
            if (pair[0] == "t" && long.TryParse(pair[1], System.Globalization.CultureInfo.InvariantCulture, out var t))
            {
                timestamp = t;
            }
            else if (pair[0] == "v1" && pair[1].Length == 64)
            {
                try
                {
                    signature = Convert.FromHexString(pair[1]);
                }
                catch (FormatException)
                {
                    return false;
                }
            }
        }
        if (timestamp is not { } at || signature is null || Math.Abs(nowUnixSeconds - at) > toleranceSeconds)
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(signature, Mac(secret, at, body));
    }

    private static byte[] Mac(byte[] secret, long unixSeconds, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.ASCII.GetBytes(unixSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".");
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, secret);
        hmac.AppendData(prefix);
        hmac.AppendData(body);
        return hmac.GetHashAndReset();
    }
}
