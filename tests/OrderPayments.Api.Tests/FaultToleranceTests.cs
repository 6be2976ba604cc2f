using System.Net;

namespace OrderPayments.Api.Tests;

/// <summary>With the simulator failing calls, dropping responses after applying them and mangling webhooks, every order still ends right.</summary>
public sealed class FaultToleranceTests
{
    [Fact]
    public async Task FaultsOn_EveryOrderEndsCapturedWithOneCapturePerShipment()
    {
        await using var api = await ApiHost.StartAsync();
        const int Orders = 12;
        var references = new List<string>();
        for (var i = 0; i < Orders; i++)
        {
            references.Add((string)(await api.StartPaymentAsync($"fault-{i}", 1000))["reference"]!);
        }

        await api.SetFaultsAsync(new
        {
            errorRate = 0.2,
            tooManyRequests = 3,
            retryAfterSeconds = 0,
            dropAfterApplyRate = 0.3,
            webhookDropRate = 0.3,
            webhookDuplicateRate = 0.3,
            webhookReorderRate = 0.3,
            seed = 11,
        });
        foreach (var reference in references)
        {
            await api.CustomerAsync(reference, "approve");
        }

        for (var i = 0; i < Orders; i++)
        {
            await api.WaitForStatusAsync($"fault-{i}", "Authorized");
            (await api.FulfillAsync($"fault-{i}", "ship-1", 600)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
            (await api.FulfillAsync($"fault-{i}", "ship-2", 400)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        }

        for (var i = 0; i < Orders; i++)
        {
            // Captured once both captures' own results are in (a query may see the totals first).
            var order = await api.WaitForStatusAsync($"fault-{i}", "Captured");
            order["amounts"]!["captured"]!.GetValue<long>().ShouldBe(1000);
            order["shipments"]!.AsArray().Select(s => (string?)s!["outcome"]).ShouldBe(["Succeeded", "Succeeded"]);
            order["needsAttention"]!.GetValue<bool>().ShouldBeFalse();
        }

        var stats = await api.StatsAsync();
        var captures = stats["appliedPerIdempotencyKey"]!.AsObject().Where(p => p.Key.Contains("-capture-", StringComparison.Ordinal)).ToList();
        captures.Count.ShouldBe(2 * Orders);
        captures.ShouldAllBe(p => p.Value!.GetValue<int>() == 1);
        stats["injected"]!.AsObject().Count.ShouldBeGreaterThan(0, "faults were actually injected");
    }
}
