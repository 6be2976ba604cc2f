using System.Text;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Converters;
using Moq;
using OrderPayments.Application.Http;
using OrderPayments.Domain;
using OrderPayments.Domain.Workflow;
using OrderPayments.Functions.Signals;

namespace OrderPayments.Functions.Tests;

/// <summary>The HTTP starter's logic (the shared handler over <see cref="DurableOrderPaymentClient"/>) with a mocked <c>DurableTaskClient</c>.</summary>
public sealed class DurableClientTests
{
    private static readonly byte[] StartBody = Encoding.UTF8.GetBytes(
        """{"amount":{"currency":"NOK","value":1000},"description":"Functions test","returnUrl":"https://shop.example/return"}""");

    [Fact]
    public async Task Start_LiveInstanceWithAnotherRequest_Answers409AndSchedulesNothing()
    {
        var client = new Mock<DurableTaskClient>("test");
        var other = OrchestrationHarness.Order(amount: 2000);
        client.Setup(c => c.GetInstanceAsync("order-1", true, It.IsAny<CancellationToken>()))
            .ReturnsAsync(Instance("order-1", new OrchestratorInput(other, null).ToJson()));

        var response = await Requests(client.Object).StartAsync("order-1", StartBody, "storefront/1", CancellationToken.None);

        response.StatusCode.ShouldBe(409);
        client.Verify(c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Start_NewOrder_SchedulesTheOrchestratorWithTheOrderIdAsInstanceId()
    {
        var client = new Mock<DurableTaskClient>("test");
        client.Setup(c => c.GetInstanceAsync("order-1", true, It.IsAny<CancellationToken>())).ReturnsAsync((OrchestrationMetadata?)null);
        client.Setup(c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync("order-1");

        var inbox = new Mock<ISignalInbox>();

        var response = await Requests(client.Object, inbox.Object).StartAsync("order-1", StartBody, "storefront/1", CancellationToken.None);

        response.StatusCode.ShouldBe(202);
        inbox.Verify(i => i.OpenAsync("order-1", It.IsAny<CancellationToken>()), Times.Once, "the inbox is open before the orchestration exists");
        client.Verify(c => c.ScheduleNewOrchestrationInstanceAsync(
            It.Is<TaskName>(n => n.Name == OrchestrationNames.Orchestrator),
            It.Is<object?>(input => OrchestratorInput.FromJson((string)input!).By == "storefront/1"),
            It.Is<StartOrchestrationOptions?>(o => o!.InstanceId == "order-1"),
            It.IsAny<CancellationToken>()));
    }

    [Fact]
    public async Task FindByReference_ShortOrderId_FindsTheOrder()
    {
        var client = new Mock<DurableTaskClient>("test");
        client.Setup(c => c.GetInstanceAsync("order-1", true, It.IsAny<CancellationToken>()))
            .ReturnsAsync(Instance("order-1", new OrchestratorInput(OrchestrationHarness.Order(), null).ToJson()));
        var orders = new DurableOrderPaymentClient(client.Object, new OrderPaymentWorkflow(new WorkflowOptions()), TimeProvider.System, Mock.Of<ISignalInbox>(MockBehavior.Strict));

        var found = await orders.FindByReferenceAsync(PaymentReference.For(OrderId.Parse("order-1"), 1), CancellationToken.None);

        found.ShouldBe(OrderId.Parse("order-1"));
    }

    private static OrderPaymentRequests Requests(DurableTaskClient client, ISignalInbox? inbox = null) =>
        new(new DurableOrderPaymentClient(client, new OrderPaymentWorkflow(new WorkflowOptions()), TimeProvider.System, inbox ?? Mock.Of<ISignalInbox>(MockBehavior.Strict)), [], [PaymentProvider.Vipps], TimeSpan.Zero);

    private static OrchestrationMetadata Instance(string id, string inputJson) => new(OrchestrationNames.Orchestrator, id)
    {
        RuntimeStatus = OrchestrationRuntimeStatus.Running,
        SerializedInput = System.Text.Json.JsonSerializer.Serialize(inputJson),
        DataConverter = JsonDataConverter.Default,
    };
}
