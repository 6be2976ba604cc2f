using Azure.Data.Tables;
using Azure.Storage.Queues;
using OrderPayments.Durable.Orchestration;

namespace OrderPayments.Functions.Tests.Hosting;

/// <summary>
/// The repository's Azurite (eng/azurite, started by the shared fixture) with the real Azure SDK clients: the storage
/// the Functions app's queues and the Durable Task hub use.
/// </summary>
public sealed class AzuriteTests : IClassFixture<Azurite>
{
    private readonly Azurite _azurite;

    public AzuriteTests(Azurite azurite) => _azurite = azurite;

    [Fact]
    public void ConnectionString_Started_NamesTheAccountAndThreeLoopbackEndpoints()
    {
        var connection = _azurite.ConnectionString;

        new[] { _azurite.BlobPort, _azurite.QueuePort, _azurite.TablePort }.Distinct().Count().ShouldBe(3);
        connection.ShouldSatisfyAllConditions(
            c => c.ShouldContain($"AccountName={Azurite.AccountName};"),
            c => c.ShouldContain($"BlobEndpoint=http://127.0.0.1:{_azurite.BlobPort}/devstoreaccount1;"),
            c => c.ShouldContain($"QueueEndpoint=http://127.0.0.1:{_azurite.QueuePort}/devstoreaccount1;"),
            c => c.ShouldContain($"TableEndpoint=http://127.0.0.1:{_azurite.TablePort}/devstoreaccount1;"));
    }

    [Fact]
    public async Task Queue_SendReceiveDelete_DeliversTheMessageOnceAndLeavesTheQueueEmpty()
    {
        var queue = new QueueClient(_azurite.ConnectionString, OrchestrationNames.FulfillmentsQueue + "-azurite-check");
        await queue.CreateIfNotExistsAsync();

        await queue.SendMessageAsync("""{"reference":"order-1-1"}""");
        var received = (await queue.ReceiveMessageAsync()).Value;
        await queue.DeleteMessageAsync(received.MessageId, received.PopReceipt);

        received.Body.ToString().ShouldBe("""{"reference":"order-1-1"}""");
        received.DequeueCount.ShouldBe(1);
        (await queue.PeekMessagesAsync(maxMessages: 32)).Value.ShouldBeEmpty();
        (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount.ShouldBe(0);
    }

    [Fact]
    public async Task Table_InsertThenRead_ReturnsTheEntity()
    {
        var table = new TableClient(_azurite.ConnectionString, "AzuriteOrders");
        await table.CreateIfNotExistsAsync();

        await table.AddEntityAsync(new TableEntity("order-1", "attempt-1") { ["AmountMinor"] = 1000L, ["Currency"] = "NOK" });
        var read = (await table.GetEntityAsync<TableEntity>("order-1", "attempt-1")).Value;

        read.GetInt64("AmountMinor").ShouldBe(1000L);
        read.GetString("Currency").ShouldBe("NOK");
        read.ETag.ToString().ShouldNotBeNullOrEmpty();
    }
}
