using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace OrderPayments.Api.Tests.Issues;

/// <summary>
/// Issue 15, item 1: started outside Development with no provider configured, the API ran on the embedded simulator
/// with its control API on, so an anonymous caller could approve any payment. No fake Vipps in production.
/// </summary>
public sealed class Issue15ProductionProviderTests
{
    [Fact]
    public void Build_ProductionWithoutProvider_RefusesToStartNamingTheSettings()
    {
        var failure = Should.Throw<InvalidOperationException>(() => Build(new()));

        failure.Message.ShouldContain("Vipps:BaseUrl");
        failure.Message.ShouldContain("Simulator:Embedded");
    }

    [Fact]
    public async Task Build_ProductionWithTheSimulatorAskedFor_ServesNoControlApi()
    {
        await using var app = Build(new() { ["Simulator:Embedded"] = "true" });
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First().Replace("localhost", "127.0.0.1", StringComparison.Ordinal) + "/") };
        using var start = new HttpRequestMessage(HttpMethod.Put, "api/orders/prod-1/payment") { Content = ApiHost.Json(ApiHost.StartBody()) };
        start.Headers.Add(ApiApp.ApiKeyHeader, "production-operator-key-0123");
        using var started = await http.SendAsync(start);
        started.StatusCode.ShouldBe(HttpStatusCode.Created, await started.Content.ReadAsStringAsync());

        using var approve = await http.PostAsync("simulator/vipps/control/payments/prod-1-1/approve", null);

        approve.StatusCode.ShouldBe(HttpStatusCode.NotFound, "nobody may play the customer outside Development unless the control API is asked for by name");
        using var status = new HttpRequestMessage(HttpMethod.Get, "api/orders/prod-1/payment");
        status.Headers.Add(ApiApp.ApiKeyHeader, "production-operator-key-0123");
        using var order = await http.SendAsync(status);
        (await order.Content.ReadAsStringAsync()).ShouldContain("\"status\":\"AwaitingCustomer\"");
        await app.StopAsync();
    }

    [Fact]
    public void Build_ProductionWithPayExInPart_RefusesToStartNamingWhatIsMissing()
    {
        var failure = Should.Throw<InvalidOperationException>(() => Build(new()
        {
            ["Vipps:BaseUrl"] = "https://apitest.vipps.no",
            ["PayEx:BaseUrl"] = "https://api.externalintegration.payex.com",
        }));

        failure.Message.ShouldContain("PayEx:AccessToken");
        failure.Message.ShouldContain("PayEx:PayeeId");
    }

    private static WebApplication Build(Dictionary<string, string?> settings)
    {
        var directory = Path.Combine(Path.GetTempPath(), "orderpayments-issue15-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(6)));
        return ApiApp.Build(["--urls", "http://127.0.0.1:0", "--environment", "Production"], builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>(settings)
            {
                ["OrderPayments:ApiKey"] = "production-operator-key-0123",
                ["OrderPayments:Store:Path"] = Path.Combine(directory, "orders.db"),
            });
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
        });
    }
}
