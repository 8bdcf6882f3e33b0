using System.Text;

namespace Chengxin.Crypto;

/// <summary>
/// The keys the platform holds: data-encryption keys by id (one of them current, the others kept
/// to decrypt what they wrote until it is re-encrypted) and the blind-index key, which is separate
/// so that knowing one never helps with the other.
/// </summary>
public sealed class KeyRing
{
    public KeyRing(string currentEncryptionKeyId, IReadOnlyDictionary<string, byte[]> encryptionKeys, string indexKeyId, byte[] indexKey)
    {
        if (!encryptionKeys.TryGetValue(currentEncryptionKeyId, out var current))
        {
            throw new ArgumentException($"The current encryption key '{currentEncryptionKeyId}' is not in the key ring.", nameof(currentEncryptionKeyId));
        }
        foreach (var (id, key) in encryptionKeys)
        {
            if (key.Length != 32)
            {
                throw new ArgumentException($"Encryption key '{id}' has {key.Length} bytes; AES-256 needs 32.", nameof(encryptionKeys));
            }
            // The id travels in every ciphertext's header as ASCII.
            if (id.Length is 0 or > 32 || !Ascii.IsValid(id) || id.Any(char.IsControl))
            {
                throw new ArgumentException($"Key id '{id}' must have 1 to 32 printable ASCII characters.", nameof(encryptionKeys));
            }
        }
        if (indexKey.Length < 32)
        {
            throw new ArgumentException($"The index key has {indexKey.Length} bytes; at least 32 are needed.", nameof(indexKey));
        }
        if (current.AsSpan().SequenceEqual(indexKey))
        {
            throw new ArgumentException("The index key must differ from the encryption key.", nameof(indexKey));
        }
        CurrentEncryptionKeyId = currentEncryptionKeyId;
        EncryptionKeys = encryptionKeys;
        IndexKeyId = indexKeyId;
        IndexKey = indexKey;
    }

    public string CurrentEncryptionKeyId { get; }

    public IReadOnlyDictionary<string, byte[]> EncryptionKeys { get; }

    public string IndexKeyId { get; }

    public byte[] IndexKey { get; }
}
