using System.Net;
using Chengxin.Accounts;
using Chengxin.Data;
using Chengxin.Tests.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Chengxin.Tests.Security;

/// <summary>The keys that sign sessions are stored encrypted with the platform's data key, and read back from the database, as are keys stored plain before.</summary>
public sealed class SessionKeyTests
{
    [Fact]
    public async Task TheKeysThatSignSessionsAreStoredEncryptedAndStillReadBack()
    {
        await using var platform = await TestPlatform.StartAsync("sqlite", demo: true);
        using var session = await PortalSession.DemoAsync(platform.Address, Roles.Subject);
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/Me")).StatusCode);

        var stored = await SecurityFixtures.DbAsync(platform, db => db.DataProtectionKeys.Select(k => k.Xml!).ToListAsync());

        Assert.NotEmpty(stored);
        // The key material itself (<masterKey>) is never written in the clear, only its ciphertext.
        Assert.All(stored, xml =>
        {
            Assert.DoesNotContain("masterKey", xml, StringComparison.Ordinal);
            Assert.Contains("SessionKeyDecryptor", xml, StringComparison.Ordinal);
        });
        // A key stored in the clear, as before keys were encrypted: its secret as plain XML, under another id.
        var plainId = await SecurityFixtures.AddPlainSessionKeyAsync(platform);
        Assert.Contains("masterKey", await SecurityFixtures.DbAsync(platform, db => db.DataProtectionKeys.Where(k => k.FriendlyName == $"key-{plainId}").Select(k => k.Xml!).SingleAsync()), StringComparison.Ordinal);

        // Read back as another node reads them: from the database, the encrypted ones decrypted with the data key, the plain one as it is.
        await platform.WithScopeAsync(services =>
        {
            var keys = services.GetRequiredService<IKeyManager>().GetAllKeys();
            Assert.Contains(keys, k => k.KeyId == plainId);
            Assert.All(keys, k => Assert.NotNull(k.Descriptor));
            var protector = services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test");
            Assert.Equal("张伟", protector.Unprotect(protector.Protect("张伟")));
            return Task.CompletedTask;
        });
    }
}
