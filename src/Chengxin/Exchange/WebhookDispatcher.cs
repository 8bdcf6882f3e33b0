using System.Text.Json;
using Chengxin.Data;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Chengxin.Exchange;

/// <summary><c>Webhooks:*</c>: how often deliveries are tried and how patiently.</summary>
public sealed class WebhookOptions
{
    public bool Enabled { get; set; } = true;
    public double PollSeconds { get; set; } = 5;
    public double RetryBaseSeconds { get; set; } = 2;
    public int MaxAttempts { get; set; } = 8;
    public int BatchSize { get; set; } = 100;
}

/// <summary>
/// Delivers each receiver's changes to its webhook in order, signed (HMAC-SHA256), a page at a time;
/// the cursor moves only on a 2xx answer, so nothing is skipped. Failures are retried with exponential
/// backoff; after the last attempt the page goes to the dead-letter list and delivery continues.
/// </summary>
public sealed class WebhookDispatcher(IServiceScopeFactory scopes, IHttpClientFactory http, IOptions<WebhookOptions> options, IOptions<JsonOptions> json, TimeProvider clock, ILogger<WebhookDispatcher> logger)
    : BackgroundService
{
    public const string HttpClientName = "webhooks";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }
        await Task.Yield(); // never hold up the host's start
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await DeliverDueAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Webhook delivery round failed");
            }
            await Task.Delay(TimeSpan.FromSeconds(options.Value.PollSeconds), clock, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    public const string LeaseName = "webhooks";

    // This process's name on a lease: another node's process has another.
    private static readonly string Holder = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    public async Task DeliverDueAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ChengxinDb>();
        var now = clock.GetUtcNow();
        // Deliveries run on one node at a time, so every page leaves once and in order.
        if (!await Leases.TryTakeAsync(db, LeaseName, Holder, now, TimeSpan.FromSeconds(Math.Max(30, options.Value.PollSeconds * 6)), cancellationToken))
        {
            return;
        }
        var due = await db.Receivers.Include(r => r.Items)
            .Where(r => r.WebhookUrl != null)
            .ToListAsync(cancellationToken);
        foreach (var receiver in due.Where(r => r.NextAttemptAt is null || r.NextAttemptAt <= now))
        {
            await DeliverAsync(scope.ServiceProvider, receiver, cancellationToken);
        }
    }

    private async Task DeliverAsync(IServiceProvider services, Receiver receiver, CancellationToken cancellationToken)
    {
        var feed = services.GetRequiredService<FeedService>();
        var secret = services.GetRequiredService<ReceiverService>().Secret(receiver);
        var db = services.GetRequiredService<ChengxinDb>();
        for (var pages = 0; pages < 20; pages++)
        {
            var page = await feed.PageAsync(receiver, Audit.Actors.System("webhook"), "webhook", receiver.DeliveredThrough, options.Value.BatchSize, cancellationToken);
            if (page.Items.Count == 0)
            {
                return;
            }
            var (from, to) = (page.Items[0].Sequence, page.Next);
            var error = await PostAsync(receiver, secret, page, $"{receiver.Id:N}-{from}-{to}", cancellationToken);
            var now = clock.GetUtcNow();
            if (error is null)
            {
                receiver.DeliveredThrough = to;
                receiver.Attempts = 0;
                receiver.NextAttemptAt = null;
                receiver.LastError = null;
                receiver.LastDeliveredAt = now;
            }
            else if (++receiver.Attempts >= options.Value.MaxAttempts)
            {
                receiver.LastError = error;
                logger.LogWarning("Webhook of receiver {Receiver} failed {Attempts} times; changes {From}-{To} go to the dead-letter list", receiver.Id, receiver.Attempts, from, to);
                db.DeadLetters.Add(new DeadLetter { ReceiverId = receiver.Id, FromSequence = from, ToSequence = to, Attempts = receiver.Attempts, LastError = error, At = now });
                receiver.DeliveredThrough = to;
                receiver.Attempts = 0;
                receiver.NextAttemptAt = null;
            }
            else
            {
                receiver.LastError = error;
                receiver.NextAttemptAt = now + TimeSpan.FromSeconds(Math.Min(3600, options.Value.RetryBaseSeconds * Math.Pow(2, receiver.Attempts - 1)));
            }
            // Each page's outcome is kept before the next leaves: a restart resends at most one page.
            await db.SaveChangesAsync(cancellationToken);
            if (receiver.NextAttemptAt is not null)
            {
                return;
            }
        }
    }

    /// <summary>Posts one page; null when the receiver answered 2xx, else what went wrong.</summary>
    private async Task<string?> PostAsync(Receiver receiver, byte[] secret, FeedPage page, string deliveryId, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(page, json.Value.SerializerOptions);
        using var request = new HttpRequestMessage(HttpMethod.Post, receiver.WebhookUrl) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json") { CharSet = "utf-8" };
        request.Headers.Add(WebhookSignature.Header, WebhookSignature.Sign(secret, clock.GetUtcNow().ToUnixTimeSeconds(), body));
        request.Headers.Add("X-Chengxin-Delivery", deliveryId);
        try
        {
            using var response = await http.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
            return response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return e.Message.Length > 500 ? e.Message[..500] : e.Message;
        }
    }
}

public static class ExchangeSetup
{
    public static IServiceCollection AddExchange(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WebhookOptions>().Bind(configuration.GetSection("Webhooks"));
        services.AddHttpClient(WebhookDispatcher.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(10));
        services.AddScoped<ReceiverService>();
        services.AddScoped<FeedService>();
        services.AddSingleton<WebhookDispatcher>();
        services.AddHostedService(s => s.GetRequiredService<WebhookDispatcher>());
        return services;
    }
}
