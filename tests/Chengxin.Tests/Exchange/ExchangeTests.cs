using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Chengxin.Clients;
using Chengxin.Data;
using Chengxin.Exchange;
using Chengxin.Organisations;
using Chengxin.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Chengxin.Tests.Exchange;

/// <summary>Receivers get every change of the items they subscribed to: through the feed and through a signed webhook.</summary>
public abstract class ExchangeTests<TPlatform>(TPlatform fixture) : IClassFixture<TPlatform>
    where TPlatform : PlatformFixture
{
    private TestPlatform Platform => fixture.Platform;

    private static object Penalty(string sourceId, string idNumber, string severity = "general") => new
    {
        sourceId,
        catalogItem = "admin-penalty",
        subject = new { idType = "resident-id", idNumber, name = "赵六" },
        occurredOn = "2025-07-01",
        fields = new { decisionNo = "湘市监罚〔2025〕9号", authority = "湖南省市场监督管理局", domain = "food-drug", violation = "销售过期食品", legalProvision = "《食品安全法》", penaltyType = "fine", severity },
    };

    private Task<OrganisationView> OrganisationAsync(string kind, bool uses, params string[] provides) =>
        Platform.AddOrganisationAsync(kind, kind, uses, provides);

    private Task<(string? Secret, IReadOnlyList<string> Problems)> SubscribeAsync(string code, string? webhook, params string[] items) =>
        Platform.WithScopeAsync(s => s.GetRequiredService<ReceiverService>().SubscribeAsync(code, items, webhook, CancellationToken.None));

    /// <summary>A provider that pushes, updates and revokes admin-penalty records: five changes in all.</summary>
    private async Task<HttpClient> ProduceFiveChangesAsync()
    {
        var provider = await OrganisationAsync("department", false, "admin-penalty");
        var client = await Platform.SystemClientAsync(await Platform.AddClientAsync(provider.Code, ApiScopes.RecordsPush), ApiScopes.RecordsPush);
        var id = TestCodes.NewResidentId();
        await client.PostAsJsonAsync("/api/v1/records", new { records = new[] { Penalty("e-1", id), Penalty("e-2", TestCodes.NewResidentId()), Penalty("e-3", TestCodes.NewResidentId()) } });
        await client.PostAsJsonAsync("/api/v1/records", new { records = new[] { Penalty("e-1", id, "serious") } });
        await client.PostAsJsonAsync("/api/v1/records/revocations", new { sourceId = "e-2", reason = "撤销" });
        return client;
    }

    private async Task<HttpClient> FeedClientAsync(OrganisationView receiver) =>
        await Platform.SystemClientAsync(await Platform.AddClientAsync(receiver.Code, ApiScopes.Feed), ApiScopes.Feed);

    [Fact]
    public async Task TheFeedGivesEveryChangeOnceAndInOrderPageByPage()
    {
        var city = await OrganisationAsync("city-platform", true);
        Assert.Empty((await SubscribeAsync(city.Code, null, "admin-penalty")).Problems);
        using var reader = await FeedClientAsync(city);
        var start = (await reader.GetFromJsonAsync<JsonElement>("/api/v1/feed")).GetProperty("next").GetInt64();
        await ProduceFiveChangesAsync();

        var seen = new List<JsonElement>();
        var cursor = start;
        for (var i = 0; i < 20; i++)
        {
            var page = await reader.GetFromJsonAsync<JsonElement>($"/api/v1/feed?after={cursor}&limit=2");
            var items = page.GetProperty("items").EnumerateArray().ToList();
            if (items.Count == 0)
            {
                Assert.Equal(cursor, page.GetProperty("next").GetInt64());
                break;
            }
            seen.AddRange(items);
            cursor = page.GetProperty("next").GetInt64();
        }

        var sequences = seen.Select(i => i.GetProperty("sequence").GetInt64()).ToList();
        Assert.Equal(sequences.Order(), sequences);
        Assert.Equal(sequences.Count, sequences.Distinct().Count());
        var mine = seen.Where(i => i.GetProperty("sourceId").GetString()!.StartsWith("e-", StringComparison.Ordinal)).ToList();
        Assert.Equal(["created", "created", "created", "updated", "revoked"], mine.Select(i => i.GetProperty("kind").GetString()));
        Assert.Equal("serious", mine[3].GetProperty("fields").GetProperty("severity").GetString());
        Assert.Equal(2, mine[3].GetProperty("version").GetInt32());
        Assert.Equal("赵六", mine[0].GetProperty("subject").GetProperty("name").GetString());
    }

    [Fact]
    public async Task TheFeedHoldsOnlyTheSubscribedItems()
    {
        var city = await OrganisationAsync("city-platform", true);
        await SubscribeAsync(city.Code, null, "exam-cheating");
        using var reader = await FeedClientAsync(city);
        await ProduceFiveChangesAsync();

        var page = await reader.GetFromJsonAsync<JsonElement>("/api/v1/feed?after=0&limit=500");

        Assert.All(page.GetProperty("items").EnumerateArray(), i => Assert.Equal("exam-cheating", i.GetProperty("catalogItem").GetString()));
    }

    [Fact]
    public async Task AReceiverCannotSubscribeToItemsItIsNotEntitledTo()
    {
        var bank = await OrganisationAsync("bank", false);

        var (_, problems) = await SubscribeAsync(bank.Code, null, "exam-cheating");

        Assert.Contains("not entitled", Assert.Single(problems), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnOrganisationWithoutSubscriptionGetsNotFound()
    {
        var nobody = await OrganisationAsync("department", true);
        using var reader = await FeedClientAsync(nobody);

        var response = await reader.GetAsync("/api/v1/feed");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task AWebhookGetsEveryChangeOnceSignedAndSurvivesFailures()
    {
        await using var hook = await WebhookReceiver.StartAsync();
        hook.FailNext = 2; // the first two deliveries fail and are retried
        var city = await OrganisationAsync("city-platform", true);
        var (secret, problems) = await SubscribeAsync(city.Code, hook.Url, "admin-penalty");
        Assert.Empty(problems);
        hook.Secret = Convert.FromBase64String(secret!);

        await ProduceFiveChangesAsync();
        await hook.WaitForAsync(h => h.Kinds.Count >= 5);

        Assert.Equal(0, hook.BadSignatures);
        Assert.Equal(hook.Sequences.Count, hook.Sequences.Distinct().Count());
        Assert.Equal(["created", "created", "created", "updated", "revoked"], hook.Kinds);
        // The receiver has the changes as soon as it answers 200; the cursor moves just after, so wait for it.
        var mine = await Eventually(async () => (await Platform.WithScopeAsync(s => s.GetRequiredService<ReceiverService>().ListAsync(CancellationToken.None)))
            .Single(r => r.Organisation == city.Code), m => m.Pending == 0);
        Assert.Equal(0, mine.Pending);
        Assert.Equal(0, mine.DeadLetters);
    }

    private static async Task<T> Eventually<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        var value = await read();
        while (!done(value) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
            value = await read();
        }
        return value;
    }

    [Fact]
    public async Task AWebhookThatKeepsFailingGoesToTheDeadLetterListAndDeliveryGoesOn()
    {
        await using var hook = await WebhookReceiver.StartAsync();
        hook.FailNext = 3; // MaxAttempts is 3: the first page is dead-lettered
        var city = await OrganisationAsync("city-platform", true);
        var (secret, _) = await SubscribeAsync(city.Code, hook.Url, "admin-penalty");
        hook.Secret = Convert.FromBase64String(secret!);

        await ProduceFiveChangesAsync();
        await hook.WaitForAsync(h => h.Kinds.Count >= 3);

        var dead = await Platform.WithScopeAsync(async s =>
        {
            var db = s.GetRequiredService<ChengxinDb>();
            var receiverId = await db.Receivers.Where(r => r.OrganisationId == city.Id).Select(r => r.Id).SingleAsync();
            return await db.DeadLetters.Where(d => d.ReceiverId == receiverId).ToListAsync();
        });
        var letter = Assert.Single(dead);
        Assert.Equal(2, letter.ToSequence - letter.FromSequence + 1);
        Assert.Contains("503", letter.LastError, StringComparison.Ordinal);
        Assert.Equal(["created", "updated", "revoked"], hook.Kinds);
    }

    [Fact]
    public void ASignatureIsRefusedWhenTheBodyTheSecretOrTheTimeIsWrong()
    {
        var secret = new byte[32];
        var body = "{\"items\":[]}"u8.ToArray();
        var header = WebhookSignature.Sign(secret, 1_800_000_000, body);

        Assert.True(WebhookSignature.Verify(secret, header, body, 1_800_000_010));
        Assert.False(WebhookSignature.Verify(secret, header, "{\"items\":[1]}"u8.ToArray(), 1_800_000_010));
        Assert.False(WebhookSignature.Verify(new byte[] { 1 }, header, body, 1_800_000_010));
        Assert.False(WebhookSignature.Verify(secret, header, body, 1_800_001_000));
        Assert.False(WebhookSignature.Verify(secret, null, body, 1_800_000_010));
        Assert.False(WebhookSignature.Verify(secret, "t=1800000000,v1=zz", body, 1_800_000_010));
    }
}

public sealed class ExchangeOnSqlite(SqliteWebhookPlatform fixture) : ExchangeTests<SqliteWebhookPlatform>(fixture);

public sealed class ExchangeOnPostgres(PostgresWebhookPlatform fixture) : ExchangeTests<PostgresWebhookPlatform>(fixture);
