using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrderPayments.Vipps;
using OrderPayments.Vipps.EPayment;

namespace PaymentSimulator.Tests;

/// <summary>The simulator on Kestrel at 127.0.0.1 (a free port) with a manual clock, and the project's Vipps client pointed at it.</summary>
internal sealed class SimulatorHost : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 6, 1, 9, 0, 0, TimeSpan.Zero);

    private readonly WebApplication _app;
    private readonly ServiceProvider _client;

    private SimulatorHost(WebApplication app, ManualTimeProvider time)
    {
        _app = app;
        Time = time;
        Address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        BaseUrl = $"{Address}/simulator/vipps";
        Http = new HttpClient { BaseAddress = new Uri(BaseUrl + "/") };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Vipps:BaseUrl"] = BaseUrl,
            ["Vipps:ClientId"] = "simulator-client",
            ["Vipps:ClientSecret"] = "simulator-secret",
            ["Vipps:SubscriptionKey"] = "simulator-subscription-key",
            ["Vipps:MerchantSerialNumber"] = "123456",
            ["Vipps:MaxRetryAttempts"] = "0",

            // These tests drive the simulator itself: every call reaches it (the client's own rate limit and its pause
            // after a 429 are the Vipps client's tests' subject).
            ["Vipps:RateLimits:Enabled"] = "false",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddVipps(configuration);
        _client = services.BuildServiceProvider();
    }

    public ManualTimeProvider Time { get; }

    public string Address { get; }

    public string BaseUrl { get; }

    /// <summary>A plain HTTP client for raw requests (base address: the simulator's Vipps base URL).</summary>
    public HttpClient Http { get; }

    public VippsEPaymentClient EPayment => _client.GetRequiredService<VippsEPaymentClient>();

    public T Client<T>()
        where T : notnull => _client.GetRequiredService<T>();

    public static async Task<SimulatorHost> StartAsync(Dictionary<string, string?>? settings = null)
    {
        var time = new ManualTimeProvider(Start);
        var app = SimulatorApp.Build(["--urls", "http://127.0.0.1:0", "--environment", "Development"], builder =>
        {
            builder.Configuration.AddInMemoryCollection(settings ?? []);
            builder.Logging.ClearProviders();
            builder.Services.AddSingleton<TimeProvider>(time);
        });
        await app.StartAsync();
        return new SimulatorHost(app, time);
    }

    /// <summary>A token request with the development credentials (or another secret).</summary>
    public static HttpRequestMessage TokenRequest(string secret = "simulator-secret")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "accesstoken/get");
        request.Headers.Add("client_id", "simulator-client");
        request.Headers.Add("client_secret", secret);
        request.Headers.Add("Ocp-Apim-Subscription-Key", "simulator-subscription-key");
        return request;
    }

    /// <summary>A token from the simulator, for raw requests.</summary>
    public async Task<string> TokenAsync()
    {
        using var request = TokenRequest();
        using var response = await Http.SendAsync(request);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["access_token"]!.GetValue<string>();
    }

    /// <summary>Sends a raw, authenticated ePayment request.</summary>
    public async Task<(int Status, JsonNode? Body)> SendAsync(HttpMethod method, string path, string? json = null, string? key = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync());
        request.Headers.Add("Ocp-Apim-Subscription-Key", "simulator-subscription-key");
        request.Headers.Add("Merchant-Serial-Number", "123456");
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    public Task<(int Status, JsonNode? Body)> Control(string path, string? json = null) => SendAsync(HttpMethod.Post, $"control/{path}", json ?? "{}");

    public static string CreateBody(string reference, long amount = 1000, string flow = "WEB_REDIRECT", string? phone = null) =>
        new JsonObject
        {
            ["amount"] = new JsonObject { ["currency"] = "NOK", ["value"] = amount },
            ["paymentMethod"] = new JsonObject { ["type"] = "WALLET" },
            ["reference"] = reference,
            ["userFlow"] = flow,
            ["returnUrl"] = flow is "WEB_REDIRECT" or "NATIVE_REDIRECT" ? "https://shop.example/return" : null,
            ["paymentDescription"] = "Two books",
            ["customer"] = phone is null ? null : new JsonObject { ["phoneNumber"] = phone },
        }.ToJsonString();

    public static string Amount(long value) => new JsonObject { ["modificationAmount"] = new JsonObject { ["currency"] = "NOK", ["value"] = value } }.ToJsonString();

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _client.DisposeAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
