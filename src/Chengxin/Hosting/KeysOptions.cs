using System.Security.Cryptography;
using Chengxin.Crypto;

namespace Chengxin.Hosting;

/// <summary>
/// The platform's secrets, from configuration (<c>Keys:*</c>), never from the repository. In
/// development a key file is generated under <c>./data/</c> on first run; in production a missing key
/// stops the start.
/// </summary>
public sealed class KeysOptions
{
    public const string Section = "Keys";

    /// <summary>The id of the data-encryption key new ciphertexts use.</summary>
    public string? Current { get; set; }

    /// <summary>Data-encryption keys by id, base64 (32 bytes each).</summary>
    public Dictionary<string, string> Encryption { get; set; } = [];

    public string IndexId { get; set; } = "i1";

    /// <summary>The blind-index (subject lookup) key, base64, separate from every encryption key.</summary>
    public string? Index { get; set; }

    /// <summary>RSA private key (PEM) that signs the platform's OAuth tokens.</summary>
    public string? TokenSigning { get; set; }

    /// <summary>AES key (base64, 32 bytes) that encrypts the platform's OAuth tokens.</summary>
    public string? TokenEncryption { get; set; }

    /// <summary>Every missing or malformed key, one line each.</summary>
    public IEnumerable<string> Problems()
    {
        if (string.IsNullOrEmpty(Current))
        {
            yield return "Keys:Current is not set: name the data-encryption key in use (e.g. Keys__Current=k1).";
        }
        else if (!Encryption.TryGetValue(Current, out var current) || !IsBase64Key(current, 32))
        {
            yield return $"Keys:Encryption:{Current} must be a base64 AES-256 key (32 bytes).";
        }
        if (!IsBase64Key(Index, 32))
        {
            yield return "Keys:Index must be a base64 key of at least 32 bytes (the subject blind-index key).";
        }
        if (string.IsNullOrWhiteSpace(TokenSigning) || !TokenSigning.Contains("PRIVATE KEY", StringComparison.Ordinal))
        {
            yield return "Keys:TokenSigning must be an RSA private key in PEM form.";
        }
        if (!IsBase64Key(TokenEncryption, 32))
        {
            yield return "Keys:TokenEncryption must be a base64 AES-256 key (32 bytes).";
        }
    }

    public KeyRing ToKeyRing() => new(
        Current!,
        Encryption.ToDictionary(k => k.Key, k => Convert.FromBase64String(k.Value)),
        IndexId,
        Convert.FromBase64String(Index!));

    /// <summary>A fresh set of keys, for a development machine's key file.</summary>
    public static Dictionary<string, object> Generate()
    {
        using var rsa = RSA.Create(2048);
        return new()
        {
            ["Current"] = "k1",
            ["Encryption"] = new Dictionary<string, string> { ["k1"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) },
            ["IndexId"] = "i1",
            ["Index"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["TokenSigning"] = rsa.ExportPkcs8PrivateKeyPem(),
            ["TokenEncryption"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        };
    }

    private static bool IsBase64Key(string? value, int minBytes)
    {
        if (string.IsNullOrEmpty(value))
        {
            return false;
        }
        var buffer = new byte[value.Length];
        return Convert.TryFromBase64String(value, buffer, out var written) && written >= minBytes;
    }
}
