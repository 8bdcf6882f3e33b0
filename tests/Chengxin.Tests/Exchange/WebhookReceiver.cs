using System.Collections.Concurrent;
using System.Text.Json;
using Chengxin.Exchange;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Chengxin.Tests.Exchange;

/// <summary>A receiver's system on a loopback port: it verifies each delivery's signature and keeps what it got.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WebhookReceiver(WebApplication app) => _app = app;

    public byte[] Secret { get; set; } = [];

    /// <summary>How many of the next deliveries to answer with 503.</summary>
    public int FailNext { get; set; }

    public ConcurrentQueue<long> Sequences { get; } = new();

    public ConcurrentQueue<string> Kinds { get; } = new();

    public int BadSignatures { get; private set; }

    public int Requests { get; private set; }

    public string Url => _app.Urls.First() + "/hook";

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hook", async (HttpRequest request) =>
        {
            receiver.Requests++;
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer);
            if (!WebhookSignature.Verify(receiver.Secret, request.Headers[WebhookSignature.Header], buffer.ToArray(), DateTimeOffset.UtcNow.ToUnixTimeSeconds()))
            {
                receiver.BadSignatures++;
                return Results.StatusCode(401);
            }
            if (receiver.FailNext > 0)
            {
                receiver.FailNext--;
                return Results.StatusCode(503);
            }
            using var page = JsonDocument.Parse(buffer.ToArray());
            foreach (var item in page.RootElement.GetProperty("items").EnumerateArray())
            {
                receiver.Sequences.Enqueue(item.GetProperty("sequence").GetInt64());
                receiver.Kinds.Enqueue(item.GetProperty("kind").GetString()!);
            }
            return Results.Ok();
        });
        await app.StartAsync();
        return receiver;
    }

    public async Task WaitForAsync(Func<WebhookReceiver, bool> condition, int seconds = 20)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition(this))
        {
            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"The receiver got {Sequences.Count} changes in {Requests} requests ({BadSignatures} badly signed), not what was awaited.");
            }
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
