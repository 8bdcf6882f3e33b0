using System.Text;
using Chengxin.Crypto;

namespace Chengxin.Core.Tests.Crypto;

public sealed class SignatureTests
{
    private static readonly byte[] Message = Encoding.UTF8.GetBytes("checkpoint 42");

    public static TheoryData<string> Algorithms => [.. SigningKey.Algorithms];

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void SignatureVerifiesWithThePublicKeyAlone(string algorithm)
    {
        var key = SigningKey.FromPrivate(algorithm, "a1", SigningKey.GeneratePrivate(algorithm));

        var signature = key.Sign(Message);

        Assert.Equal(algorithm, signature.Algorithm);
        Assert.Equal("a1", signature.KeyId);
        Assert.True(SigningKey.Verify(key.Public, Message, signature));
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void SignatureOfAnotherMessageDoesNotVerify(string algorithm)
    {
        var key = SigningKey.FromPrivate(algorithm, "a1", SigningKey.GeneratePrivate(algorithm));

        var signature = key.Sign(Message);

        Assert.False(SigningKey.Verify(key.Public, Encoding.UTF8.GetBytes("checkpoint 43"), signature));
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void SignatureByAnotherKeyWithTheSameIdDoesNotVerify(string algorithm)
    {
        var key = SigningKey.FromPrivate(algorithm, "a1", SigningKey.GeneratePrivate(algorithm));
        var impostor = SigningKey.FromPrivate(algorithm, "a1", SigningKey.GeneratePrivate(algorithm));

        Assert.False(SigningKey.Verify(key.Public, Message, impostor.Sign(Message)));
    }

    [Fact]
    public void Ed25519PublicKeyFollowsFromTheSeed()
    {
        // RFC 8032 section 7.1, test 1.
        var seed = Convert.FromHexString("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");

        var key = SigningKey.FromPrivate(SigningKey.Ed25519, "a1", seed);

        Assert.Equal("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", Convert.ToHexStringLower(key.Public.PublicKey));
        Assert.Equal(
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
            Convert.ToHexStringLower(key.Sign([]).Bytes));
    }

    [Fact]
    public void SignatureTextRoundTrips()
    {
        var signature = new SignatureValue("sm2", "a7", [1, 2, 3, 250]);

        Assert.True(SignatureValue.TryParse(signature.ToString(), out var parsed));
        Assert.Equal(signature.Algorithm, parsed.Algorithm);
        Assert.Equal(signature.KeyId, parsed.KeyId);
        Assert.Equal(signature.Bytes, parsed.Bytes);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("ed25519:a1")]
    [InlineData("ed25519:a1:not base64!")]
    [InlineData(":a1:AAAA")]
    public void MalformedSignatureTextIsRefused(string? text)
    {
        Assert.False(SignatureValue.TryParse(text, out _));
    }

    [Fact]
    public void UnknownAlgorithmIsRefusedWithTheKnownOnes()
    {
        var error = Assert.Throws<ArgumentException>(() => SigningKey.FromPrivate("rsa", "a1", new byte[32]));

        Assert.Contains("ed25519, ecdsa-p256, sm2", error.Message, StringComparison.Ordinal);
    }
}
