using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using OrderPayments.Api.Tests;

namespace OrderPayments.Durable.Tests.Engine;

/// <summary>
/// Retention of finished orders on the Durable interpreter (issue 24, item 5): past the retention a finished order's
/// instance, inbox signals and deliveries are purged; its row stays, so its status answers, a repeated start is answered
/// from it without a new orchestration, and a late signal is decided by its final state.
/// </summary>
public sealed class DurableRetentionTests(Azurite azurite) : IClassFixture<Azurite>
{
    [Fact]
    public async Task FinishedOrder_PastItsRetention_PurgedAndStillAnswered()
    {
        var engine = new DurableApiEngine(DurableBackend.AzureStorage, azurite.ConnectionString);
        await using var api = await ApiHost.StartAsync(new() { ["Durable:FinishedOrderRetention"] = "00:00:01" }, engine: engine);
        await api.StartPaymentAsync("purged-1", 1000);
        (await api.PostAsync("api/orders/purged-1/cancellation", new JsonObject())).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        await api.WaitForOrderAsync("purged-1", o => (string?)o["status"] == "Cancelled", "cancelled");
        await Eventually.Holds(
            async () => (await engine.Engine.Client.GetInstanceAsync("purged-1"))?.RuntimeStatus == Microsoft.DurableTask.Client.OrchestrationRuntimeStatus.Completed,
            "the orchestration closed the inbox and ended",
            TimeSpan.FromSeconds(30));
        var before = await api.GetOrderAsync("purged-1");

        await Eventually.Holds(
            async () => await engine.Orders.Purger.PurgeDueAsync(engine.Engine.Client, CancellationToken.None) == 1,
            "the order purged once its retention passed",
            TimeSpan.FromSeconds(30));

        (await engine.Engine.Client.GetInstanceAsync("purged-1")).ShouldBeNull("the instance and its history are gone");
        var inbox = new TableClient(azurite.ConnectionString, engine.TaskHub + "signals");
        var left = new List<string>();
        await foreach (var row in inbox.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {"purged-1"}")))
        {
            left.Add(row.RowKey);
        }

        left.ShouldBe(["~closed"], "only the closed marker is kept");
        var after = await api.GetOrderAsync("purged-1");
        ((string?)after["status"], (long?)after["version"], after["amounts"]!.ToJsonString()).ShouldBe(((string?)before["status"], (long?)before["version"], before["amounts"]!.ToJsonString()));
        using var again = await api.PutPaymentAsync("purged-1", ApiHost.StartBody());
        again.StatusCode.ShouldBe(HttpStatusCode.OK, "the same start again is answered from the order's row");
        (await engine.Engine.Client.GetInstanceAsync("purged-1")).ShouldBeNull("no new orchestration");
        using var other = await api.PutPaymentAsync("purged-1", ApiHost.StartBody(2000));
        other.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        using var late = await api.FulfillAsync("purged-1", "ship-1");
        late.StatusCode.ShouldBe(HttpStatusCode.Conflict, "the final state refuses a shipment");
        using var cancel = await api.PostAsync("api/orders/purged-1/cancellation", new JsonObject());
        ((string?)(await cancel.Content.ReadFromJsonAsync<JsonObject>())!["result"]).ShouldBe("accepted", "a cancelled order absorbs another cancel");
    }
}
