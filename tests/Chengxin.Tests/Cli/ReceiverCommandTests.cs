using System.Text.Json;
using Chengxin.Tests.Infrastructure;

namespace Chengxin.Tests.Cli;

/// <summary>`chengxin receivers` as the credit office runs it.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class ReceiverCommandTests
{
    [Fact]
    public async Task TheWebhookSecretIsPrintedAsItIsSoItCanBeCopied()
    {
        await using var platform = await TestPlatform.StartAsync("sqlite");
        var city = await platform.AddOrganisationAsync("长沙市信用平台", "city-platform", uses: false);

        // Secrets are 32 random bytes in base64: over ten tries, a + or / comes up all but surely.
        var secrets = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            var run = await CommandTests.RunAsync(CommandTests.Against(platform, "receivers", "add", "--org", city.Code, "--item", "admin-penalty",
                "--webhook", $"https://receiver.example/hook/{i}"));
            Assert.Equal(0, run.Exit);
            Assert.DoesNotContain("\\u", run.Out, StringComparison.Ordinal);
            secrets.Add(JsonDocument.Parse(run.Out).RootElement.GetProperty("webhookSecret").GetString()!);
        }

        Assert.All(secrets, s => Assert.Equal(32, Convert.FromBase64String(s).Length));
        Assert.Contains(secrets, s => s.Contains('+', StringComparison.Ordinal) || s.Contains('/', StringComparison.Ordinal));
    }
}
