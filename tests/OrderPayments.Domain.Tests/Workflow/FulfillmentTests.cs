using OrderPayments.Domain.Workflow;
using static OrderPayments.Domain.Tests.Workflow.WorkflowDriver;

namespace OrderPayments.Domain.Tests.Workflow;

public sealed class FulfillmentTests
{
    [Fact]
    public void Fulfillment_WithoutAmount_CapturesTheWholeRemainder()
    {
        var driver = new WorkflowDriver().Authorized();

        var step = driver.Send(new FulfillmentSignalled("shipment-1"));

        var capture = step.Actions.ShouldHaveSingleItem().ShouldBeOfType<CapturePayment>();
        capture.Amount.ShouldBe(Nok(1000));
        capture.ShipmentId.ShouldBe("shipment-1");
        capture.Key.Value.ShouldBe("order-42-1-capture-1");
    }

    [Fact]
    public void Fulfillment_PartialShipments_CaptureEachAmountThenTheRest()
    {
        var driver = new WorkflowDriver().Authorized();

        driver.Send(new FulfillmentSignalled("shipment-1", Nok(300)));
        var first = driver.InFlight<CapturePayment>();
        driver.Succeed(first, driver.AfterCapture(first));
        driver.Send(new FulfillmentSignalled("shipment-2"));
        var second = driver.InFlight<CapturePayment>();

        first.Amount.ShouldBe(Nok(300));
        second.Amount.ShouldBe(Nok(700));
        second.Key.Value.ShouldBe("order-42-1-capture-2");
        driver.State.Status.ShouldBe(PaymentStatus.Authorized);
    }

    [Fact]
    public void CaptureSucceeded_NothingLeftReserved_IsCapturedWithARefundWindow()
    {
        var driver = new WorkflowDriver().Authorized();
        driver.Send(new FulfillmentSignalled("shipment-1"));
        var capture = driver.InFlight<CapturePayment>();
        driver.Now = Epoch.AddDays(1);

        driver.Succeed(capture, driver.AfterCapture(capture));

        driver.State.Status.ShouldBe(PaymentStatus.Captured);
        driver.State.RefundWindowClosesAt.ShouldBe(Epoch.AddDays(366));
        driver.State.WakeAt.ShouldBe(driver.State.RefundWindowClosesAt);
        driver.State.Shipments.ShouldHaveSingleItem().Outcome.ShouldBe(OperationOutcome.Succeeded);
    }

    [Fact]
    public void Fulfillment_SameShipmentTwice_CapturesOnce()
    {
        var driver = new WorkflowDriver().Authorized();
        driver.Send(new FulfillmentSignalled("shipment-1", Nok(400)));

        var step = driver.Send(new FulfillmentSignalled("shipment-1", Nok(400)));

        step.Outcome.ShouldBe(InputOutcome.Unchanged);
        step.Actions.ShouldBeEmpty();
        driver.State.InFlight.OfType<CapturePayment>().ShouldHaveSingleItem();
    }

    [Fact]
    public void Fulfillment_SameShipmentWithAnotherAmount_IsRejectedAsAConflict()
    {
        var driver = new WorkflowDriver().Authorized();
        driver.Send(new FulfillmentSignalled("shipment-1", Nok(400)));

        var step = driver.Send(new FulfillmentSignalled("shipment-1", Nok(500)));

        step.Rejection!.Reason.ShouldBe(RejectionReason.Conflict);
        step.Rejection.Field.ShouldBe("shipmentId");
    }

    [Fact]
    public void Fulfillment_AboveWhatIsLeftCountingCapturesInFlight_IsRejectedAndChangesNothing()
    {
        var driver = new WorkflowDriver().Authorized();
        driver.Send(new FulfillmentSignalled("shipment-1", Nok(600)));
        var before = driver.State;

        var step = driver.Send(new FulfillmentSignalled("shipment-2", Nok(401)));

        step.Outcome.ShouldBe(InputOutcome.Rejected);
        step.Rejection!.Reason.ShouldBe(RejectionReason.ExceedsRemaining);
        step.Rejection.Message.ShouldContain("4.00 NOK");
        step.State.ShouldBeSameAs(before);
    }

