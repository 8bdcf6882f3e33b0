using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Parameters;

namespace Chengxin.Crypto;

/// <summary>
/// Encrypts personal identifiers and names with an AEAD: AES-256-GCM, or SM4-GCM where the
/// commercial-cryptography assessment asks for it. Every ciphertext carries its format version,
/// algorithm and key id, so keys and algorithms can change while old rows still decrypt; the row it
/// belongs to is bound as associated data, so a ciphertext copied onto another row fails.
/// </summary>
/// <remarks>Layout: version (1) | algorithm (1) | key id length (1) | key id | nonce (12) | tag (16) | ciphertext.</remarks>
public sealed class FieldCipher(KeyRing keys)
{
    // An AesGcm holds a prepared key schedule; making one per value costs more than the encryption itself.
    // Instances are not shared between threads, so each thread keeps its own per key.
    [ThreadStatic]
    private static Dictionary<(KeyRing, string), AesGcm>? _perThread;

    private const byte FormatVersion = 1;
    private const int NonceSize = 12;
    private const int TagSize = 16;

    public byte[] Encrypt(string plaintext, string binding) => Encrypt(Encoding.UTF8.GetBytes(plaintext), binding);

    public byte[] Encrypt(ReadOnlySpan<byte> clear, string binding)
    {
        var keyIdText = keys.CurrentEncryptionKeyId;
        var key = keys.EncryptionKeys[keyIdText];
        var keyIdLength = Encoding.ASCII.GetByteCount(keyIdText);
        var header = 3 + keyIdLength;
        var output = new byte[header + NonceSize + TagSize + clear.Length];
        output[0] = FormatVersion;
        output[1] = (byte)key.Algorithm;
        output[2] = (byte)keyIdLength;
        Encoding.ASCII.GetBytes(keyIdText, output.AsSpan(3, keyIdLength));
        var nonce = output.AsSpan(header, NonceSize);
        PooledRandom.Fill(nonce);
        var tag = output.AsSpan(header + NonceSize, TagSize);
        var ciphertext = output.AsSpan(header + NonceSize + TagSize);
        // Every stored identifier is encrypted here: the associated data is put together on the stack when it fits.
        Span<byte> scratch = stackalloc byte[256];
        var associated = AssociatedData(output.AsSpan(0, header), binding, scratch);
        if (key.Algorithm == CipherAlgorithm.Aes256Gcm)
        {
            Aes(keyIdText, key).Encrypt(nonce, clear, ciphertext, tag, associated);
        }
        else
        {
            var sealedBytes = Sm4(forEncryption: true, key, nonce, associated.ToArray(), clear.ToArray());
            sealedBytes.AsSpan(0, clear.Length).CopyTo(ciphertext);
            sealedBytes.AsSpan(clear.Length).CopyTo(tag);
        }
        return output;
    }

    public string Decrypt(byte[] sealedValue, string binding) => Encoding.UTF8.GetString(DecryptBytes(sealedValue, binding));

    public byte[] DecryptBytes(byte[] sealedValue, string binding)
    {
        var keyId = KeyIdOf(sealedValue);
        if (!keys.EncryptionKeys.TryGetValue(keyId, out var key))
        {
            throw new CryptographicException($"The key '{keyId}' that encrypted this value is not in the key ring.");
        }
        if ((byte)key.Algorithm != sealedValue[1])
        {
            throw new CryptographicException($"The value says algorithm {sealedValue[1]} but key '{keyId}' is for {key.Algorithm.Name()}.");
        }
        var header = 3 + sealedValue[2];
        var nonce = sealedValue.AsSpan(header, NonceSize);
        var tag = sealedValue.AsSpan(header + NonceSize, TagSize);
        var ciphertext = sealedValue.AsSpan(header + NonceSize + TagSize);
        Span<byte> scratch = stackalloc byte[256];
        var associated = AssociatedData(sealedValue.AsSpan(0, header), binding, scratch);
        if (key.Algorithm == CipherAlgorithm.Aes256Gcm)
        {
            var clear = new byte[ciphertext.Length];
            Aes(keyId, key).Decrypt(nonce, ciphertext, tag, clear, associated);
            return clear;
        }
        try
        {
            return Sm4(forEncryption: false, key, nonce, associated.ToArray(), [.. ciphertext, .. tag]);
        }
        catch (Org.BouncyCastle.Crypto.InvalidCipherTextException e)
        {
            throw new AuthenticationTagMismatchException(e.Message, e);
        }
    }

    /// <summary>The id of the key a value was encrypted with, so rotation can find what is left to re-encrypt.</summary>
    public static string KeyIdOf(byte[] sealedValue)
    {
        // Every length is checked before it is used, so a damaged value is a cryptographic error, never an index error.
        if (sealedValue.Length < 3 + NonceSize + TagSize || sealedValue[0] != FormatVersion
            || !Enum.IsDefined((CipherAlgorithm)sealedValue[1])
            || sealedValue.Length < 3 + sealedValue[2] + NonceSize + TagSize)
        {
            throw new CryptographicException("This is not a ciphertext of a known format.");
        }
        return Encoding.ASCII.GetString(sealedValue, 3, sealedValue[2]);
    }

    public string CurrentKeyId => keys.CurrentEncryptionKeyId;

    /// <summary>Whether a value is encrypted with the current key (and so its algorithm); rotation re-encrypts the others.</summary>
    public bool IsCurrent(byte[] sealedValue) => KeyIdOf(sealedValue) == keys.CurrentEncryptionKeyId;

    private AesGcm Aes(string keyId, DataKey key)
    {
        _perThread ??= [];
        if (!_perThread.TryGetValue((keys, keyId), out var aes))
        {
            aes = new AesGcm(key.Bytes, TagSize);
            _perThread[(keys, keyId)] = aes;
        }
        return aes;
    }

    // SM4 has no implementation in .NET; BouncyCastle's GCM over its SM4 engine gives the same AEAD shape as AES-GCM.
    private static byte[] Sm4(bool forEncryption, DataKey key, ReadOnlySpan<byte> nonce, byte[] associated, byte[] input)
    {
        var gcm = new GcmBlockCipher(new SM4Engine());
        gcm.Init(forEncryption, new AeadParameters(new KeyParameter(key.Bytes), TagSize * 8, nonce.ToArray(), associated));
        var output = new byte[gcm.GetOutputSize(input.Length)];
        var written = gcm.ProcessBytes(input, 0, input.Length, output, 0);
        gcm.DoFinal(output, written);
        return output;
    }

    // The header is authenticated too, so the key id or algorithm cannot be swapped.
    /// <summary>The value's header followed by its binding in UTF-8, in <paramref name="scratch"/> when it fits.</summary>
    private static ReadOnlySpan<byte> AssociatedData(ReadOnlySpan<byte> header, string binding, Span<byte> scratch)
    {
        var size = header.Length + Encoding.UTF8.GetByteCount(binding);
        var associated = size <= scratch.Length ? scratch[..size] : new byte[size];
        header.CopyTo(associated);
        Encoding.UTF8.GetBytes(binding, associated[header.Length..]);
        return associated;
    }
}
