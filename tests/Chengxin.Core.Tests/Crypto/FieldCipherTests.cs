using System.Security.Cryptography;
using Chengxin.Crypto;

namespace Chengxin.Core.Tests.Crypto;

public sealed class FieldCipherTests
{
    private const string Binding = "subject/42/name";

    [Theory]
    [InlineData("11010519491231002X")]
    [InlineData("张伟")]
    [InlineData("欧阳娜娜 𠮷")]
    [InlineData("")]
    public void EncryptedTextDecryptsToTheSameText(string plaintext)
    {
        var cipher = new FieldCipher(TestKeys.RingWithK1());

        var sealedValue = cipher.Encrypt(plaintext, Binding);

        Assert.Equal(plaintext, cipher.Decrypt(sealedValue, Binding));
    }

    [Fact]
    public void CiphertextDoesNotContainThePlaintext()
    {
        var sealedValue = new FieldCipher(TestKeys.RingWithK1()).Encrypt("11010519491231002X", Binding);

        Assert.DoesNotContain("11010519491231002X", System.Text.Encoding.ASCII.GetString(sealedValue), StringComparison.Ordinal);
    }

    [Fact]
    public void TwoEncryptionsOfTheSameTextDiffer()
    {
        var cipher = new FieldCipher(TestKeys.RingWithK1());

        var first = cipher.Encrypt("张伟", Binding);
        var second = cipher.Encrypt("张伟", Binding);

        Assert.NotEqual(first, second);
        Assert.Equal(cipher.Decrypt(first, Binding), cipher.Decrypt(second, Binding));
    }

    [Fact]
    public void ValueCopiedToAnotherRowDoesNotDecrypt()
    {
        var cipher = new FieldCipher(TestKeys.RingWithK1());
        var sealedValue = cipher.Encrypt("张伟", "subject/42/name");

        Assert.ThrowsAny<CryptographicException>(() => cipher.Decrypt(sealedValue, "subject/43/name"));
    }

    [Fact]
    public void AFlippedBitAnywhereInTheCiphertextIsDetected()
    {
        var cipher = new FieldCipher(TestKeys.RingWithK1());
        var sealedValue = cipher.Encrypt("张伟", Binding);

        // Header (version, algorithm, key id length, key id), nonce, tag and body: every byte.
        for (var i = 0; i < sealedValue.Length; i++)
        {
            var tampered = (byte[])sealedValue.Clone();
            tampered[i] ^= 0x01;

            Assert.ThrowsAny<CryptographicException>(() => cipher.Decrypt(tampered, Binding));
        }
    }

    [Fact]
    public void AKeyIdLengthRunningPastTheEndIsRefusedAsACryptographicError()
    {
        var cipher = new FieldCipher(TestKeys.RingWithK1());
        var tampered = cipher.Encrypt("张伟", Binding);
        tampered[2] = 0xFF;

        Assert.ThrowsAny<CryptographicException>(() => FieldCipher.KeyIdOf(tampered));
        Assert.ThrowsAny<CryptographicException>(() => cipher.Decrypt(tampered, Binding));
    }

    [Fact]
    public void ATruncatedCiphertextIsRefusedAsACryptographicError()
    {
        var cipher = new FieldCipher(TestKeys.RingWithK1());
        var sealedValue = cipher.Encrypt("", Binding);
        var truncated = sealedValue[..^2];

        Assert.ThrowsAny<CryptographicException>(() => cipher.Decrypt(truncated, Binding));
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 1, 1, 2, (byte)'k', (byte)'1' })]
    public void BytesTooShortToBeACiphertextAreRefused(byte[] value)
    {
        Assert.ThrowsAny<CryptographicException>(() => FieldCipher.KeyIdOf(value));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void UnknownFormatVersionOrAlgorithmIsRefused(int position)
    {
        var sealedValue = new FieldCipher(TestKeys.RingWithK1()).Encrypt("张伟", Binding);
        sealedValue[position] = 9;

        var error = Assert.ThrowsAny<CryptographicException>(() => FieldCipher.KeyIdOf(sealedValue));
        Assert.Contains("not a ciphertext of a known format", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void KeyIdOfNamesTheKeyThatEncrypted()
    {
        var sealedValue = new FieldCipher(TestKeys.Ring("key-2026", ("key-2026", TestKeys.K1))).Encrypt("张伟", Binding);

        Assert.Equal("key-2026", FieldCipher.KeyIdOf(sealedValue));
    }

    [Fact]
    public void ValueWrittenUnderAnOldKeyStillDecryptsAfterRotationAndNewValuesUseTheNewKey()
    {
        var before = new FieldCipher(TestKeys.RingWithK1());
        var old = before.Encrypt("张伟", Binding);

        var after = new FieldCipher(TestKeys.Ring("k2", ("k1", TestKeys.K1), ("k2", TestKeys.K2)));
        var fresh = after.Encrypt("李娜", Binding);

        Assert.Equal("k1", FieldCipher.KeyIdOf(old));
        Assert.Equal("张伟", after.Decrypt(old, Binding));
        Assert.Equal("k2", FieldCipher.KeyIdOf(fresh));
        Assert.Equal("李娜", after.Decrypt(fresh, Binding));
    }

    [Fact]
    public void RingWithoutTheOldKeyCannotDecryptWhatItWrote()
    {
        var old = new FieldCipher(TestKeys.RingWithK1()).Encrypt("张伟", Binding);
        var withoutK1 = new FieldCipher(TestKeys.Ring("k2", ("k2", TestKeys.K2)));

        var error = Assert.ThrowsAny<CryptographicException>(() => withoutK1.Decrypt(old, Binding));
        Assert.Contains("'k1'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SameKeyIdWithDifferentKeyMaterialDoesNotDecrypt()
    {
        var old = new FieldCipher(TestKeys.RingWithK1()).Encrypt("张伟", Binding);
        var impostor = new FieldCipher(TestKeys.Ring("k1", ("k1", TestKeys.K2)));

        Assert.ThrowsAny<CryptographicException>(() => impostor.Decrypt(old, Binding));
    }

    [Fact]
    public void KeyIdsThatCannotTravelAsAsciiAreRefusedByTheRing()
    {
        // The key id is written into every ciphertext's header as ASCII; "密钥" would come back as "??".
        Assert.Throws<ArgumentException>(() => TestKeys.Ring("密钥-2026", ("密钥-2026", TestKeys.K1)));
    }
}
