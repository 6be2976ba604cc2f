using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using OrderPayments.Api;

namespace OrderPayments.Bench;

/// <summary>The API as the benchmarks run it: in this process, Production, a fresh store, the simulator beside it.</summary>
internal static class BenchApi
{
    public const string ApiKey = "bench-operator-key-0123456789";

    /// <summary>Starts the API with its store in <paramref name="folder"/>; with <paramref name="simulator"/> pointed at it, else with the simulator embedded.</summary>
    /// <remarks>With <paramref name="engine"/>, the orders run on the Durable Task engine (Azure Storage backend) instead of the embedded runtime.</remarks>
    public static async Task<WebApplication> StartAsync(DirectoryInfo folder, ChildSimulator? simulator, Dictionary<string, string?> settings, DurableBenchEngine? engine = null)
    {
        var port = ChildSimulator.FreePort();
        var app = ApiApp.Build(["--urls", $"http://127.0.0.1:{port}", "--environment", "Production"], builder =>
        {
            builder.Configuration.AddInMemoryCollection(simulator is not null
                ? simulator.ApiSettings(port)
                : new Dictionary<string, string?> { ["Simulator:Embedded"] = "true", ["Simulator:ControlApi"] = "true" });

            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>(settings)
            {
                ["OrderPayments:Store:Path"] = Path.Combine(folder.FullName, "orders.db"),
                ["OrderPayments:ApiKeys:Operator:0"] = ApiKey,
            });
            builder.Logging.SetMinimumLevel(LogLevel.Error);
            engine?.Configure(builder);
        });
        if (engine is not null)
        {
            await engine.StartAsync(app.Services);
        }

        await app.StartAsync();
        return app;
    }

    /// <summary>An HTTP client for the API with the key, allowing <paramref name="connections"/> connections.</summary>
    public static HttpClient Client(WebApplication app, int connections) =>
        Client(new Uri(app.Urls.First().Replace("localhost", "127.0.0.1", StringComparison.Ordinal) + "/"), connections);

    /// <summary>An HTTP client for the API at <paramref name="baseAddress"/> with <paramref name="key"/> (the operator's when null), allowing <paramref name="connections"/> connections.</summary>
    public static HttpClient Client(Uri baseAddress, int connections, string? key = null)
    {
        var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromMinutes(2),
        };
        http.DefaultRequestHeaders.Add("X-Api-Key", key ?? ApiKey);
        return http;
    }
}
