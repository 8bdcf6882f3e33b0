using Chengxin.Crypto;

namespace Chengxin.Core.Tests.Crypto;

public sealed class KeyRingTests
{
    [Fact]
    public void ValidRingExposesItsKeys()
    {
        var ring = TestKeys.Ring("k2", ("k1", TestKeys.K1), ("k2", TestKeys.K2));

        Assert.Equal("k2", ring.CurrentEncryptionKeyId);
        Assert.Equal(2, ring.EncryptionKeys.Count);
        Assert.Equal("i1", ring.CurrentIndexKeyId);
        Assert.Equal(TestKeys.Index, ring.CurrentIndexKey.Bytes);
    }

    [Fact]
    public void CurrentKeyIdMustBeInTheRing()
    {
        var error = Assert.Throws<ArgumentException>(() => TestKeys.Ring("k3", ("k1", TestKeys.K1)));

        Assert.Equal("currentEncryptionKeyId", error.ParamName);
        Assert.Contains("'k3'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(16)]
    [InlineData(31)]
    [InlineData(33)]
    [InlineData(64)]
    public void EncryptionKeyMustHaveExactly32Bytes(int size)
    {
        var error = Assert.Throws<ArgumentException>(() => TestKeys.Ring("k1", ("k1", new byte[size])));

        Assert.Equal("encryptionKeys", error.ParamName);
    }

    [Fact]
    public void EveryKeyInTheRingIsChecked()
    {
        var error = Assert.Throws<ArgumentException>(() => TestKeys.Ring("k1", ("k1", TestKeys.K1), ("old", new byte[16])));

        Assert.Contains("'old'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("k123456789012345678901234567890123")]
    public void KeyIdMustHaveOneTo32Characters(string id)
    {
        var keys = new Dictionary<string, byte[]>(StringComparer.Ordinal) { ["k1"] = TestKeys.K1, [id] = TestKeys.K2 };

        var error = Assert.Throws<ArgumentException>(() => new KeyRing("k1", keys, "i1", TestKeys.Index));

        Assert.Equal("encryptionKeys", error.ParamName);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(16)]
    [InlineData(31)]
    public void IndexKeyShorterThan32BytesIsRefused(int size)
    {
        var keys = new Dictionary<string, byte[]>(StringComparer.Ordinal) { ["k1"] = TestKeys.K1 };

        var error = Assert.Throws<ArgumentException>(() => new KeyRing("k1", keys, "i1", new byte[size]));

        Assert.Equal("indexKeys", error.ParamName);
    }

    [Fact]
    public void IndexKeyLongerThan32BytesIsAccepted()
    {
        var keys = new Dictionary<string, byte[]>(StringComparer.Ordinal) { ["k1"] = TestKeys.K1 };

        var ring = new KeyRing("k1", keys, "i1", Enumerable.Repeat((byte)7, 64).ToArray());

        Assert.Equal(64, ring.CurrentIndexKey.Bytes.Length);
    }

    [Fact]
    public void IndexKeyEqualToTheCurrentEncryptionKeyIsRefused()
    {
        var keys = new Dictionary<string, byte[]>(StringComparer.Ordinal) { ["k1"] = TestKeys.K1 };

        var error = Assert.Throws<ArgumentException>(() => new KeyRing("k1", keys, "i1", TestKeys.Filled(1)));

        Assert.Equal("indexKeys", error.ParamName);
    }
}
