using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace PaymentSimulator.Tests;

/// <summary>One delivery as received: the raw bytes and the signature headers.</summary>
internal sealed record ReceivedWebhook(byte[] Body, string? Date, string? ContentHash, string? Authorization);

/// <summary>A merchant's webhook endpoint on 127.0.0.1: records deliveries and answers with a chosen status.</summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WebhookReceiver(WebApplication app, string address)
    {
        _app = app;
        Url = new Uri($"{address}/hooks/vipps?env=test");
    }

    public Uri Url { get; }

    public ConcurrentQueue<ReceivedWebhook> Received { get; } = new();

    /// <summary>The status to answer the next delivery with (default 200).</summary>
    public Func<int> Respond { get; set; } = () => 200;

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(["--urls", "http://127.0.0.1:0"]);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        WebhookReceiver? receiver = null;
        app.MapPost("/hooks/vipps", async (HttpRequest request) =>
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer);
            var status = receiver!.Respond();
            if (status is >= 200 and < 300)
            {
                receiver.Received.Enqueue(new ReceivedWebhook(buffer.ToArray(), request.Headers["x-ms-date"], request.Headers["x-ms-content-sha256"], request.Headers.Authorization));
            }

            return Results.StatusCode(status);
        });
        await app.StartAsync();
        receiver = new WebhookReceiver(app, app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        return receiver;
    }

    /// <summary>Waits (at most 10 s) until at least <paramref name="count"/> deliveries arrived.</summary>
    public async Task<List<ReceivedWebhook>> WaitFor(int count)
    {
        await Eventually.Holds(() => Received.Count >= count, $"{count} webhooks (got {Received.Count})");
        return [.. Received];
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
