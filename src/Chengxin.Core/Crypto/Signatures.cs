using System.Security.Cryptography;
using Org.BouncyCastle.Asn1.GM;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;

namespace Chengxin.Crypto;

/// <summary>A signature with the algorithm and key id that made it: <c>ed25519:a1:BASE64</c>.</summary>
public sealed record SignatureValue(string Algorithm, string KeyId, byte[] Bytes)
{
    public override string ToString() => $"{Algorithm}:{KeyId}:{Convert.ToBase64String(Bytes)}";

    public static bool TryParse(string? text, out SignatureValue value)
    {
        value = null!;
        var parts = text?.Split(':');
        if (parts is not { Length: 3 } || parts[0].Length == 0 || parts[1].Length == 0)
        {
            return false;
        }
        var buffer = new byte[parts[2].Length];
        if (!Convert.TryFromBase64String(parts[2], buffer, out var written))
        {
            return false;
        }
        value = new SignatureValue(parts[0], parts[1], buffer[..written]);
        return true;
    }
}

/// <summary>A public key others can verify signatures with, exportable with the checkpoints it signed.</summary>
public sealed record VerificationKey(string Algorithm, string KeyId, byte[] PublicKey);

/// <summary>
/// A signing key: Ed25519 by default, ECDSA P-256, or SM2 (with SM3) for GB/T 39786 deployments.
/// The private key lives in configuration, outside the database it vouches for.
/// </summary>
public sealed class SigningKey
{
    public const string Ed25519 = "ed25519";
    public const string EcdsaP256 = "ecdsa-p256";
    public const string Sm2 = "sm2";
    public static readonly IReadOnlyList<string> Algorithms = [Ed25519, EcdsaP256, Sm2];

    private readonly byte[] _privateKey;

    private SigningKey(string algorithm, string keyId, byte[] privateKey, byte[] publicKey)
    {
        Algorithm = algorithm;
        KeyId = keyId;
        _privateKey = privateKey;
        Public = new VerificationKey(algorithm, keyId, publicKey);
    }

    public string Algorithm { get; }

    public string KeyId { get; }

    public VerificationKey Public { get; }

    /// <summary>The key from its private part: a 32-byte seed (Ed25519), PKCS#8 (ECDSA) or the 32-byte scalar (SM2).</summary>
    public static SigningKey FromPrivate(string algorithm, string keyId, byte[] privateKey) => algorithm switch
    {
        Ed25519 => new(algorithm, keyId, privateKey, new Ed25519PrivateKeyParameters(privateKey).GeneratePublicKey().GetEncoded()),
        EcdsaP256 => new(algorithm, keyId, privateKey, EcdsaPublic(privateKey)),
        Sm2 => new(algorithm, keyId, privateKey, Sm2Domain.G.Multiply(new BigInteger(1, privateKey)).Normalize().GetEncoded(false)),
        _ => throw new ArgumentException($"Unknown signature algorithm '{algorithm}'; use one of {string.Join(", ", Algorithms)}.", nameof(algorithm)),
    };

    /// <summary>A fresh private key for the algorithm, in the form <see cref="FromPrivate"/> reads.</summary>
    public static byte[] GeneratePrivate(string algorithm)
    {
        switch (algorithm)
        {
            case Ed25519:
                return RandomNumberGenerator.GetBytes(32);
            case EcdsaP256:
                using (var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256))
                {
                    return ecdsa.ExportPkcs8PrivateKey();
                }
            case Sm2:
                // A scalar in [1, n-1], drawn uniformly by rejection.
                while (true)
                {
                    var d = new BigInteger(1, RandomNumberGenerator.GetBytes(32));
                    if (d.SignValue > 0 && d.CompareTo(Sm2Domain.N) < 0)
                    {
                        var bytes = d.ToByteArrayUnsigned();
                        return [.. new byte[32 - bytes.Length], .. bytes];
                    }
                }
            default:
                throw new ArgumentException($"Unknown signature algorithm '{algorithm}'.", nameof(algorithm));
        }
    }

    public SignatureValue Sign(byte[] message)
    {
        byte[] signature;
        switch (Algorithm)
        {
            case Ed25519:
                var ed = new Ed25519Signer();
                ed.Init(true, new Ed25519PrivateKeyParameters(_privateKey));
                ed.BlockUpdate(message, 0, message.Length);
                signature = ed.GenerateSignature();
                break;
            case EcdsaP256:
                using (var ecdsa = ECDsa.Create())
                {
                    ecdsa.ImportPkcs8PrivateKey(_privateKey, out _);
                    signature = ecdsa.SignData(message, HashAlgorithmName.SHA256);
                }
                break;
            default:
                var sm2 = new SM2Signer();
                sm2.Init(true, new ParametersWithRandom(new ECPrivateKeyParameters(new BigInteger(1, _privateKey), Sm2Domain), new SecureRandom()));
                sm2.BlockUpdate(message, 0, message.Length);
                signature = sm2.GenerateSignature();
                break;
        }
        return new SignatureValue(Algorithm, KeyId, signature);
    }

    public static bool Verify(VerificationKey key, byte[] message, SignatureValue signature)
    {
        if (key.Algorithm != signature.Algorithm || key.KeyId != signature.KeyId)
        {
            return false;
        }
        try
        {
            switch (key.Algorithm)
            {
                case Ed25519:
                    var ed = new Ed25519Signer();
                    ed.Init(false, new Ed25519PublicKeyParameters(key.PublicKey));
                    ed.BlockUpdate(message, 0, message.Length);
                    return ed.VerifySignature(signature.Bytes);
                case EcdsaP256:
                    using (var ecdsa = ECDsa.Create())
                    {
                        ecdsa.ImportSubjectPublicKeyInfo(key.PublicKey, out _);
                        return ecdsa.VerifyData(message, signature.Bytes, HashAlgorithmName.SHA256);
                    }
                case Sm2:
                    var sm2 = new SM2Signer();
                    sm2.Init(false, new ECPublicKeyParameters(Sm2Domain.Curve.DecodePoint(key.PublicKey), Sm2Domain));
                    sm2.BlockUpdate(message, 0, message.Length);
                    return sm2.VerifySignature(signature.Bytes);
                default:
                    return false;
            }
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException or FormatException)
        {
            // A malformed key or signature is a failed verification, never a crash of the verifier.
            return false;
        }
    }

    private static readonly ECDomainParameters Sm2Domain = new(GMNamedCurves.GetByName("sm2p256v1"));

    private static byte[] EcdsaPublic(byte[] pkcs8)
    {
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportPkcs8PrivateKey(pkcs8, out _);
        return ecdsa.ExportSubjectPublicKeyInfo();
    }
}

/// <summary>The key that signs new checkpoints (absent where the chain is only verified) and every public key that may have signed old ones.</summary>
public sealed class CheckpointKeys(SigningKey? signer, IEnumerable<VerificationKey> verifiers)
{
    private readonly Dictionary<(string, string), VerificationKey> _verifiers =
        verifiers.Concat(signer is null ? [] : [signer.Public]).DistinctBy(k => (k.Algorithm, k.KeyId)).ToDictionary(k => (k.Algorithm, k.KeyId));

    public SigningKey? Signer => signer;

    public IReadOnlyCollection<VerificationKey> Verifiers => _verifiers.Values;

    public bool Verify(byte[] message, SignatureValue signature) =>
        _verifiers.TryGetValue((signature.Algorithm, signature.KeyId), out var key) && SigningKey.Verify(key, message, signature);
}
