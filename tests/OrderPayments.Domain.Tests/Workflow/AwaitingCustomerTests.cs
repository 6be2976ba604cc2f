using OrderPayments.Domain.Workflow;
using static OrderPayments.Domain.Tests.Workflow.WorkflowDriver;

namespace OrderPayments.Domain.Tests.Workflow;

public sealed class AwaitingCustomerTests
{
    [Fact]
    public void CreateSucceeded_WithRedirectUrl_AwaitsCustomerAndPollsFirstAfterFiveSeconds()
    {
        var driver = new WorkflowDriver().Created();

        driver.State.Status.ShouldBe(PaymentStatus.AwaitingCustomer);
        driver.State.RedirectUrl.ShouldBe("https://landing.example/pay?token=abc");
        driver.State.WakeAt.ShouldBe(Epoch.AddSeconds(5));
        driver.LastStep.Actions.ShouldBeEmpty();
    }

    [Fact]
    public void WokenUp_PollDue_QueriesThePayment()
    {
        var driver = new WorkflowDriver().Created();

        var step = driver.WakeUp();

        var query = step.Actions.ShouldHaveSingleItem().ShouldBeOfType<QueryPayment>();
        query.Reference.ShouldBe(driver.State.Reference);
        query.Key.Value.ShouldBe("order-42-1-query-1");
    }

    [Fact]
    public void WokenUp_BeforeAnythingIsDue_ChangesNothing()
    {
        var driver = new WorkflowDriver().Created();
        var before = driver.State;

        var step = driver.Advance(TimeSpan.FromSeconds(4));

        step.Outcome.ShouldBe(InputOutcome.Unchanged);
        step.State.ShouldBeSameAs(before);
    }

    [Fact]
    public void QueryResult_StillCreated_BacksOffByTheFactorUpToTheMaximum()
    {
        var driver = new WorkflowDriver().Created();
        var intervals = new List<double>();

        for (var i = 0; i < 9; i++)
        {
            driver.WakeUp();
            driver.Succeed(driver.InFlight<QueryPayment>(), driver.Observation(ProviderPaymentState.Created, Totals()));
            intervals.Add((driver.State.WakeAt!.Value - driver.Now).TotalSeconds);
        }

        intervals.ShouldBe([7.5, 11.25, 16.875, 25.3125, 37.96875, 56.953125, 60, 60, 60]);
    }

    [Fact]
    public void Notified_AboutTheCurrentPayment_QueriesAtOnce()
    {
        var driver = new WorkflowDriver().Created();

        var step = driver.Send(new ProviderNotified(driver.State.Reference, "AUTHORIZED"));

        step.Actions.ShouldHaveSingleItem().ShouldBeOfType<QueryPayment>();
    }

    [Fact]
    public void Notified_WhileAnEarlierQueryIsInFlight_QueriesAgainAfterIt()
    {
        var driver = new WorkflowDriver().Created();
        driver.WakeUp();
        var first = driver.InFlight<QueryPayment>();

        driver.Now = driver.Now.AddSeconds(1);
        driver.Send(new ProviderNotified(driver.State.Reference)).Actions.ShouldBeEmpty();
        var step = driver.Succeed(first, driver.Observation(ProviderPaymentState.Created, Totals()));

        step.Actions.ShouldHaveSingleItem().ShouldBeOfType<QueryPayment>().Key.ShouldNotBe(first.Key);
    }

    [Fact]
    public void Notified_RightAfterAQueryWasIssued_DoesNotQueryTwice()
    {
        var driver = new WorkflowDriver().Created();
        driver.Send(new ProviderNotified(driver.State.Reference));

        var step = driver.Send(new ProviderNotified(driver.State.Reference));

        step.Outcome.ShouldBe(InputOutcome.Unchanged);
    }

    [Fact]
    public void Observed_Authorized_WaitsForFulfillmentUntilTheDeadline()
    {
        var driver = new WorkflowDriver().Created();
        driver.Now = Epoch.AddMinutes(1);

        driver.Send(new ProviderObserved(driver.Observation(ProviderPaymentState.Authorized, Totals(authorized: 1000))));

        driver.State.Status.ShouldBe(PaymentStatus.Authorized);
        driver.State.FulfillmentDeadline.ShouldBe(Epoch.AddMinutes(1).AddDays(7));
        driver.State.WakeAt.ShouldBe(driver.State.FulfillmentDeadline);
        driver.State.Capturable.ShouldBe(Nok(1000));
    }

