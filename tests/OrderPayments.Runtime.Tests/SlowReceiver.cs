using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OrderPayments.Runtime.Tests;

/// <summary>A storefront endpoint that answers each delivery after a delay (so deliveries are in flight when a process dies).</summary>
internal sealed class SlowReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _inFlight;

    private SlowReceiver(WebApplication app) => _app = app;

    public ConcurrentQueue<Delivery> Received { get; } = new();

    public int InFlight => Volatile.Read(ref _inFlight);

    public Uri Url { get; private set; } = null!;

    public static async Task<SlowReceiver> StartAsync(TimeSpan delay)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        var receiver = new SlowReceiver(app);
        app.MapPost("/hooks", async (HttpRequest request) =>
        {
            Interlocked.Increment(ref receiver._inFlight);
            try
            {
                using var reader = new StreamReader(request.Body);
                var body = JsonNode.Parse(await reader.ReadToEndAsync())!;
                await Task.Delay(delay);
                receiver.Received.Enqueue(new Delivery(request.Headers["webhook-id"].ToString(), (string)body["type"]!, (string)body["data"]!["orderId"]!, (long)body["data"]!["version"]!));
                return Results.Ok();
            }
            finally
            {
                Interlocked.Decrement(ref receiver._inFlight);
            }
        });
        await app.StartAsync();
        receiver.Url = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/hooks");
        return receiver;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    /// <summary>One delivery, recorded when it is answered.</summary>
    public sealed record Delivery(string Id, string Type, string OrderId, long Version);
}
