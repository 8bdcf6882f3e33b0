namespace Chengxin.Crypto;

/// <summary>
/// The algorithms the platform can use. International ones by default; the Chinese commercial
/// ones (SM4, SM3, SM2) for deployments that must pass the GB/T 39786-2021 assessment. Each
/// ciphertext, index value and signature names its algorithm, so a deployment can switch and re-encrypt.
/// </summary>
public enum CipherAlgorithm : byte
{
    Aes256Gcm = 1,
    Sm4Gcm = 2,
}

public enum IndexAlgorithm
{
    HmacSha256,
    HmacSm3,
}

public static class AlgorithmNames
{
    public static string Name(this CipherAlgorithm algorithm) => algorithm switch
    {
        CipherAlgorithm.Aes256Gcm => "aes-256-gcm",
        CipherAlgorithm.Sm4Gcm => "sm4-gcm",
    };

    public static int KeyBytes(this CipherAlgorithm algorithm) => algorithm switch
    {
        CipherAlgorithm.Aes256Gcm => 32,
        CipherAlgorithm.Sm4Gcm => 16,
    };

    /// <summary>The tag an index value starts with, naming its algorithm.</summary>
    public static string Tag(this IndexAlgorithm algorithm) => algorithm switch
    {
        IndexAlgorithm.HmacSha256 => "h256",
        IndexAlgorithm.HmacSm3 => "sm3",
    };

    public static bool TryParseCipher(string? name, out CipherAlgorithm algorithm)
    {
        algorithm = name?.Trim().ToLowerInvariant() switch
        {
            "aes-256-gcm" or "aes" => CipherAlgorithm.Aes256Gcm,
            "sm4-gcm" or "sm4" => CipherAlgorithm.Sm4Gcm,
            _ => 0,
        };
        return algorithm != 0;
    }

    public static bool TryParseIndex(string? name, out IndexAlgorithm algorithm)
    {
        (var ok, algorithm) = name?.Trim().ToLowerInvariant() switch
        {
            "hmac-sha256" or "h256" => (true, IndexAlgorithm.HmacSha256),
            "hmac-sm3" or "sm3" => (true, IndexAlgorithm.HmacSm3),
            _ => (false, IndexAlgorithm.HmacSha256),
        };
        return ok;
    }
}

/// <summary>A data-encryption key and the algorithm it is for.</summary>
public sealed record DataKey(CipherAlgorithm Algorithm, byte[] Bytes);

/// <summary>A blind-index key and the MAC it is for.</summary>
public sealed record IndexKey(IndexAlgorithm Algorithm, byte[] Bytes);
