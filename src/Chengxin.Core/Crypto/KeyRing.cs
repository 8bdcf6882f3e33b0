using System.Text;

namespace Chengxin.Crypto;

/// <summary>
/// The keys the platform holds: data-encryption keys by id (one of them current, the others kept
/// to decrypt what they wrote until it is re-encrypted) and blind-index keys by id (one current, the
/// others still looked up while rotation rewrites the index). Index keys are separate from
/// encryption keys, so knowing one never helps with the other.
/// </summary>
public sealed class KeyRing
{
    public KeyRing(string currentEncryptionKeyId, IReadOnlyDictionary<string, DataKey> encryptionKeys,
        string currentIndexKeyId, IReadOnlyDictionary<string, IndexKey> indexKeys)
    {
        if (!encryptionKeys.TryGetValue(currentEncryptionKeyId, out var current))
        {
            throw new ArgumentException($"The current encryption key '{currentEncryptionKeyId}' is not in the key ring.", nameof(currentEncryptionKeyId));
        }
        foreach (var (id, key) in encryptionKeys)
        {
            if (key.Bytes.Length != key.Algorithm.KeyBytes())
            {
                throw new ArgumentException($"Encryption key '{id}' has {key.Bytes.Length} bytes; {key.Algorithm.Name()} needs {key.Algorithm.KeyBytes()}.", nameof(encryptionKeys));
            }
            CheckId(id, nameof(encryptionKeys));
        }
        if (!indexKeys.TryGetValue(currentIndexKeyId, out var currentIndex))
        {
            throw new ArgumentException($"The current index key '{currentIndexKeyId}' is not in the key ring.", nameof(currentIndexKeyId));
        }
        foreach (var (id, key) in indexKeys)
        {
            if (key.Bytes.Length < 32)
            {
                throw new ArgumentException($"The index key '{id}' has {key.Bytes.Length} bytes; at least 32 are needed.", nameof(indexKeys));
            }
            CheckId(id, nameof(indexKeys));
            if (id.Contains(':', StringComparison.Ordinal))
            {
                throw new ArgumentException($"Index key id '{id}' must not contain ':'.", nameof(indexKeys));
            }
            if (encryptionKeys.Values.Any(e => key.Bytes.AsSpan().StartsWith(e.Bytes)))
            {
                throw new ArgumentException("The index key must differ from the encryption key.", nameof(indexKeys));
            }
        }
        _ = current;
        CurrentEncryptionKeyId = currentEncryptionKeyId;
        EncryptionKeys = encryptionKeys;
        CurrentIndexKeyId = currentIndexKeyId;
        IndexKeys = indexKeys;
        CurrentIndexKey = currentIndex;
    }

    /// <summary>A ring of AES-256-GCM data keys and one HMAC-SHA256 index key: the default algorithms.</summary>
    public KeyRing(string currentEncryptionKeyId, IReadOnlyDictionary<string, byte[]> encryptionKeys, string indexKeyId, byte[] indexKey)
        : this(currentEncryptionKeyId,
            encryptionKeys.ToDictionary(k => k.Key, k => new DataKey(CipherAlgorithm.Aes256Gcm, k.Value), StringComparer.Ordinal),
            indexKeyId,
            new Dictionary<string, IndexKey>(StringComparer.Ordinal) { [indexKeyId] = new(IndexAlgorithm.HmacSha256, indexKey) })
    {
    }

    public string CurrentEncryptionKeyId { get; }

    public IReadOnlyDictionary<string, DataKey> EncryptionKeys { get; }

    public string CurrentIndexKeyId { get; }

    public IndexKey CurrentIndexKey { get; }

    public IReadOnlyDictionary<string, IndexKey> IndexKeys { get; }

    private static void CheckId(string id, string parameter)
    {
        // The id travels in every ciphertext's header and index value as ASCII.
        if (id.Length is 0 or > 32 || !Ascii.IsValid(id) || id.Any(char.IsControl))
        {
            throw new ArgumentException($"Key id '{id}' must have 1 to 32 printable ASCII characters.", parameter);
        }
    }
}
