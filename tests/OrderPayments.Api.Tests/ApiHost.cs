using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrderPayments.Api.Tests.Contract;

namespace OrderPayments.Api.Tests;

/// <summary>
/// The API as the one-command run starts it (Development, simulator embedded), on Kestrel at 127.0.0.1 with a free
/// port and a fresh SQLite file, with short windows so deadlines pass within a test. Everything goes over HTTP.
/// Every exchange with the API's routes is checked against its OpenAPI document (<see cref="ContractCheck"/>): the
/// clients' calls throw on an answer the document does not allow, and the host's disposal throws what other clients saw.
/// </summary>
internal sealed class ApiHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly IApiEngine? _engine;
    private readonly bool _ownsDirectory;
    private readonly ContractCheck _contract;

    private ApiHost(WebApplication app, string directory, IApiEngine? engine, bool ownsDirectory, ContractCheck contract)
    {
        _app = app;
        _engine = engine;
        _ownsDirectory = ownsDirectory;
        _contract = contract;
        Directory = directory;
        Address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().Replace("localhost", "127.0.0.1", StringComparison.Ordinal) + "/");
        Http = ContractCheck.CreateClient(Address);
        Http.DefaultRequestHeaders.Add("X-Api-Key", ApiApp.DevelopmentApiKey);
        Anonymous = ContractCheck.CreateClient(Address);
    }

    public Uri Address { get; }

    public string Directory { get; }

    /// <summary>A client with the development API key.</summary>
    public HttpClient Http { get; }

    /// <summary>A client without the API key (webhooks, simulator, refusals).</summary>
    public HttpClient Anonymous { get; }

    /// <summary>
    /// Starts the API; <paramref name="settings"/> override the test defaults. Reuses <paramref name="directory"/>'s file
    /// when given (the caller then deletes it); a directory of its own is deleted when the host is disposed. With <paramref name="engine"/>, orders run on that engine instead of the embedded runtime (the
    /// Functions app's tests run the same HTTP contract on the Durable Task engine). With <paramref name="time"/>, the API,
    /// its runtime and the simulator run on that clock instead of the system's. <paramref name="configure"/> may add
    /// services before the API adds its own (registrations the API makes with TryAdd yield to them).
    /// </summary>
    public static async Task<ApiHost> StartAsync(Dictionary<string, string?>? settings = null, string? directory = null, IApiEngine? engine = null, TimeProvider? time = null, Action<WebApplicationBuilder>? configure = null)
    {
        var ownsDirectory = directory is null;
        directory ??= TemporaryDirectory();
        var values = new Dictionary<string, string?>
        {
            ["OrderPayments:Store:Path"] = Path.Combine(directory, "orders.db"),
            // A start answers as soon as the redirect is known; the ceiling only keeps a busy CI machine (two cores,
            // Azurite and the Durable engines in parallel) from turning a slow 201 into a 202.
            ["OrderPayments:StartWait"] = "00:00:30",
            ["Workflow:FirstPollDelay"] = "00:00:00.300",
            ["Workflow:MaxPollInterval"] = "00:00:00.500",
            ["ActivityRetry:BaseDelay"] = "00:00:00.050",
            ["ActivityRetry:MaxDelay"] = "00:00:00.500",
            ["Runtime:LeaseDuration"] = "00:00:03",
            ["Vipps:RetryBaseDelay"] = "00:00:00.020",
            ["Vipps:MaxRetryDelay"] = "00:00:00.200",
            ["Vipps:AttemptTimeout"] = "00:00:05",
            ["Vipps:CircuitBreakerMinimumThroughput"] = "100000",
            // No limit per reference (the pause after a 429 stays on): these tests poll an order every 0.3–0.5 s and
            // send up to 120 shipments to one order, which Vipps' 5 mutations and 120 queries a minute would spread over
            // many minutes; the simulator has no such limit. The limit itself is tested in OrderPayments.Vipps.Tests.
            ["Vipps:RateLimits:MutationsPerMinute"] = "0",
            ["Vipps:RateLimits:QueriesPerMinute"] = "0",
            ["Simulator:WebhookMaxAttempts"] = "30",
            ["PayEx:RetryBaseDelay"] = "00:00:00.020",
            ["PayEx:MaxRetryDelay"] = "00:00:00.200",
            ["PayEx:CircuitBreakerMinimumThroughput"] = "100000",
        };
        for (var i = 0; i < 7; i++)
        {
            values[$"Simulator:PayExCallbackRetrySeconds:{i}"] = "0.2";
        }
        foreach (var (key, value) in settings ?? [])
        {
            values[key] = value;
        }

        var contract = new ContractCheck();
        var app = ApiApp.Build(["--urls", "http://127.0.0.1:0", "--environment", "Development"], builder =>
        {
            builder.Services.AddSingleton<IStartupFilter>(contract);
            builder.Configuration.AddInMemoryCollection(values);
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            if (time is not null)
            {
                builder.Services.AddSingleton(time);
            }

            engine?.Configure(builder);
            configure?.Invoke(builder);
        });
        if (engine is not null)
        {
            await engine.StartAsync(app.Services);
        }

        await app.StartAsync();
        var host = new ApiHost(app, directory, engine, ownsDirectory, contract);
        await contract.LoadAsync(host.Anonymous);
        await Eventually.Holds(async () => (await host.Anonymous.GetAsync("simulator/vipps/control/stats")).IsSuccessStatusCode && await host.WebhookRegisteredAsync(), "the webhook is registered");
        return host;
    }

    public static JsonObject StartBody(long amount = 1000, string currency = "NOK") => new()
    {
        ["amount"] = new JsonObject { ["currency"] = currency, ["value"] = amount },
        ["description"] = "End-to-end test order",
        ["returnUrl"] = "https://shop.example/return",
    };

    public static JsonObject Amount(long value, string currency = "NOK") => new() { ["currency"] = currency, ["value"] = value };

    public Task<HttpResponseMessage> PutPaymentAsync(string orderId, JsonNode body) =>
        Http.PutAsync($"api/orders/{orderId}/payment", Json(body));

    /// <summary>Starts a payment and returns its status document (asserting 201).</summary>
    public async Task<JsonObject> StartPaymentAsync(string orderId, long amount = 1000)
    {
        using var response = await PutPaymentAsync(orderId, StartBody(amount));
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    public Task<HttpResponseMessage> PostAsync(string path, JsonNode? body) => Http.PostAsync(path, body is null ? null : Json(body));

    public async Task<HttpResponseMessage> FulfillAsync(string orderId, string shipmentId, long? amount = null)
    {
        var body = new JsonObject { ["shipmentId"] = shipmentId };
        if (amount is { } value)
        {
            body["amount"] = Amount(value);
        }

        return await PostAsync($"api/orders/{orderId}/fulfillments", body);
    }

    public Task<HttpResponseMessage> RefundAsync(string orderId, string refundId, long amount) =>
        PostAsync($"api/orders/{orderId}/refunds", new JsonObject { ["refundId"] = refundId, ["amount"] = Amount(amount) });

    public async Task<JsonObject> GetOrderAsync(string orderId)
    {
        using var response = await Http.GetAsync($"api/orders/{orderId}/payment");
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    /// <summary>Polls the status document until <paramref name="condition"/> holds (deadline <paramref name="within"/>, 20 s by default), and returns it.</summary>
    public async Task<JsonObject> WaitForOrderAsync(string orderId, Func<JsonObject, bool> condition, string what, TimeSpan? within = null)
    {
        JsonObject? last = null;
        try
        {
            await Eventually.Holds(async () => condition(last = await GetOrderAsync(orderId)), what, within ?? TimeSpan.FromSeconds(20));
        }
        catch (TimeoutException exception)
        {
            var engine = _engine is null ? "" : await _engine.DiagnoseAsync(orderId);
            throw new TimeoutException($"{exception.Message} Last document: {last?.ToJsonString()}{engine}", exception);
        }

        return last!;
    }

    public Task<JsonObject> WaitForStatusAsync(string orderId, string status) =>
        WaitForOrderAsync(orderId, o => (string?)o["status"] == status && (int?)o["pendingSignals"] == 0, $"order {orderId} is {status}");

    /// <summary>The customer approves (or rejects) in the simulated Vipps app.</summary>
    public async Task CustomerAsync(string reference, string decision)
    {
        using var response = await Anonymous.PostAsync($"simulator/vipps/control/payments/{reference}/{decision}", null);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    public async Task SetFaultsAsync(object faults)
    {
        using var response = await Anonymous.PostAsJsonAsync("simulator/vipps/control/faults", faults);
        response.IsSuccessStatusCode.ShouldBeTrue(await response.Content.ReadAsStringAsync());
    }

    public static JsonObject PayExBody(string phone = "4712345678", long amount = 1000) => new()
    {
        ["amount"] = new JsonObject { ["currency"] = "NOK", ["value"] = amount },
        ["description"] = "PayEx end-to-end order",
        ["userFlow"] = "PUSH_MESSAGE",
        ["phoneNumber"] = phone,
        ["provider"] = "payex",
    };

    /// <summary>Starts a PayEx payment sent to the payer's phone; returns the status document (asserting 201).</summary>
    public async Task<JsonObject> StartPayExAsync(string orderId, long amount = 1000)
    {
        using var response = await PutPaymentAsync(orderId, PayExBody(amount: amount));
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    /// <summary>The payer decides in the (simulated) Vipps app, for the PayEx payment of the document.</summary>
    public async Task PayExPayerAsync(JsonObject order, string decision)
    {
        var id = ((string)order["providerPaymentId"]!).Split('/')[^1];
        using var response = await Anonymous.PostAsync($"simulator/payex/control/payments/{id}/{decision}", null);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    public async Task SetPayExFaultsAsync(object faults)
    {
        using var response = await Anonymous.PostAsJsonAsync("simulator/payex/control/faults", faults);
        response.IsSuccessStatusCode.ShouldBeTrue(await response.Content.ReadAsStringAsync());
    }

    public async Task<JsonObject> PayExStatsAsync() => (await Anonymous.GetFromJsonAsync<JsonObject>("simulator/payex/control/stats"))!;

    /// <summary>The simulator's counters: calls per kind, and how often each idempotency key was applied.</summary>
    public async Task<JsonObject> StatsAsync() => (await Anonymous.GetFromJsonAsync<JsonObject>("simulator/vipps/control/stats"))!;

    /// <summary>Signs a webhook body the way Vipps does, with <paramref name="secret"/>, for the registered URL.</summary>
    public HttpRequestMessage SignedWebhook(string body, string secret, string? date = null)
    {
        var url = new Uri(Address, "api/webhooks/vipps");
        date ??= "Sun, 22 Nov 2026 12:00:00 GMT";
        var hash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(body)));
        var signature = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"POST\n{url.PathAndQuery}\n{date};{url.Authority};{hash}")));
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("x-ms-date", date);
        request.Headers.Add("x-ms-content-sha256", hash);
        request.Headers.TryAddWithoutValidation("Authorization", $"HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature={signature}");
        return request;
    }

    public static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    public static async Task<JsonObject> ProblemAsync(HttpResponseMessage response)
    {
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        Anonymous.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (_engine is not null)
        {
            await _engine.DisposeAsync();
        }

        if (_ownsDirectory)
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }

        _contract.ThrowIfViolated();
    }

    /// <summary>A service of the running API (to observe what HTTP does not show, e.g. how many reads wait).</summary>
    public T Get<T>()
        where T : notnull => _app.Services.GetRequiredService<T>();

    /// <summary>A new empty directory under the system's temporary folder, for one API's SQLite file.</summary>
    public static string TemporaryDirectory() => System.IO.Directory.CreateTempSubdirectory("orderpayments-api-").FullName;

    // Readiness only: the registration's outcome is not observable over HTTP without the secret.
    private Task<bool> WebhookRegisteredAsync() =>
        Task.FromResult(_app.Services.GetRequiredService<OrderPayments.Vipps.Webhooks.VippsWebhookSubscription>().Verifier is not null);
}

/// <summary>Another engine for the API's orders (the API's own routes, handlers and simulator stay as they are).</summary>
internal interface IApiEngine : IAsyncDisposable
{
    /// <summary>Registers the engine's workflow client before the API adds its own (the API's registrations yield to it).</summary>
    void Configure(WebApplicationBuilder builder);

    /// <summary>Starts the engine once the API is built and before it listens; <paramref name="services"/> are the API's.</summary>
    Task StartAsync(IServiceProvider services);

    /// <summary>What the engine knows of an order beyond its status document (for a failed test's message); empty when nothing.</summary>
    Task<string> DiagnoseAsync(string orderId) => Task.FromResult("");
}