    [Fact]
    public void Fulfillment_BeforeAuthorization_IsRejected()
    {
        var driver = new WorkflowDriver().Created();

        var step = driver.Send(new FulfillmentSignalled("shipment-1"));

        step.Rejection!.Reason.ShouldBe(RejectionReason.NotAuthorized);
        step.Actions.ShouldBeEmpty();
    }

    [Fact]
    public void Fulfillment_InAnotherCurrency_IsRejected()
    {
        var driver = new WorkflowDriver().Authorized();

        var step = driver.Send(new FulfillmentSignalled("shipment-1", new Money(100, Currency.EUR)));

        step.Rejection!.Reason.ShouldBe(RejectionReason.CurrencyMismatch);
    }

    [Fact]
    public void Fulfillment_ZeroAmount_IsRejected()
    {
        var driver = new WorkflowDriver().Authorized();

        driver.Send(new FulfillmentSignalled("shipment-1", Nok(0))).Rejection!.Reason.ShouldBe(RejectionReason.InvalidAmount);
    }

    [Fact]
    public void Fulfillment_EmptyShipmentId_IsRejectedNamingTheField()
    {
        var driver = new WorkflowDriver().Authorized();

        driver.Send(new FulfillmentSignalled(" ")).Rejection!.Field.ShouldBe("shipmentId");
    }

    [Fact]
    public void CaptureSucceeded_WithoutAnObservation_QueriesForTheTotals()
    {
        var driver = new WorkflowDriver().Authorized();
        driver.Send(new FulfillmentSignalled("shipment-1"));

        var step = driver.Succeed(driver.InFlight<CapturePayment>());

        step.Actions.ShouldHaveSingleItem().ShouldBeOfType<QueryPayment>();
        driver.State.Status.ShouldBe(PaymentStatus.Authorized);
    }

    [Fact]
    public void CaptureRejected_ByTheProvider_NeedsAttentionWithTheErrorCode()
    {
        var driver = new WorkflowDriver().Authorized();
        driver.Send(new FulfillmentSignalled("shipment-1"));

        driver.Fail(driver.InFlight<CapturePayment>(), "6260", "Funds unavailable");

        driver.State.NeedsAttention.ShouldBeTrue();
        var problem = driver.State.Problems.ShouldHaveSingleItem();
        problem.ErrorCode.ShouldBe("6260");
        problem.Action.ShouldBe(ActionKind.Capture);
        driver.State.Shipments.ShouldHaveSingleItem().Outcome.ShouldBe(OperationOutcome.Failed);
        driver.State.Capturable.ShouldBe(Nok(1000));
    }

    [Fact]
    public void Notified_EchoOfItsOwnSucceededCapture_DoesNotQuery()
    {
        var driver = new WorkflowDriver().Captured();
        var key = driver.State.Shipments.ShouldHaveSingleItem().CaptureKey;

        var step = driver.Send(new ProviderNotified(driver.State.Reference, "CAPTURED", key));

        step.Actions.ShouldBeEmpty();
        step.State.QueryWanted.ShouldBeFalse();
    }

    [Fact]
    public void Notified_EchoOfItsCaptureInFlight_WaitsForTheCallsOwnResult()
    {
        var driver = new WorkflowDriver().Authorized();
        driver.Send(new FulfillmentSignalled("shipment-1"));
        var capture = driver.InFlight<CapturePayment>();

        var step = driver.Send(new ProviderNotified(driver.State.Reference, "CAPTURED", capture.Key));

        step.Actions.ShouldBeEmpty();
        step.State.QueryWanted.ShouldBeFalse();
    }

    [Fact]
    public void Notified_CaptureWithAKeyItDidNotIssue_Queries()
    {
        var driver = new WorkflowDriver().Authorized();

        var step = driver.Send(new ProviderNotified(driver.State.Reference, "CAPTURED", IdempotencyKey.Parse("someone-elses-key")));

        step.Actions.ShouldHaveSingleItem().ShouldBeOfType<QueryPayment>();
    }
}
