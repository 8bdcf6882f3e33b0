using System.Security.Cryptography;
using Chengxin.Crypto;

namespace Chengxin.Core.Tests.Crypto;

/// <summary>SM4 and SM3 (GB/T 39786 deployments) work like their defaults, and a ring can hold both while data is re-encrypted.</summary>
public sealed class CommercialCryptoTests
{
    private static readonly byte[] Sm4Key = [.. Enumerable.Range(1, 16).Select(b => (byte)b)];

    private static KeyRing Ring(string current) => new(current,
        new Dictionary<string, DataKey>(StringComparer.Ordinal)
        {
            ["k1"] = new(CipherAlgorithm.Aes256Gcm, TestKeys.K1),
            ["s1"] = new(CipherAlgorithm.Sm4Gcm, Sm4Key),
        },
        "i2",
        new Dictionary<string, IndexKey>(StringComparer.Ordinal)
        {
            ["i1"] = new(IndexAlgorithm.HmacSha256, TestKeys.Index),
            ["i2"] = new(IndexAlgorithm.HmacSm3, TestKeys.Index),
        });

    /// <summary>Binary values too (a compressed report), byte for byte, under either algorithm.</summary>
    [Theory]
    [InlineData("k1")]
    [InlineData("s1")]
    public void BytesThatAreNotTextRoundTrip(string key)
    {
        var cipher = new FieldCipher(Ring(key));
        byte[] clear = [1, 0xff, 0xfe, 0, 0xc3, 0x28, .. Enumerable.Range(0, 300).Select(i => (byte)(i * 7))];

        var sealedValue = cipher.Encrypt(clear, "reports/1/content");

        Assert.Equal(key, FieldCipher.KeyIdOf(sealedValue));
        Assert.Equal(clear, cipher.DecryptBytes(sealedValue, "reports/1/content"));
    }

    [Theory]
    [InlineData("11010519491231002X")]
    [InlineData("欧阳娜娜 𠮷")]
    [InlineData("")]
    public void Sm4GcmRoundTrips(string plaintext)
    {
        var cipher = new FieldCipher(Ring("s1"));

        var sealedValue = cipher.Encrypt(plaintext, "subjects/1/name");

        Assert.Equal((byte)CipherAlgorithm.Sm4Gcm, sealedValue[1]);
        Assert.Equal("s1", FieldCipher.KeyIdOf(sealedValue));
        Assert.Equal(plaintext, cipher.Decrypt(sealedValue, "subjects/1/name"));
    }

    [Fact]
    public void Sm4CiphertextMovedToAnotherRowDoesNotDecrypt()
    {
        var cipher = new FieldCipher(Ring("s1"));

        var sealedValue = cipher.Encrypt("张伟", "subjects/1/name");

        Assert.ThrowsAny<CryptographicException>(() => cipher.Decrypt(sealedValue, "subjects/2/name"));
    }

    [Fact]
    public void Sm4CiphertextWithAFlippedBitDoesNotDecrypt()
    {
        var cipher = new FieldCipher(Ring("s1"));
        var sealedValue = cipher.Encrypt("张伟", "b");

        sealedValue[^1] ^= 1;

        Assert.ThrowsAny<CryptographicException>(() => cipher.Decrypt(sealedValue, "b"));
    }

    [Fact]
    public void ARingSwitchedToSm4StillDecryptsWhatAesWrote()
    {
        var old = new FieldCipher(Ring("k1")).Encrypt("张伟", "b");

        var switched = new FieldCipher(Ring("s1"));

        Assert.False(switched.IsCurrent(old));
        Assert.Equal("张伟", switched.Decrypt(old, "b"));
        Assert.True(switched.IsCurrent(switched.Encrypt("张伟", "b")));
    }

    [Fact]
    public void ValueWhoseAlgorithmByteWasChangedIsRefused()
    {
        var sealedValue = new FieldCipher(Ring("s1")).Encrypt("张伟", "b");

        sealedValue[1] = (byte)CipherAlgorithm.Aes256Gcm;

        Assert.ThrowsAny<CryptographicException>(() => new FieldCipher(Ring("s1")).Decrypt(sealedValue, "b"));
    }

    [Fact]
    public void Sm4KeyOfTheWrongLengthIsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => new KeyRing("s1",
            new Dictionary<string, DataKey> { ["s1"] = new(CipherAlgorithm.Sm4Gcm, TestKeys.K1) },
            "i1", new Dictionary<string, IndexKey> { ["i1"] = new(IndexAlgorithm.HmacSha256, TestKeys.Index) }));

        Assert.Contains("sm4-gcm needs 16", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HmacSm3IndexMatchesAnIndependentImplementation()
    {
        // HMAC-SM3(bytes 100..131, the same message as the SHA-256 index test), computed with OpenSSL through Python's hmac.
        Assert.Equal(
            "sm3:i2:f44f85a824aed1985d95cf8d49722c905062e8195198bc4eda029f9a045fc9a9",
            new BlindIndex(Ring("k1")).Compute("resident-id", "11010519491231002X"));
    }

    [Fact]
    public void DuringIndexRotationALookupTriesTheCurrentKeyFirstThenTheOld()
    {
        var index = new BlindIndex(Ring("k1"));

        var all = index.ComputeAll("resident-id", "11010519491231002X");

        // Current, the old key, and the old key's value in the first release's form.
        Assert.Equal(3, all.Count);
        Assert.StartsWith("sm3:i2:", all[0], StringComparison.Ordinal);
        Assert.StartsWith("h256:i1:", all[1], StringComparison.Ordinal);
        Assert.Equal(all[1]["h256:".Length..], all[2]);
        Assert.True(index.IsCurrent(all[0]));
        Assert.False(index.IsCurrent(all[1]));
    }
}
