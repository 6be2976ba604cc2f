using OrderPayments.Domain.Workflow;
using static OrderPayments.Domain.Tests.Workflow.WorkflowDriver;

namespace OrderPayments.Domain.Tests.Workflow;

/// <summary>
/// Signals that were recorded (answered "accepted") before they are applied: the door's check
/// (<see cref="OrderPaymentWorkflow.Admit"/>, the first recorded wins) and a refusal when applied kept with the order
/// (<see cref="OrderPaymentWorkflow.Apply"/>).
/// </summary>
public sealed class RecordedSignalTests
{
    [Fact]
    public void Admit_ShipmentRecordedAfterACancel_IsRefusedAtOnce()
    {
        var driver = new WorkflowDriver().Authorized();

        var refusal = driver.Workflow.Admit(driver.State, [new CancelRequested()], new FulfillmentSignalled("shipment-1"), driver.Now);

        refusal.ShouldNotBeNull().Reason.ShouldBe(RejectionReason.NotAllowed);
    }

    [Fact]
    public void Admit_CancelRecordedAfterAShipment_IsAccepted()
    {
        var driver = new WorkflowDriver().Authorized();

        driver.Workflow.Admit(driver.State, [new FulfillmentSignalled("shipment-1", Nok(400))], new CancelRequested(), driver.Now).ShouldBeNull();
    }

    [Fact]
    public void Admit_SecondShipmentForMoreThanTheFirstLeaves_IsRefusedAsExceedingTheRest()
    {
        var driver = new WorkflowDriver().Authorized();

        var refusal = driver.Workflow.Admit(driver.State, [new FulfillmentSignalled("shipment-1", Nok(700))], new FulfillmentSignalled("shipment-2", Nok(400)), driver.Now);

        refusal.ShouldNotBeNull().Reason.ShouldBe(RejectionReason.ExceedsRemaining);
    }

    [Fact]
    public void Apply_ShipmentAppliedAfterTheFulfillmentDeadline_IsListedAsRejectedWithTheReason()
    {
        // Recorded just before the deadline, applied just after it: nothing may be captured, and the order says so.
        var driver = new WorkflowDriver().Authorized();
        var recordedAt = driver.State.FulfillmentDeadline!.Value.AddSeconds(-1);
        driver.Workflow.Admit(driver.State, [], new FulfillmentSignalled("shipment-1"), recordedAt).ShouldBeNull();

        var step = driver.Workflow.Apply(driver.State, new FulfillmentSignalled("shipment-1"), recordedAt.AddSeconds(2));

        step.Outcome.ShouldBe(InputOutcome.Rejected);
        step.Actions.ShouldBeEmpty();
        var record = step.State.Shipments.ShouldHaveSingleItem();
        record.ShouldBe(new ShipmentRecord("shipment-1", Nok(0), null, OperationOutcome.Rejected, step.Rejection));
        step.Rejection!.Reason.ShouldBe(RejectionReason.NotAllowed);
        step.State.History[^1].ShouldBe(new HistoryEntry(recordedAt.AddSeconds(2), HistoryEntryKind.Rejection, $"Refused: {step.Rejection.Message}"));
        step.State.Aggregate.ShouldBe(driver.State.Aggregate);
    }

    [Fact]
    public void Apply_RefundRefusedWhenApplied_IsListedAsRejected()
    {
        var driver = new WorkflowDriver().Authorized();

        var step = driver.Workflow.Apply(driver.State, new RefundRequested("refund-1", Nok(100)), driver.Now);

        step.State.Refunds.ShouldHaveSingleItem().ShouldBe(new RefundRecord("refund-1", Nok(100), null, OperationOutcome.Rejected, step.Rejection));
        step.State.Refundable.ShouldBe(Nok(0));
    }

    [Fact]
    public void Apply_CancelRefusedWhenApplied_IsInTheHistoryAndChangesNothingElse()
    {
        var driver = new WorkflowDriver().Captured();

        var step = driver.Workflow.Apply(driver.State, new CancelRequested("too late"), driver.Now);

        step.Outcome.ShouldBe(InputOutcome.Rejected);
        step.State.History.Skip(driver.State.History.Count).Select(e => e.Kind).ShouldBe([HistoryEntryKind.Input, HistoryEntryKind.Rejection]);
        (step.State with { History = driver.State.History }).ShouldBe(driver.State);
    }

    [Fact]
    public void Apply_ShipmentAcceptedAfterItsRejection_ReplacesTheRejectedRecord()
    {
        var driver = new WorkflowDriver().Created();
        var rejected = driver.Workflow.Apply(driver.State, new FulfillmentSignalled("shipment-1", Nok(400)), driver.Now);
        rejected.State.Shipments.ShouldHaveSingleItem().Outcome.ShouldBe(OperationOutcome.Rejected);
        var authorized = driver.Workflow.Decide(
            rejected.State,
            new ProviderObserved(driver.Observation(ProviderPaymentState.Authorized, Totals(authorized: 1000))),
            driver.Now);

        var accepted = driver.Workflow.Apply(authorized.State, new FulfillmentSignalled("shipment-1", Nok(400)), driver.Now);

        accepted.Outcome.ShouldBe(InputOutcome.Applied);
        var record = accepted.State.Shipments.ShouldHaveSingleItem();
        record.Outcome.ShouldBe(OperationOutcome.Pending);
        record.CaptureKey.ShouldNotBeNull();
    }

    [Fact]
    public void Apply_ManyRefusedShipments_ListsTheLatestUpToTheBound()
    {
        var driver = new WorkflowDriver().Created();
        var state = driver.State;

        for (var i = 0; i < OrderPaymentWorkflow.MaxRejectedRecords + 5; i++)
        {
            state = driver.Workflow.Apply(state, new FulfillmentSignalled($"shipment-{i}"), driver.Now).State;
        }

        state.Shipments.Count.ShouldBe(OrderPaymentWorkflow.MaxRejectedRecords);
        state.Shipments[0].ShipmentId.ShouldBe("shipment-5");
    }

    [Fact]
    public void Apply_ConflictingShipment_IsInTheHistoryButDoesNotReplaceTheLiveRecord()
    {
        var driver = new WorkflowDriver().Authorized();
        driver.Send(new FulfillmentSignalled("shipment-1", Nok(400)));

        var step = driver.Workflow.Apply(driver.State, new FulfillmentSignalled("shipment-1", Nok(500)), driver.Now);

        step.Rejection!.Reason.ShouldBe(RejectionReason.Conflict);
        step.State.Shipments.ShouldBe(driver.State.Shipments);
        step.State.History[^1].Kind.ShouldBe(HistoryEntryKind.Rejection);
    }

    [Fact]
    public void Apply_ProviderInputRefused_ChangesNothing()
    {
        var driver = new WorkflowDriver().Authorized();
        var inconsistent = new ProviderObserved(driver.Observation(ProviderPaymentState.Authorized, Totals(authorized: 1000, captured: 2000)));

        var step = driver.Workflow.Apply(driver.State, inconsistent, driver.Now);

        step.Outcome.ShouldBe(InputOutcome.Rejected);
        step.State.ShouldBeSameAs(driver.State);
    }
}
