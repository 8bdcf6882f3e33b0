using Chengxin.Crypto;

namespace Chengxin.Core.Tests.Crypto;

public sealed class BlindIndexTests
{
    private readonly BlindIndex _index = new(TestKeys.RingWithK1());

    [Fact]
    public void SameTypeAndNumberGiveTheSameIndex()
    {
        var again = new BlindIndex(TestKeys.RingWithK1());

        Assert.Equal(_index.Compute("resident-id", "11010519491231002X"), again.Compute("resident-id", "11010519491231002X"));
    }

    [Fact]
    public void IndexIsTheAlgorithmTheKeyIdAndTheHmacSha256InLowerCaseHex()
    {
        // HMAC-SHA256(bytes 100..131, "chengxin/subject/v1\nresident-id\n11010519491231002X"), computed independently.
        Assert.Equal(
            "h256:i1:8d9af0069a6180827073550f86698a2be09cef51598c538d3215867c97af677d",
            _index.Compute("resident-id", "11010519491231002X"));
    }

    [Fact]
    public void IndexIsPrefixedWithItsAlgorithmAndIndexKeyId()
    {
        var value = _index.Compute("passport", "E12345678");

        Assert.StartsWith("h256:i1:", value, StringComparison.Ordinal);
        Assert.Equal(8 + 64, value.Length);
    }

    [Fact]
    public void SameNumberUnderAnotherTypeGivesAnotherIndex()
    {
        Assert.NotEqual(_index.Compute("passport", "12345678"), _index.Compute("taiwan-permit", "12345678"));
    }

    [Fact]
    public void AnotherNumberGivesAnotherIndex()
    {
        Assert.NotEqual(_index.Compute("passport", "E12345678"), _index.Compute("passport", "E12345679"));
    }

    [Fact]
    public void TypeAndNumberAreSeparatedSoTheirBoundaryCannotShift()
    {
        Assert.NotEqual(_index.Compute("passport", "E1"), _index.Compute("passportE", "1"));
    }

    [Fact]
    public void AnotherIndexKeyGivesAnotherIndex()
    {
        var keys = new Dictionary<string, byte[]>(StringComparer.Ordinal) { ["k1"] = TestKeys.K1 };
        var other = new BlindIndex(new KeyRing("k1", keys, "i1", TestKeys.Filled(9)));

        Assert.NotEqual(_index.Compute("passport", "E12345678"), other.Compute("passport", "E12345678"));
    }

    [Fact]
    public void EncryptionKeyRotationDoesNotChangeTheIndex()
    {
        var rotated = new BlindIndex(TestKeys.Ring("k2", ("k1", TestKeys.K1), ("k2", TestKeys.K2)));

        Assert.Equal(_index.Compute("passport", "E12345678"), rotated.Compute("passport", "E12345678"));
    }

    [Fact]
    public void AnotherIndexKeyIdChangesThePrefix()
    {
        var keys = new Dictionary<string, byte[]>(StringComparer.Ordinal) { ["k1"] = TestKeys.K1 };
        var renamed = new BlindIndex(new KeyRing("k1", keys, "i2", TestKeys.Index));

        Assert.StartsWith("h256:i2:", renamed.Compute("passport", "E12345678"), StringComparison.Ordinal);
    }

    [Fact]
    public void ValuesInTheFirstReleasesFormAreStillLookedUp()
    {
        var all = _index.ComputeAll("resident-id", "11010519491231002X");

        Assert.Equal("h256:i1:8d9af0069a6180827073550f86698a2be09cef51598c538d3215867c97af677d", all[0]);
        Assert.Contains("i1:8d9af0069a6180827073550f86698a2be09cef51598c538d3215867c97af677d", all);
        Assert.False(_index.IsCurrent("i1:8d9af0069a6180827073550f86698a2be09cef51598c538d3215867c97af677d"));
    }

    [Fact]
    public void WithoutTheFirstReleasesFormOnlyTheCurrentValueIsLookedUp()
    {
        var all = _index.ComputeAll("resident-id", "11010519491231002X", firstReleaseForms: false);

        Assert.Equal(["h256:i1:8d9af0069a6180827073550f86698a2be09cef51598c538d3215867c97af677d"], all);
        Assert.Equal(["i1:%"], _index.FirstReleasePatterns());
    }
}
