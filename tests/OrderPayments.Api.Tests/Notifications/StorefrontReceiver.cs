using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OrderPayments.Api.Tests.Notifications;

/// <summary>A storefront's webhook endpoint for tests: records every delivery; can be down (503) for a while.</summary>
internal sealed class StorefrontReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private StorefrontReceiver(WebApplication app) => _app = app;

    /// <summary>Every request received, in arrival order, with whether it was answered 2xx.</summary>
    public ConcurrentQueue<Received> Requests { get; } = new();

    /// <summary>While true, every delivery is answered 503.</summary>
    public bool Down { get; set; }

    /// <summary>How long each delivery waits before it is answered (a slow endpoint).</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>Deliveries received and not answered yet.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    private int _inFlight;

    public Uri Url { get; private set; } = null!;

    public static async Task<StorefrontReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        var receiver = new StorefrontReceiver(app);
        app.MapPost("/hooks", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            var body = await reader.ReadToEndAsync();
            Interlocked.Increment(ref receiver._inFlight);
            try
            {
                if (receiver.Delay > TimeSpan.Zero)
                {
                    await Task.Delay(receiver.Delay);
                }
            }
            finally
            {
                Interlocked.Decrement(ref receiver._inFlight);
            }

            var accepted = !receiver.Down;
            receiver.Requests.Enqueue(new Received(
                request.Headers["webhook-id"].ToString(),
                request.Headers["webhook-timestamp"].ToString(),
                request.Headers["webhook-signature"].ToString(),
                body,
                accepted));
            return accepted ? Results.Ok() : Results.StatusCode(503);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Url = new Uri(address.Replace("localhost", "127.0.0.1", StringComparison.Ordinal) + "/hooks");
        return receiver;
    }

    /// <summary>The deliveries answered 2xx.</summary>
    public IReadOnlyList<Received> Delivered => [.. Requests.Where(r => r.Accepted)];

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    /// <summary>One request as it arrived.</summary>
    public sealed record Received(string Id, string Timestamp, string Signature, string Body, bool Accepted)
    {
        public System.Text.Json.Nodes.JsonObject Json => System.Text.Json.Nodes.JsonNode.Parse(Body)!.AsObject();

        public string Type => (string)Json["type"]!;

        public string OrderId => (string)Json["data"]!["orderId"]!;

        public long Version => (long)Json["data"]!["version"]!;
    }
}
