using OrderPayments.Domain.Workflow;
using static OrderPayments.Domain.Tests.Workflow.WorkflowDriver;

namespace OrderPayments.Domain.Tests.Workflow;

public sealed class CancelTests
{
    [Fact]
    public void Cancel_WhileAwaitingCustomer_CancelsOnlyIfNotAuthorizedThenEndsCancelled()
    {
        var driver = new WorkflowDriver().Created();

        var cancel = driver.Send(new CancelRequested("customer left")).Actions.ShouldHaveSingleItem().ShouldBeOfType<CancelPayment>();
        driver.Succeed(cancel, driver.Observation(ProviderPaymentState.Terminated, Totals()));

        cancel.CancelTransactionOnly.ShouldBeTrue();
        driver.State.Status.ShouldBe(PaymentStatus.Cancelled);
        driver.State.IsFinal.ShouldBeTrue();
    }

    [Fact]
    public void Cancel_WhileCreating_CancelsOnceTheCreateSucceeds()
    {
        var driver = new WorkflowDriver();
        driver.Send(new CancelRequested()).Actions.ShouldBeEmpty();

        var step = driver.Succeed(driver.InFlight<CreatePayment>(), redirectUrl: "https://landing.example/x");

        step.Actions.OfType<CancelPayment>().ShouldHaveSingleItem().CancelTransactionOnly.ShouldBeTrue();
    }

    [Fact]
    public void Cancel_WhileCreatingAndTheCreateFails_EndsCancelled()
    {
        var driver = new WorkflowDriver();
        driver.Send(new CancelRequested());

        driver.Fail(driver.InFlight<CreatePayment>(), "400", "Invalid phone number");

        driver.State.Status.ShouldBe(PaymentStatus.Cancelled);
    }

    [Fact]
    public void Cancel_WhenAuthorized_ReleasesTheReservationAndEndsCancelled()
    {
        var driver = new WorkflowDriver().Authorized();

        var release = driver.Send(new CancelRequested()).Actions.ShouldHaveSingleItem().ShouldBeOfType<CancelPayment>();
        driver.Succeed(release, driver.AfterRelease());

        release.CancelTransactionOnly.ShouldBeFalse();
        driver.State.Status.ShouldBe(PaymentStatus.Cancelled);
        driver.State.Aggregate.Cancelled.ShouldBe(Nok(1000));
    }

    [Fact]
    public void Cancel_AfterPartialCapture_ReleasesTheRestAndEndsCaptured()
    {
        var driver = new WorkflowDriver().Authorized();
        driver.Send(new FulfillmentSignalled("shipment-1", Nok(250)));
        var capture = driver.InFlight<CapturePayment>();
        driver.Succeed(capture, driver.AfterCapture(capture));

        var release = driver.Send(new CancelRequested()).Actions.ShouldHaveSingleItem().ShouldBeOfType<CancelPayment>();
        driver.Succeed(release, driver.AfterRelease());

        driver.State.Status.ShouldBe(PaymentStatus.Captured);
        driver.State.Aggregate.ShouldBe(Totals(authorized: 1000, captured: 250, cancelled: 750));
    }

    [Fact]
    public void Cancel_WhileACaptureIsInFlight_WaitsForTheCaptureFirst()
    {
        var driver = new WorkflowDriver().Authorized();
        driver.Send(new FulfillmentSignalled("shipment-1", Nok(250)));
        var capture = driver.InFlight<CapturePayment>();

        driver.Send(new CancelRequested()).Actions.ShouldBeEmpty();
        var step = driver.Succeed(capture, driver.AfterCapture(capture));

        step.Actions.ShouldHaveSingleItem().ShouldBeOfType<CancelPayment>().CancelTransactionOnly.ShouldBeFalse();
    }

    [Fact]
    public void Cancel_WhenTheCustomerApprovedDuringIt_ReleasesAfterTheQueryShowsAuthorized()
    {
        var driver = new WorkflowDriver().Created();
        var cancel = driver.Send(new CancelRequested()).Actions.ShouldHaveSingleItem().ShouldBeOfType<CancelPayment>();

        var query = driver.Fail(cancel, "6060").Actions.ShouldHaveSingleItem().ShouldBeOfType<QueryPayment>();
        var step = driver.Succeed(query, driver.Observation(ProviderPaymentState.Authorized, Totals(authorized: 1000)));

        step.Actions.ShouldHaveSingleItem().ShouldBeOfType<CancelPayment>().CancelTransactionOnly.ShouldBeFalse();
    }

    [Fact]
    public void Cancel_WhenEverythingIsCaptured_IsRejected()
    {
        var driver = new WorkflowDriver().Captured();

        var step = driver.Send(new CancelRequested());

        step.Rejection!.Reason.ShouldBe(RejectionReason.NotAllowed);
        step.Rejection.Message.ShouldContain("refund instead");
    }

    [Fact]
    public void Cancel_AfterAnUnpaidEnd_CancelsTheOrder()
    {
        var driver = new WorkflowDriver().Created();
        driver.Send(new ProviderObserved(driver.Observation(ProviderPaymentState.Expired, Totals())));

        driver.Send(new CancelRequested());

        driver.State.Status.ShouldBe(PaymentStatus.Cancelled);
    }

    [Fact]
    public void Cancel_Twice_ChangesNothingTheSecondTime()
    {
        var driver = new WorkflowDriver().Authorized();
        driver.Send(new CancelRequested());

        driver.Send(new CancelRequested()).Outcome.ShouldBe(InputOutcome.Unchanged);
    }

    [Fact]
    public void FulfillmentDeadline_Passed_ReleasesTheReservation()
    {
        var driver = new WorkflowDriver().Authorized();

        var step = driver.WakeUp();

        driver.Now.ShouldBe(Epoch.AddDays(7));
        step.Actions.ShouldHaveSingleItem().ShouldBeOfType<CancelPayment>().CancelTransactionOnly.ShouldBeFalse();
        driver.State.WakeAt.ShouldBeNull();
    }

    [Fact]
    public void Fulfillment_AfterTheDeadlinePassed_IsRejected()
    {
        var driver = new WorkflowDriver().Authorized();
        driver.WakeUp();

        driver.Send(new FulfillmentSignalled("late-shipment")).Rejection!.Reason.ShouldBe(RejectionReason.NotAllowed);
    }

    [Fact]
    public void ReleaseRejected_ByTheProvider_NeedsAttentionAndQueries()
    {
        var driver = new WorkflowDriver().Authorized();
        driver.WakeUp();

        var step = driver.Fail(driver.InFlight<CancelPayment>(), "6100", "Capture period expired");

        driver.State.NeedsAttention.ShouldBeTrue();
        step.Actions.ShouldHaveSingleItem().ShouldBeOfType<QueryPayment>();
    }

    [Fact]
    public void FulfillmentDeadline_PassingWhileACaptureIsInFlight_AsksNoWakeUpAndReleasesAfterTheCapture()
    {
        var driver = new WorkflowDriver().Authorized();
        driver.Send(new FulfillmentSignalled("shipment-1", Nok(250)));
        var capture = driver.InFlight<CapturePayment>();

        var woken = driver.WakeUp();
        woken.Actions.ShouldBeEmpty();
        driver.State.WakeAt.ShouldBeNull();
        var step = driver.Succeed(capture, driver.AfterCapture(capture));

        step.Actions.ShouldHaveSingleItem().ShouldBeOfType<CancelPayment>().CancelTransactionOnly.ShouldBeFalse();
    }
}
