using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OrderPayments.Bench;

/// <summary>A storefront's notification endpoint in the benchmark's process: counts distinct events (not the warm-up orders') and the lag from each event's commit.</summary>
internal sealed class BenchReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, double> _lags = new(StringComparer.Ordinal);

    private BenchReceiver(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    public int Distinct => _lags.Count;

    public double[] Lags => [.. _lags.Values];

    public static async Task<BenchReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Error);
        var app = builder.Build();
        var receiver = new BenchReceiver(app);
        app.MapPost("/hooks", async (HttpRequest request) =>
        {
            var body = await JsonNode.ParseAsync(request.Body);
            var committed = DateTimeOffset.Parse((string)body!["timestamp"]!, System.Globalization.CultureInfo.InvariantCulture);
            if (((string?)body["data"]?["orderId"] ?? (string?)body["orderId"])?.StartsWith("warm-", StringComparison.Ordinal) == true)
            {
                // The warm-up orders' events are not the run's.
                return Results.Ok();
            }

            receiver._lags.TryAdd(request.Headers["webhook-id"].ToString(), (TimeProvider.System.GetUtcNow() - committed).TotalMilliseconds);
            return Results.Ok();
        });
        await app.StartAsync();
        receiver.Url = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/hooks");
        return receiver;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
