using System.Text;
using Azure.Data.Tables;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Converters;
using Moq;
using OrderPayments.Application.Http;
using OrderPayments.Application.Workflows;
using OrderPayments.Domain;
using OrderPayments.Domain.Workflow;
using OrderPayments.Durable.Orchestration;
using OrderPayments.Durable.Tests.Orchestration;

namespace OrderPayments.Durable.Tests;

/// <summary>The workflow client's start, lookup and fallbacks with a mocked <c>DurableTaskClient</c> and the interpreter's tables on Azurite.</summary>
public sealed class DurableClientTests(Azurite azurite) : IClassFixture<Azurite>
{
    private static readonly byte[] StartBody = Encoding.UTF8.GetBytes(
        """{"amount":{"currency":"NOK","value":1000},"description":"Functions test","returnUrl":"https://shop.example/return"}""");

    private readonly DurableStorage _storage = Storage(azurite);
    private readonly Mock<DurableTaskClient> _client = new("test");

    [Fact]
    public async Task Start_LiveInstanceWithAnotherRequest_Answers409AndSchedulesNothing()
    {
        var other = OrchestrationHarness.Order(amount: 2000);
        _client.Setup(c => c.GetInstanceAsync("order-1", true, It.IsAny<CancellationToken>()))
            .ReturnsAsync(Instance("order-1", new OrchestratorInput(other, null).ToJson()));

        var response = await Requests().StartAsync("order-1", StartBody, "storefront/1", CancellationToken.None);

        response.StatusCode.ShouldBe(409);
        _client.Verify(c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Start_NewOrder_OpensTheInboxAndWritesTheRowBeforeSchedulingTheOrchestrator()
    {
        _client.Setup(c => c.GetInstanceAsync("order-1", true, It.IsAny<CancellationToken>())).ReturnsAsync((OrchestrationMetadata?)null);
        var rowBeforeScheduling = false;
        _client.Setup(c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()))
            .Callback(() => rowBeforeScheduling = _storage.Orders.GetAsync("order-1", CancellationToken.None).Result is not null)
            .ReturnsAsync("order-1");

        var response = await Requests().StartAsync("order-1", StartBody, "storefront/1", CancellationToken.None);

        response.StatusCode.ShouldBe(202);
        rowBeforeScheduling.ShouldBeTrue("the order's row is there before its orchestration exists");
        (await _storage.Inbox.ReadAsync("order-1", null, CancellationToken.None)).Open.ShouldNotBeNull("the inbox is open before the orchestration exists");
        _client.Verify(c => c.ScheduleNewOrchestrationInstanceAsync(
            It.Is<TaskName>(n => n.Name == OrchestrationNames.Orchestrator),
            It.Is<object?>(input => OrchestratorInput.FromJson((string)input!).By == "storefront/1"),
            It.Is<StartOrchestrationOptions?>(o => o!.InstanceId == "order-1"),
            It.IsAny<CancellationToken>()));
    }

    [Fact]
    public async Task Start_AfterAStartThatCrashedBeforeScheduling_SchedulesTheOrchestrator()
    {
        _client.Setup(c => c.GetInstanceAsync("order-1", true, It.IsAny<CancellationToken>())).ReturnsAsync((OrchestrationMetadata?)null);
        _client.Setup(c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new InvalidOperationException("the process died"));
        await Should.ThrowAsync<InvalidOperationException>(() => Requests().StartAsync("order-1", StartBody, null, CancellationToken.None));
        _client.Setup(c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync("order-1");

        var response = await Requests().StartAsync("order-1", StartBody, null, CancellationToken.None);

        response.StatusCode.ShouldBe(202);
        _client.Verify(c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [Fact]
    public async Task Start_PurgedOrder_IsAnsweredFromItsRowAndSchedulesNothing()
    {
        var request = OrchestrationHarness.Order();
        var ended = new OrderPaymentWorkflow(new WorkflowOptions()).Start(request, DateTimeOffset.UnixEpoch).State with { Status = PaymentStatus.Cancelled };
        await _storage.Orders.SaveAsync(new SavedOrder(ended, 7, DateTimeOffset.UnixEpoch), null, null, CancellationToken.None);
        await _storage.Orders.MarkPurgedAsync("order-1", "none", CancellationToken.None);
        _client.Setup(c => c.GetInstanceAsync("order-1", true, It.IsAny<CancellationToken>())).ReturnsAsync((OrchestrationMetadata?)null);

        var outcome = await Client().StartAsync(request, CancellationToken.None);

        (outcome.Result, outcome.Snapshot!.Version, outcome.Snapshot.State.Status).ShouldBe((StartResult.AlreadyStarted, 7L, PaymentStatus.Cancelled));
        _client.Verify(c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task FindByReference_ShortOrderId_FindsTheOrder()
    {
        _client.Setup(c => c.GetInstanceAsync("order-1", true, It.IsAny<CancellationToken>()))
            .ReturnsAsync(Instance("order-1", new OrchestratorInput(OrchestrationHarness.Order(), null).ToJson()));

        var found = await Client().FindByReferenceAsync(PaymentReference.For(OrderId.Parse("order-1"), 1), CancellationToken.None);

        found.ShouldBe(OrderId.Parse("order-1"));
    }

    private DurableOrderPaymentClient Client()
    {
        var workflow = new OrderPaymentWorkflow(new WorkflowOptions());
        return new DurableOrderPaymentClient(_client.Object, workflow, new SignalDoor(workflow, TimeProvider.System), _storage, TimeProvider.System, notify: false);
    }

    private OrderPaymentRequests Requests() => new(Client(), [], [PaymentProvider.Vipps], TimeSpan.Zero);

    private static DurableStorage Storage(Azurite azurite)
    {
        var name = "c" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(5));
        return new DurableStorage(
            new TableServiceClient(azurite.ConnectionString),
            new DurableOptions { SignalsTable = name + "signals", OrdersTable = name + "orders", NotificationsTable = name + "notifications" },
            TimeProvider.System);
    }

    private static OrchestrationMetadata Instance(string id, string inputJson) => new(OrchestrationNames.Orchestrator, id)
    {
        RuntimeStatus = OrchestrationRuntimeStatus.Running,
        SerializedInput = System.Text.Json.JsonSerializer.Serialize(inputJson),
        DataConverter = JsonDataConverter.Default,
    };
}
