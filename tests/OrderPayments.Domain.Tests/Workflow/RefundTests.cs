using OrderPayments.Domain.Workflow;
using static OrderPayments.Domain.Tests.Workflow.WorkflowDriver;

namespace OrderPayments.Domain.Tests.Workflow;

public sealed class RefundTests
{
    [Fact]
    public void Refund_AfterCapture_RefundsTheAmountWithADerivedKey()
    {
        var driver = new WorkflowDriver().Captured();

        var refund = driver.Send(new RefundRequested("refund-1", Nok(300))).Actions.ShouldHaveSingleItem().ShouldBeOfType<RefundPayment>();
        driver.Succeed(refund, driver.AfterRefund(refund));

        refund.Amount.ShouldBe(Nok(300));
        refund.Key.Value.ShouldBe("order-42-1-refund-1");
        driver.State.Aggregate.Refunded.ShouldBe(Nok(300));
        driver.State.Refundable.ShouldBe(Nok(700));
    }

    [Fact]
    public void Refund_AboveCapturedMinusRefundedCountingRefundsInFlight_IsRejected()
    {
        var driver = new WorkflowDriver().Captured();
        driver.Send(new RefundRequested("refund-1", Nok(600)));

        var step = driver.Send(new RefundRequested("refund-2", Nok(401)));

        step.Rejection!.Reason.ShouldBe(RejectionReason.ExceedsRefundable);
        step.Rejection.Field.ShouldBe("amount");
    }

    [Fact]
    public void Refund_AfterPartialCaptureWhileStillAuthorized_IsAllowedUpToTheCapturedAmount()
    {
        var driver = new WorkflowDriver().Authorized();
        driver.Send(new FulfillmentSignalled("shipment-1", Nok(200)));
        var capture = driver.InFlight<CapturePayment>();
        driver.Succeed(capture, driver.AfterCapture(capture));

        driver.Send(new RefundRequested("refund-1", Nok(201))).Rejection!.Reason.ShouldBe(RejectionReason.ExceedsRefundable);
        driver.Send(new RefundRequested("refund-1", Nok(200))).Actions.ShouldHaveSingleItem().ShouldBeOfType<RefundPayment>();
    }

    [Fact]
    public void Refund_BeforeAnyCapture_IsRejected()
    {
        var driver = new WorkflowDriver().Authorized();

        driver.Send(new RefundRequested("refund-1", Nok(100))).Rejection!.Reason.ShouldBe(RejectionReason.NotAllowed);
    }

    [Fact]
    public void Refund_SameRefundIdTwice_RefundsOnce()
    {
        var driver = new WorkflowDriver().Captured();
        driver.Send(new RefundRequested("refund-1", Nok(100)));

        var step = driver.Send(new RefundRequested("refund-1", Nok(100)));

        step.Outcome.ShouldBe(InputOutcome.Unchanged);
        driver.State.InFlight.OfType<RefundPayment>().ShouldHaveSingleItem();
    }

    [Fact]
    public void Refund_SameRefundIdWithAnotherAmount_IsRejectedAsAConflict()
    {
        var driver = new WorkflowDriver().Captured();
        driver.Send(new RefundRequested("refund-1", Nok(100)));

        driver.Send(new RefundRequested("refund-1", Nok(200))).Rejection!.Reason.ShouldBe(RejectionReason.Conflict);
    }

    [Fact]
    public void RefundRejected_ByTheProvider_NeedsAttentionAndFreesTheAmount()
    {
        var driver = new WorkflowDriver().Captured();
        driver.Send(new RefundRequested("refund-1", Nok(1000)));

        driver.Fail(driver.InFlight<RefundPayment>(), "123", "No receiving account");

        driver.State.NeedsAttention.ShouldBeTrue();
        driver.State.Problems.ShouldHaveSingleItem().ErrorCode.ShouldBe("123");
        driver.State.Refundable.ShouldBe(Nok(1000));
    }

    [Fact]
    public void RefundWindow_Closed_CompletesTheOrder()
    {
        var driver = new WorkflowDriver().Captured();

        driver.WakeUp();

        driver.Now.ShouldBe(Epoch.AddDays(365));
        driver.State.Status.ShouldBe(PaymentStatus.Completed);
        driver.State.WakeAt.ShouldBeNull();
    }

    [Fact]
    public void Refund_AfterTheWindowClosed_IsRejected()
    {
        var driver = new WorkflowDriver().Captured();
        driver.WakeUp();

        driver.Send(new RefundRequested("refund-1", Nok(100))).Rejection!.Reason.ShouldBe(RejectionReason.RefundWindowClosed);
    }

    [Fact]
    public void RefundWindow_ClosingWhileARefundIsInFlight_CompletesAfterIt()
    {
        var driver = new WorkflowDriver().Captured();
        driver.Send(new RefundRequested("refund-1", Nok(100)));
        var refund = driver.InFlight<RefundPayment>();

        driver.WakeUp();
        driver.State.Status.ShouldBe(PaymentStatus.Captured);
        driver.Succeed(refund, driver.AfterRefund(refund));

        driver.State.Status.ShouldBe(PaymentStatus.Completed);
    }
}
