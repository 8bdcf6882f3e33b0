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

    /// <summary>Data-encryption keys by id: base64 for AES-256-GCM (32 bytes), <c>sm4-gcm:</c>base64 for SM4 (16 bytes).</summary>
    public Dictionary<string, string> Encryption { get; set; } = [];

    public string IndexId { get; set; } = "i1";

    /// <summary>The blind-index (subject lookup) key, base64, separate from every encryption key.</summary>
    public string? Index { get; set; }

    /// <summary>The current index key's MAC: <c>hmac-sha256</c> (default) or <c>hmac-sm3</c>.</summary>
    public string IndexAlgorithm { get; set; } = "hmac-sha256";

    /// <summary>Index keys being rotated out, by id (<c>[algorithm:]</c>base64): still looked up until <c>chengxin keys rotate</c> has rewritten the index.</summary>
    public Dictionary<string, string> OldIndex { get; set; } = [];

    /// <summary>The audit checkpoint signing key: <c>algorithm:keyId:base64 private key</c> (ed25519, ecdsa-p256 or sm2).</summary>
    public string? AuditSigning { get; set; }

    /// <summary>Public keys of retired checkpoint signing keys (<c>algorithm:keyId:base64</c>), so old checkpoints still verify.</summary>
    public List<string> AuditVerification { get; set; } = [];

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
        else if (!Encryption.ContainsKey(Current))
        {
            yield return $"Keys:Encryption:{Current} must be a base64 AES-256 key (32 bytes), or sm4-gcm:base64 (16 bytes).";
        }
        foreach (var (id, value) in Encryption)
        {
            if (!TryParseDataKey(value, out _))
            {
                yield return $"Keys:Encryption:{id} must be a base64 AES-256 key (32 bytes), or sm4-gcm:base64 (16 bytes).";
            }
        }
        if (!IsBase64Key(Index, 32))
        {
            yield return "Keys:Index must be a base64 key of at least 32 bytes (the subject blind-index key).";
        }
        if (!AlgorithmNames.TryParseIndex(IndexAlgorithm, out _))
        {
            yield return "Keys:IndexAlgorithm must be hmac-sha256 or hmac-sm3.";
        }
        foreach (var (id, value) in OldIndex)
        {
            if (!TryParseIndexKey(value, out _))
            {
                yield return $"Keys:OldIndex:{id} must be [hmac-sha256:|hmac-sm3:]base64, at least 32 bytes.";
            }
        }
        if (!TryParseSigningKey(AuditSigning, out _))
        {
            yield return $"Keys:AuditSigning must be algorithm:keyId:base64 private key, the algorithm one of {string.Join(", ", SigningKey.Algorithms)}.";
        }
        foreach (var value in AuditVerification)
        {
            if (!TryParseVerificationKey(value, out _))
            {
                yield return $"Keys:AuditVerification '{value}' must be algorithm:keyId:base64 public key.";
            }
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

    public KeyRing ToKeyRing()
    {
        _ = AlgorithmNames.TryParseIndex(IndexAlgorithm, out var indexAlgorithm);
        var indexKeys = OldIndex.ToDictionary(k => k.Key, k => TryParseIndexKey(k.Value, out var key) ? key : throw new ArgumentException(k.Key), StringComparer.Ordinal);
        indexKeys[IndexId] = new IndexKey(indexAlgorithm, Convert.FromBase64String(Index!));
        return new(
            Current!,
            Encryption.ToDictionary(k => k.Key, k => TryParseDataKey(k.Value, out var key) ? key : throw new ArgumentException(k.Key), StringComparer.Ordinal),
            IndexId,
            indexKeys);
    }

    public CheckpointKeys ToCheckpointKeys()
    {
        return new(TryParseSigningKey(AuditSigning, out var signer) ? signer : null, AuditVerification.Select(v => TryParseVerificationKey(v, out var key) ? key : throw new ArgumentException(v)));
    }

    public static bool TryParseDataKey(string value, out DataKey key)
    {
        key = null!;
        var (algorithmName, base64) = SplitAlgorithm(value, "aes-256-gcm");
        if (!AlgorithmNames.TryParseCipher(algorithmName, out var algorithm) || !IsBase64Key(base64, algorithm.KeyBytes()))
        {
            return false;
        }
        var bytes = Convert.FromBase64String(base64);
        key = new DataKey(algorithm, bytes);
        return bytes.Length == algorithm.KeyBytes();
    }

    public static bool TryParseIndexKey(string value, out IndexKey key)
    {
        key = null!;
        var (algorithmName, base64) = SplitAlgorithm(value, "hmac-sha256");
        if (!AlgorithmNames.TryParseIndex(algorithmName, out var algorithm) || !IsBase64Key(base64, 32))
        {
            return false;
        }
        key = new IndexKey(algorithm, Convert.FromBase64String(base64));
        return true;
    }

    public static bool TryParseSigningKey(string? value, out SigningKey key)
    {
        key = null!;
        var parts = value?.Split(':');
        if (parts is not { Length: 3 } || !SigningKey.Algorithms.Contains(parts[0]) || parts[1].Length == 0 || !IsBase64Key(parts[2], 32))
        {
            return false;
        }
        try
        {
            key = SigningKey.FromPrivate(parts[0], parts[1], Convert.FromBase64String(parts[2]));
            return true;
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            return false;
        }
    }

    public static bool TryParseVerificationKey(string value, out VerificationKey key)
    {
        key = null!;
        var parts = value.Split(':');
        if (parts is not { Length: 3 } || !SigningKey.Algorithms.Contains(parts[0]) || !IsBase64Key(parts[2], 32))
        {
            return false;
        }
        key = new VerificationKey(parts[0], parts[1], Convert.FromBase64String(parts[2]));
        return true;
    }

    /// <summary>A fresh checkpoint signing key in <see cref="AuditSigning"/>'s form.</summary>
    public static string GenerateAuditSigning(string algorithm = SigningKey.Ed25519, string keyId = "a1") =>
        $"{algorithm}:{keyId}:{Convert.ToBase64String(SigningKey.GeneratePrivate(algorithm))}";

    private static (string Algorithm, string Base64) SplitAlgorithm(string value, string defaultAlgorithm)
    {
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? (defaultAlgorithm, value) : (value[..colon], value[(colon + 1)..]);
    }

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
            ["AuditSigning"] = GenerateAuditSigning(),
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
