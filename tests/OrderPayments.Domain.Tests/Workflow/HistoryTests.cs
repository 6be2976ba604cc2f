using OrderPayments.Domain.Workflow;
using static OrderPayments.Domain.Tests.Workflow.WorkflowDriver;

namespace OrderPayments.Domain.Tests.Workflow;

public sealed class HistoryTests
{
    [Fact]
    public void Decide_AppliedInput_AppendsTheInputItsDecisionsAndStatusChanges()
    {
        var driver = new WorkflowDriver().Authorized();
        var before = driver.State.History.Count;

        driver.Send(new FulfillmentSignalled("shipment-1", Nok(250)));

        var added = driver.State.History.Skip(before).ToList();
        added.Select(e => e.Kind).ShouldBe([HistoryEntryKind.Input, HistoryEntryKind.Action]);
        added[0].Text.ShouldBe("Shipment shipment-1 for 2.50 NOK");
        added[1].Text.ShouldBe("Capture 2.50 NOK for shipment shipment-1 key order-42-1-capture-1");
        added.ShouldAllBe(e => e.At == driver.Now);
    }

    [Fact]
    public void Decide_StatusChange_IsRecorded()
    {
        var driver = new WorkflowDriver().Authorized();

        driver.State.History.ShouldContain(e => e.Kind == HistoryEntryKind.Status && e.Text == "AwaitingCustomer → Authorized");
    }

    [Fact]
    public void Decide_RejectedInput_LeavesNoTrace()
    {
        var driver = new WorkflowDriver().Created();
        var before = driver.State;

        driver.Send(new FulfillmentSignalled("shipment-1"));

        driver.State.ShouldBeSameAs(before);
    }

    [Fact]
    public void Decide_LongRunningOrder_KeepsTheHistoryBoundedAndCountsWhatWasDropped()
    {
        var driver = new WorkflowDriver(new WorkflowOptions { MaxHistoryEntries = 10 }).Created();

        for (var i = 0; i < 8; i++)
        {
            driver.WakeUp();
            driver.Succeed(driver.InFlight<QueryPayment>(), driver.Observation(ProviderPaymentState.Created, Totals()));
        }

        driver.State.History.Count.ShouldBe(10);
        driver.State.HistoryDropped.ShouldBeGreaterThan(0);
    }
}