    [Theory]
    [InlineData(ProviderPaymentState.Aborted)]
    [InlineData(ProviderPaymentState.Expired)]
    [InlineData(ProviderPaymentState.Terminated)]
    public void Observed_EndedWithoutApproval_EndsTheAttemptUnpaid(ProviderPaymentState ended)
    {
        var driver = new WorkflowDriver().Created();

        driver.Send(new ProviderObserved(driver.Observation(ended, Totals())));

        driver.State.Status.ShouldBe(PaymentStatus.Unpaid);
        driver.State.WakeAt.ShouldBeNull();
    }

    [Fact]
    public void WokenUp_AtTheEndOfTheCustomerWindow_DoesNotCancelYet()
    {
        var driver = new WorkflowDriver().Created();
        driver.Now = Epoch.AddMinutes(10);

        var step = driver.Send(new WokenUp());

        step.Actions.OfType<CancelPayment>().ShouldBeEmpty();
        driver.State.AuthorizationDeadline.ShouldBe(Epoch.AddMinutes(12));
    }

    [Fact]
    public void WokenUp_AfterWindowAndGrace_CancelsOnlyIfNotAuthorized()
    {
        var driver = new WorkflowDriver().Created();
        driver.Now = Epoch.AddMinutes(12);

        var step = driver.Send(new WokenUp());

        var cancel = step.Actions.OfType<CancelPayment>().ShouldHaveSingleItem();
        cancel.CancelTransactionOnly.ShouldBeTrue();
        cancel.Key.Value.ShouldBe("order-42-1-cancel-1");
    }

    [Fact]
    public void DeadlineCancel_Succeeded_EndsUnpaid()
    {
        var driver = new WorkflowDriver().Created();
        driver.Advance(TimeSpan.FromMinutes(12));

        driver.Succeed(driver.InFlight<CancelPayment>(), driver.Observation(ProviderPaymentState.Terminated, Totals()));

        driver.State.Status.ShouldBe(PaymentStatus.Unpaid);
    }

    [Fact]
    public void DeadlineCancel_RefusedBecauseTheCustomerJustApproved_QueriesAndContinuesAuthorized()
    {
        var driver = new WorkflowDriver().Created();
        driver.Advance(TimeSpan.FromMinutes(12));
        driver.Succeed(driver.InFlight<QueryPayment>(), driver.Observation(ProviderPaymentState.Created, Totals()));

        var step = driver.Fail(driver.InFlight<CancelPayment>(), "6060", "Cannot cancel an authorized payment");
        var query = step.Actions.ShouldHaveSingleItem().ShouldBeOfType<QueryPayment>();
        driver.Succeed(query, driver.Observation(ProviderPaymentState.Authorized, Totals(authorized: 1000)));

        driver.State.Status.ShouldBe(PaymentStatus.Authorized);
        driver.State.Problems.ShouldBeEmpty();
        driver.State.InFlight.ShouldBeEmpty();
    }

    [Fact]
    public void DeadlinePassed_PayExPayment_IsAbortedInsteadOfCancelled()
    {
        var driver = new WorkflowDriver(request: Request(provider: PaymentProvider.PayEx)).Created();

        var step = driver.Advance(TimeSpan.FromMinutes(12));

        step.Actions.OfType<AbortPayment>().ShouldHaveSingleItem().Key.Value.ShouldBe("order-42-1-abort-1");
        step.Actions.OfType<CancelPayment>().ShouldBeEmpty();
    }

    [Fact]
    public void PushMessageFlow_CreateWithoutRedirectUrl_AwaitsCustomer()
    {
        var driver = new WorkflowDriver(request: Request(flow: UserFlow.PushMessage, phone: "4712345678"));

        driver.Succeed(driver.InFlight<CreatePayment>());

        driver.State.Status.ShouldBe(PaymentStatus.AwaitingCustomer);
        driver.State.RedirectUrl.ShouldBeNull();
    }

    [Fact]
    public void DeadlineCancel_TerminatedWithTheWholeAmountCancelledAndNothingAuthorized_EndsUnpaid()
    {
        // Vipps' own example: a payment cancelled before authorization reports cancelledAmount = amount, authorizedAmount = 0.
        var driver = new WorkflowDriver().Created();
        driver.Advance(TimeSpan.FromMinutes(12));

        driver.Succeed(driver.InFlight<CancelPayment>(), driver.Observation(ProviderPaymentState.Terminated, Totals(cancelled: 1000)));

        driver.State.Status.ShouldBe(PaymentStatus.Unpaid);
        driver.State.Aggregate.Cancelled.ShouldBe(Nok(1000));
    }
}
