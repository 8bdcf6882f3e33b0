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

    // Where data protection writes what it encrypted, and how it marks what must be: its own format, in its own namespace.
    private static readonly XNamespace DataProtection = "http://schemas.asp.net/2015/03/dataProtection";

    public EncryptedXmlInfo Encrypt(XElement plaintextElement) =>
        new(new XElement("encryptedKey",
                new XComment(" encrypted with the platform's data key (Keys:Current) "),
                new XElement("value", Convert.ToBase64String(cipher.Encrypt(plaintextElement.ToString(SaveOptions.DisableFormatting), Binding)))),
            typeof(SessionKeyDecryptor));

    /// <summary>
    /// Puts a stored key under the current data key, in place: its secrets encrypted under an older one are re-encrypted, and
    /// secrets stored plain (before keys were encrypted) are encrypted as data protection would have written them. False when
    /// there was nothing to change.
    /// </summary>
    public static bool ReencryptUnder(XElement key, FieldCipher cipher)
    {
        var changed = false;
        foreach (var value in key.Descendants(DataProtection + "encryptedSecret")
            .Where(s => ((string?)s.Attribute("decryptorType"))?.StartsWith(typeof(SessionKeyDecryptor).FullName!, StringComparison.Ordinal) == true)
            .Select(s => s.Element("encryptedKey")?.Element("value")).OfType<XElement>())
        {
            var sealedValue = Convert.FromBase64String(value.Value);
            if (!cipher.IsCurrent(sealedValue))
            {
                value.Value = Convert.ToBase64String(cipher.Encrypt(cipher.DecryptBytes(sealedValue, Binding), Binding));
                changed = true;
            }
        }
        foreach (var plain in key.Descendants().Where(e => (bool?)e.Attribute(DataProtection + "requiresEncryption") == true).ToList())
        {
            var encrypted = new SessionKeyEncryptor(cipher).Encrypt(plain);
            plain.ReplaceWith(new XElement(DataProtection + "encryptedSecret",
                new XAttribute("decryptorType", encrypted.DecryptorType.AssemblyQualifiedName!), encrypted.EncryptedElement));
            changed = true;
        }
        return changed;
    }
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
