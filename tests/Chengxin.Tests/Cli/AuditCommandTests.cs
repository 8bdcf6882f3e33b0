using Chengxin.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Chengxin.Tests.Cli;

/// <summary>`chengxin audit` and `chengxin keys` as an operator runs them against a platform's database.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class AuditCommandTests
{
    [Fact]
    public async Task VerifySaysIntactThenNamesTheFirstTamperedEntry()
    {
        await using var platform = await TestPlatform.StartAsync("sqlite");
        await SecurityFixtures.PushAsync(platform, 2, 2, 2);
        var head = await SecurityFixtures.DbAsync(platform, db => db.AuditEntries.MaxAsync(e => e.Sequence));
        var secondPush = await SecurityFixtures.DbAsync(platform, db => db.AuditEntries.Where(e => e.Action == "records.push").OrderBy(e => e.Sequence).Select(e => e.Sequence).Skip(1).FirstAsync());

        var signed = await CommandTests.RunAsync(CommandTests.Against(platform, "audit", "checkpoint"));
        Assert.Equal(0, signed.Exit);
        Assert.Contains($"Signed entry {head}", signed.Out, StringComparison.Ordinal);
        var intact = await CommandTests.RunAsync(CommandTests.Against(platform, "audit", "verify"));
        Assert.Equal(0, intact.Exit);
        Assert.Contains($"Intact: {head} entries, 1 signed checkpoints", intact.Out, StringComparison.Ordinal);

        var exported = Path.GetTempFileName();
        try
        {
            Assert.Equal(0, (await CommandTests.RunAsync(CommandTests.Against(platform, "audit", "export", "--out", exported))).Exit);
            Assert.Contains("\"signature\"", await File.ReadAllTextAsync(exported), StringComparison.Ordinal);

            await SecurityFixtures.TamperAsync(platform, "UPDATE \"AuditEntries\" SET \"Actor\" = 'client:someone-else' WHERE \"Sequence\" = {0}", secondPush);
            var tampered = await CommandTests.RunAsync(CommandTests.Against(platform, "audit", "verify", "--checkpoints", exported));
            Assert.Equal(1, tampered.Exit);
            Assert.Contains($"TAMPERED at entry {secondPush}", tampered.Out, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(exported);
        }
    }

    [Theory]
    [InlineData("data", "sm4-gcm", "sm4-gcm:", 16)]
    [InlineData("data", "aes-256-gcm", "", 32)]
    [InlineData("index", "hmac-sm3", "hmac-sm3:", 32)]
    public async Task KeysGeneratePrintsAKeyInTheFormConfigurationTakes(string kind, string algorithm, string prefix, int bytes)
    {
        var (exit, output, _) = await CommandTests.RunAsync("keys", "generate", kind, "--algorithm", algorithm);

        Assert.Equal(0, exit);
        var key = output.Trim();
        Assert.StartsWith(prefix, key, StringComparison.Ordinal);
        Assert.Equal(bytes, Convert.FromBase64String(key[prefix.Length..]).Length);
    }

    [Fact]
    public async Task KeysGenerateMakesAnAuditKeyThatSigns()
    {
        var (exit, output, _) = await CommandTests.RunAsync("keys", "generate", "audit", "--algorithm", "sm2");

        Assert.Equal(0, exit);
        Assert.True(Chengxin.Hosting.KeysOptions.TryParseSigningKey(output.Trim(), out var key));
        Assert.Equal("sm2", key.Algorithm);
    }
}
