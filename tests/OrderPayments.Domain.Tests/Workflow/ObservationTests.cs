using OrderPayments.Domain.Workflow;
using static OrderPayments.Domain.Tests.Workflow.WorkflowDriver;

namespace OrderPayments.Domain.Tests.Workflow;

public sealed class ObservationTests
{
    [Fact]
    public void Observed_StaleTotalsAfterACapture_DoNotLowerTheAmounts()
    {
        var driver = new WorkflowDriver().Captured();

        var step = driver.Send(new ProviderObserved(driver.Observation(ProviderPaymentState.Authorized, Totals(authorized: 1000))));

        step.Outcome.ShouldBe(InputOutcome.Unchanged);
        driver.State.Aggregate.Captured.ShouldBe(Nok(1000));
    }

    [Fact]
    public void Observed_AnotherFinalStateAfterAuthorization_IsIgnored()
    {
        var driver = new WorkflowDriver().Authorized();

        driver.Send(new ProviderObserved(driver.Observation(ProviderPaymentState.Expired, Totals()))).Outcome.ShouldBe(InputOutcome.Unchanged);
        driver.State.ProviderState.ShouldBe(ProviderPaymentState.Authorized);
        driver.State.Status.ShouldBe(PaymentStatus.Authorized);
    }

    [Fact]
    public void Observed_CapturedAboveAuthorized_IsRejectedAsInconsistent()
    {
        var driver = new WorkflowDriver().Created();

        var step = driver.Send(new ProviderObserved(driver.Observation(ProviderPaymentState.Authorized, Totals(authorized: 100, captured: 200))));

        step.Rejection!.Reason.ShouldBe(RejectionReason.InvalidObservation);
        driver.State.Status.ShouldBe(PaymentStatus.AwaitingCustomer);
    }

    [Fact]
    public void Observed_InAnotherCurrency_IsRejected()
    {
        var driver = new WorkflowDriver().Created();
        var eur = new Money(1000, Currency.EUR);
        var zero = new Money(0, Currency.EUR);

        var step = driver.Send(new ProviderObserved(driver.Observation(ProviderPaymentState.Authorized, new PaymentAggregate(eur, zero, zero, zero))));

        step.Rejection!.Reason.ShouldBe(RejectionReason.InvalidObservation);
    }

    [Fact]
    public void Observed_CaptureMadeOutsideTheWorkflow_IsTakenIntoAccount()
    {
        var driver = new WorkflowDriver().Authorized();

        driver.Send(new ProviderObserved(driver.Observation(ProviderPaymentState.Authorized, Totals(authorized: 1000, captured: 400))));

        driver.State.Capturable.ShouldBe(Nok(600));
        driver.Send(new FulfillmentSignalled("shipment-1", Nok(601))).Rejection!.Reason.ShouldBe(RejectionReason.ExceedsRemaining);
    }

    [Fact]
    public void ActivityResult_ForAnUnknownKey_ChangesNothing()
    {
        var driver = new WorkflowDriver().Authorized();

        var step = driver.Send(new ActivitySucceeded(IdempotencyKey.Parse("order-42-1-capture-9")));

        step.Outcome.ShouldBe(InputOutcome.Unchanged);
    }

    [Fact]
    public void Cancelled_Order_AbsorbsEveryLaterInput()
    {
        var driver = new WorkflowDriver().Authorized();
        var release = driver.Send(new CancelRequested()).Actions.ShouldHaveSingleItem();
        driver.Succeed(release, driver.AfterRelease());

        driver.Send(new FulfillmentSignalled("shipment-1")).Outcome.ShouldBe(InputOutcome.Rejected);
        driver.Send(new NewAttemptRequested("retry")).Outcome.ShouldBe(InputOutcome.Rejected);
        driver.Send(new ProviderNotified(driver.State.Reference)).Outcome.ShouldBe(InputOutcome.Unchanged);
        driver.Advance(TimeSpan.FromDays(400)).Outcome.ShouldBe(InputOutcome.Unchanged);
        driver.State.Status.ShouldBe(PaymentStatus.Cancelled);
    }
}
