using System.Net;
using System.Text.Json.Nodes;

namespace OrderPayments.Api.Tests;

/// <summary>
/// Orders from start to their end, through the HTTP API and the embedded Vipps simulator. The lifecycle scenarios every
/// interpreter must agree on (happy path, polling, duplicated webhooks, deadlines, partial captures, refunds) are one
/// suite run on the embedded runtime and on the Durable Task engine: tests/OrderPayments.Functions.Tests/Engine/EngineScenarios.cs.
/// </summary>
public sealed class PaymentLifecycleTests
{
    [Fact]
    public async Task Start_SameBodyAgain_AnswersTheSameOrder()
    {
        await using var api = await ApiHost.StartAsync();
        var first = await api.StartPaymentAsync("same-1");

        using var again = await api.PutPaymentAsync("same-1", ApiHost.StartBody());

        again.StatusCode.ShouldBe(HttpStatusCode.OK);
        again.Headers.Location!.ToString().ShouldBe("/api/orders/same-1/payment");
        var document = JsonNode.Parse(await again.Content.ReadAsStringAsync())!;
        ((string?)document["redirectUrl"]).ShouldBe((string?)first["redirectUrl"]);
        (await api.StatsAsync())["calls"]!["create"]!.GetValue<int>().ShouldBe(1);
    }

    [Fact]
    public async Task Start_DifferentBodyForExistingOrder_Answers409AndChangesNothing()
    {
        await using var api = await ApiHost.StartAsync();
        await api.StartPaymentAsync("conflict-1", 1000);

        using var response = await api.PutPaymentAsync("conflict-1", ApiHost.StartBody(2000));

        response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await ApiHost.ProblemAsync(response))["type"]!.GetValue<string>().ShouldBe("urn:orderpayments:problem:order-conflict");
        (await api.GetOrderAsync("conflict-1"))["amount"]!.GetValue<long>().ShouldBe(1000);
    }

    [Fact]
    public async Task CustomerRejects_OrderIsUnpaid()
    {
        await using var api = await ApiHost.StartAsync();
        var started = await api.StartPaymentAsync("reject-1");

        await api.CustomerAsync((string)started["reference"]!, "reject");

        var order = await api.WaitForStatusAsync("reject-1", "Unpaid");
        order["providerState"]!.GetValue<string>().ShouldBe("ABORTED");
        order["amounts"]!["authorized"]!.GetValue<long>().ShouldBe(0);
    }

    [Fact]
    public async Task PaymentExpiresAtProvider_OrderIsUnpaid()
    {
        await using var api = await ApiHost.StartAsync(new() { ["Simulator:PaymentWindow"] = "00:00:00.500" });
        await api.StartPaymentAsync("expire-1");

        var order = await api.WaitForStatusAsync("expire-1", "Unpaid");

        order["providerState"]!.GetValue<string>().ShouldBe("EXPIRED");
    }

    [Fact]
    public async Task Restart_OrdersAreKeptInTheFile()
    {
        var directory = ApiHost.TemporaryDirectory();
        try
        {
            await using (var first = await ApiHost.StartAsync(directory: directory))
            {
                var started = await first.StartPaymentAsync("restart-1");
                await first.CustomerAsync((string)started["reference"]!, "approve");
                await first.WaitForStatusAsync("restart-1", "Authorized");
            }

            await using var second = await ApiHost.StartAsync(directory: directory);

            var order = await second.GetOrderAsync("restart-1");
            order["status"]!.GetValue<string>().ShouldBe("Authorized");
            order["amounts"]!["authorized"]!.GetValue<long>().ShouldBe(1000);
            order["history"]!.AsArray().ShouldContain(h => ((string)h!["text"]!).Contains("AwaitingCustomer → Authorized", StringComparison.Ordinal));
            await second.StartPaymentAsync("restart-2");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
