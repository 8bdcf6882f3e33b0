using System.Security.Cryptography;
using System.Text;

namespace Chengxin.Crypto;

/// <summary>
/// Encrypts personal identifiers and names with AES-256-GCM. Every ciphertext carries its format
/// version, algorithm and key id, so keys and algorithms can change while old rows still decrypt;
/// the row it belongs to is bound as associated data, so a ciphertext copied onto another row fails.
/// </summary>
/// <remarks>Layout: version (1) | algorithm (1) | key id length (1) | key id | nonce (12) | tag (16) | ciphertext.</remarks>
public sealed class FieldCipher(KeyRing keys)
{
    // An AesGcm holds a prepared key schedule; making one per value costs more than the encryption itself.
    // Instances are not shared between threads, so each thread keeps its own per key.
    [ThreadStatic]
    private static Dictionary<(KeyRing, string), AesGcm>? _perThread;

    private const byte FormatVersion = 1;
    private const byte AesGcm256 = 1;
    private const int NonceSize = 12;
    private const int TagSize = 16;

    public byte[] Encrypt(string plaintext, string binding)
    {
        var keyId = Encoding.ASCII.GetBytes(keys.CurrentEncryptionKeyId);
        var clear = Encoding.UTF8.GetBytes(plaintext);
        var header = 3 + keyId.Length;
        var output = new byte[header + NonceSize + TagSize + clear.Length];
        output[0] = FormatVersion;
        output[1] = AesGcm256;
        output[2] = (byte)keyId.Length;
        keyId.CopyTo(output, 3);
        var nonce = output.AsSpan(header, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        var tag = output.AsSpan(header + NonceSize, TagSize);
        var ciphertext = output.AsSpan(header + NonceSize + TagSize);
        Aes(keys.CurrentEncryptionKeyId).Encrypt(nonce, clear, ciphertext, tag, AssociatedData(output.AsSpan(0, header), binding));
        return output;
    }

    public string Decrypt(byte[] sealedValue, string binding)
    {
        var keyId = KeyIdOf(sealedValue);
        if (!keys.EncryptionKeys.ContainsKey(keyId))
        {
            throw new CryptographicException($"The key '{keyId}' that encrypted this value is not in the key ring.");
        }
        var header = 3 + sealedValue[2];
        var nonce = sealedValue.AsSpan(header, NonceSize);
        var tag = sealedValue.AsSpan(header + NonceSize, TagSize);
        var ciphertext = sealedValue.AsSpan(header + NonceSize + TagSize);
        var clear = new byte[ciphertext.Length];
        Aes(keyId).Decrypt(nonce, ciphertext, tag, clear, AssociatedData(sealedValue.AsSpan(0, header), binding));
        return Encoding.UTF8.GetString(clear);
    }

    private AesGcm Aes(string keyId)
    {
        _perThread ??= [];
        if (!_perThread.TryGetValue((keys, keyId), out var aes))
        {
            aes = new AesGcm(keys.EncryptionKeys[keyId], TagSize);
            _perThread[(keys, keyId)] = aes;
        }
        return aes;
    }

    /// <summary>The id of the key a value was encrypted with, so rotation can find what is left to re-encrypt.</summary>
    public static string KeyIdOf(byte[] sealedValue)
    {
        // Every length is checked before it is used, so a damaged value is a cryptographic error, never an index error.
        if (sealedValue.Length < 3 + NonceSize + TagSize || sealedValue[0] != FormatVersion || sealedValue[1] != AesGcm256
            || sealedValue.Length < 3 + sealedValue[2] + NonceSize + TagSize)
        {
            throw new CryptographicException("This is not a ciphertext of a known format.");
        }
        return Encoding.ASCII.GetString(sealedValue, 3, sealedValue[2]);
    }

    // The header is authenticated too, so the key id or algorithm cannot be swapped.
    private static byte[] AssociatedData(ReadOnlySpan<byte> header, string binding) =>
        [.. header, .. Encoding.UTF8.GetBytes(binding)];
}
