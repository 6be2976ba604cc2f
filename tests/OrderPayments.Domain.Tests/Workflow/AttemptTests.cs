using OrderPayments.Domain.Workflow;
using static OrderPayments.Domain.Tests.Workflow.WorkflowDriver;

namespace OrderPayments.Domain.Tests.Workflow;

public sealed class AttemptTests
{
    private static WorkflowDriver Expired()
    {
        var driver = new WorkflowDriver().Created();
        driver.Send(new ProviderObserved(driver.Observation(ProviderPaymentState.Expired, Totals())));
        return driver;
    }

    [Fact]
    public void NewAttempt_AfterExpiry_CreatesAttemptTwoWithANewReference()
    {
        var driver = Expired();

        var create = driver.Send(new NewAttemptRequested("retry-1")).Actions.ShouldHaveSingleItem().ShouldBeOfType<CreatePayment>();

        driver.State.Attempt.ShouldBe(2);
        driver.State.Status.ShouldBe(PaymentStatus.Creating);
        create.Reference.Value.ShouldBe("order-42-2");
        create.Key.Value.ShouldStartWith("order-42-2-create-");
        driver.State.Aggregate.ShouldBe(Totals());
    }

    [Fact]
    public void NewAttempt_SameRequestTwice_StartsOneAttempt()
    {
        var driver = Expired();
        driver.Send(new NewAttemptRequested("retry-1"));

        driver.Send(new NewAttemptRequested("retry-1")).Outcome.ShouldBe(InputOutcome.Unchanged);
        driver.State.Attempt.ShouldBe(2);
    }

    [Fact]
    public void NewAttempt_WhileWaitingForTheCustomer_IsRejectedAsInProgress()
    {
        var driver = new WorkflowDriver().Created();

        driver.Send(new NewAttemptRequested("retry-1")).Rejection!.Reason.ShouldBe(RejectionReason.InProgress);
    }

    [Fact]
    public void NewAttempt_OnAPaidOrder_IsRejectedAsAlreadyPaid()
    {
        var driver = new WorkflowDriver().Authorized();

        driver.Send(new NewAttemptRequested("retry-1")).Rejection!.Reason.ShouldBe(RejectionReason.AlreadyPaid);
    }

    [Fact]
    public void CreateRejected_ByTheProvider_FailsVisiblyAndAllowsANewAttempt()
    {
        var driver = new WorkflowDriver();

        driver.Fail(driver.InFlight<CreatePayment>(), "4070", "Invalid phone number");

        driver.State.Status.ShouldBe(PaymentStatus.Failed);
        driver.State.NeedsAttention.ShouldBeTrue();
        driver.State.Problems.ShouldHaveSingleItem().ErrorCode.ShouldBe("4070");
        driver.Send(new NewAttemptRequested("retry-1")).Actions.ShouldHaveSingleItem().ShouldBeOfType<CreatePayment>();
        driver.State.NeedsAttention.ShouldBeFalse();
    }

    [Fact]
    public void EarlierAttempt_SeenAuthorizedAfterANewAttemptStarted_IsReleasedOnce()
    {
        var driver = new WorkflowDriver();
        var firstReference = driver.State.Reference;
        driver.Fail(driver.InFlight<CreatePayment>(), "gave-up", "Retries exhausted");
        driver.Send(new NewAttemptRequested("retry-1"));

        var query = driver.Send(new ProviderNotified(firstReference, "AUTHORIZED")).Actions.ShouldHaveSingleItem().ShouldBeOfType<QueryPayment>();
        var authorized = new PaymentObservation(firstReference, ProviderPaymentState.Authorized, Totals(authorized: 1000));
        var release = driver.Succeed(query, authorized).Actions.ShouldHaveSingleItem().ShouldBeOfType<CancelPayment>();

        release.Reference.ShouldBe(firstReference);
        release.CancelTransactionOnly.ShouldBeFalse();
        release.Key.Value.ShouldBe("order-42-1-release-1");
        driver.Send(new ProviderObserved(authorized)).Outcome.ShouldBe(InputOutcome.Unchanged);
    }
}
