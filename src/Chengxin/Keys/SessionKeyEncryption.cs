using System.Xml.Linq;
using Chengxin.Crypto;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace Chengxin.Keys;

/// <summary>
/// The data-protection keys (they sign sessions, two-factor steps and antiforgery tokens) are kept in the database with
/// everything else: encrypted with the platform's data key (<c>Keys:Current</c>, from configuration, never in the database),
/// so whoever can read the database cannot forge a session. Keys stored before this were plain and are still read.
/// </summary>
public sealed class SessionKeyEncryptor(FieldCipher cipher) : IXmlEncryptor
{
    /// <summary>Bound to its purpose: a data-protection key's ciphertext does not decrypt as any other field.</summary>
    internal const string Binding = "data-protection/key";

    public EncryptedXmlInfo Encrypt(XElement plaintextElement) =>
        new(new XElement("encryptedKey",
                new XComment(" encrypted with the platform's data key (Keys:Current) "),
                new XElement("value", Convert.ToBase64String(cipher.Encrypt(plaintextElement.ToString(SaveOptions.DisableFormatting), Binding)))),
            typeof(SessionKeyDecryptor));
}

/// <summary>Made by data protection from its type name, with the services: the key ring holds retired data keys too.</summary>
public sealed class SessionKeyDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        var value = encryptedElement.Element("value")?.Value ?? throw new InvalidOperationException("An encrypted data-protection key has no value.");
        return XElement.Parse(services.GetRequiredService<FieldCipher>().Decrypt(Convert.FromBase64String(value), SessionKeyEncryptor.Binding));
    }
}
