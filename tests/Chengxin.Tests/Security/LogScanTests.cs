using System.Net.Http.Json;
using Chengxin.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Chengxin.Tests.Security;

/// <summary>
/// No identity number reaches a log line or a URL. Every test platform's logs are searched when it
/// stops (see <see cref="TestPlatform"/>); these tests show the search works and run the paths most
/// likely to leak: rejected identities, failed pushes, reads.
/// </summary>
public sealed class LogScanTests
{
    [Fact]
    public async Task TheSearchFindsANumberWhenOneIsLogged()
    {
        await using var platform = await TestPlatform.StartAsync("sqlite");
        var number = TestCodes.NewResidentId();

        platform.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Leaky").LogWarning("Subject {Number} not found", number);

        Assert.Single(platform.Logs.LinesWithIdentityNumbers());
        // Taken back out, or the platform's own check would rightly fail this test when it stops.
        platform.Logs.Clear();
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task PushesRejectionsAndReadsLogNoIdentityNumberAndKeepNoRejectedPerson(string provider)
    {
        await using var platform = await TestPlatform.StartAsync(provider);
        var (client, numbers, _) = await SecurityFixtures.PushAsync(platform, 5, 5);
        var rejected = TestCodes.NewResidentId();
        var bad = new[]
        {
            SecurityFixtures.Penalty("R-1", rejected[..17] + (rejected[17] == '0' ? '1' : '0')),
            SecurityFixtures.Penalty("R-2", TestCodes.NewResidentId(new DateOnly(2030, 1, 1))),
            SecurityFixtures.Penalty("R-3", rejected, decisionNo: new string('号', 5000)),
        };
        (await client.PostAsJsonAsync("/api/v1/records", new { records = bad })).EnsureSuccessStatusCode();
        await client.PostAsync("/api/v1/records", new StringContent($"{{\"records\": [{{\"subject\": \"{rejected}\"", System.Text.Encoding.UTF8, "application/json"));
        (await client.GetAsync($"/api/v1/records/{SecurityFixtures.SourceId(numbers[3])}")).EnsureSuccessStatusCode();

        // A person named only in rejected items is not stored at all.
        Assert.Null(await platform.WithScopeAsync(s => s.GetRequiredService<Chengxin.Subjects.SubjectRegistry>()
            .FindAsync(Chengxin.Identity.IdType.ResidentId, rejected, CancellationToken.None)));
        Assert.Contains(platform.Logs.Lines, l => l.Contains("/api/v1/records", StringComparison.Ordinal));
        Assert.Empty(platform.Logs.LinesWithIdentityNumbers());
    }
}
