using OrderPayments.Domain.Tests.Workflow;
using OrderPayments.Domain.Workflow;
using static OrderPayments.Domain.Tests.Workflow.WorkflowDriver;

namespace OrderPayments.Domain.Tests.Issues;

/// <summary>
/// Issue 15, item 3: 300 unsigned PayEx callbacks with distinct transaction ids made 299 reads of one payment, and a
/// failed read on a failed order added a problem each time. Hints coalesce: at most one read in flight, hinted reads
/// at least <see cref="WorkflowOptions.MinHintQueryInterval"/> apart, nothing for a hint that changes nothing, and a
/// failed read is not a permanent problem.
/// </summary>
public sealed class Issue15HintTests
{
    private static readonly TimeSpan Interval = WorkflowOptions.Default.MinHintQueryInterval;

    [Fact]
    public void Notified_ManyTimesWhileAReadIsInFlight_ReadsOnceMoreAfterIt()
    {
        var driver = new WorkflowDriver().Created();
        var first = driver.Send(new ProviderNotified(driver.State.Reference, "CALLBACK")).Actions.ShouldHaveSingleItem().ShouldBeOfType<QueryPayment>();

        var steps = new List<WorkflowStep>();
        for (var i = 0; i < 300; i++)
        {
            driver.Now += TimeSpan.FromMilliseconds(10);
            steps.Add(driver.Send(new ProviderNotified(driver.State.Reference, "CALLBACK")));
        }

        steps.Count(s => s.Outcome == InputOutcome.Applied).ShouldBe(1, "the first hint during the read asks for one more read; the rest add nothing");
        steps.SelectMany(s => s.Actions).ShouldBeEmpty();
        driver.Succeed(first, driver.Observation(ProviderPaymentState.Created, Totals())).Actions.ShouldBeEmpty("the next hinted read waits for the interval");
        driver.State.WakeAt.ShouldBe(Epoch + Interval);
        driver.WakeUp().Actions.ShouldHaveSingleItem().ShouldBeOfType<QueryPayment>().Key.ShouldNotBe(first.Key);
    }

    [Fact]
    public void Notified_Continuously_ReadsAtMostOncePerInterval()
    {
        var driver = new WorkflowDriver(new WorkflowOptions { FirstPollDelay = TimeSpan.FromHours(1), MaxPollInterval = TimeSpan.FromHours(1), CustomerWindow = TimeSpan.FromHours(2) }).Created();
        var reads = new List<DateTimeOffset>();

        // A hint every 100 ms for a minute; every read the workflow asks for is answered 50 ms later.
        for (var i = 0; i < 600; i++)
        {
            driver.Now = Epoch + TimeSpan.FromMilliseconds(100 * i);
            if (driver.State.WakeAt <= driver.Now)
            {
                driver.Send(new WokenUp());
            }

            driver.Send(new ProviderNotified(driver.State.Reference, "CALLBACK"));
            if (driver.State.InFlight.OfType<QueryPayment>().SingleOrDefault() is { } read)
            {
                reads.Add(driver.Now);
                driver.Now += TimeSpan.FromMilliseconds(50);
                driver.Succeed(read, driver.Observation(ProviderPaymentState.Created, Totals()));
            }
        }

        reads.Count.ShouldBe(12, "one read per 5 s for 60 s");
        reads.Zip(reads.Skip(1), (a, b) => b - a).ShouldAllBe(gap => gap >= Interval);
    }

    [Fact]
    public void Notified_AboutTwoAttemptsAtOnce_KeepsOneReadInFlight()
    {
        var driver = new WorkflowDriver();
        var firstReference = driver.State.Reference;
        driver.Fail(driver.InFlight<CreatePayment>(), "gave-up", "Retries exhausted");
        driver.Send(new NewAttemptRequested("retry-1"));
        driver.Created();

        driver.Send(new ProviderNotified(firstReference, "CALLBACK")).Actions.ShouldHaveSingleItem().ShouldBeOfType<QueryPayment>().Reference.ShouldBe(firstReference);
        driver.Send(new ProviderNotified(driver.State.Reference, "CALLBACK")).Actions.ShouldBeEmpty();

        driver.State.InFlight.OfType<QueryPayment>().ShouldHaveSingleItem();
    }

    [Fact]
    public void Notified_OnAFinalOrder_ChangesNothing()
    {
        var driver = new WorkflowDriver();
        var firstReference = driver.State.Reference;
        driver.Fail(driver.InFlight<CreatePayment>(), "gave-up", "Retries exhausted");
        driver.Send(new NewAttemptRequested("retry-1"));
        driver.Created();
        driver.Send(new CancelRequested());
        driver.Succeed(driver.InFlight<CancelPayment>(), driver.Observation(ProviderPaymentState.Terminated, Totals()));
        driver.State.Status.ShouldBe(PaymentStatus.Cancelled);
        var final = driver.State;

        driver.Send(new ProviderNotified(driver.State.Reference, "CALLBACK")).Outcome.ShouldBe(InputOutcome.Unchanged);
        driver.Send(new ProviderNotified(firstReference, "CALLBACK")).Outcome.ShouldBe(InputOutcome.Unchanged);

        driver.State.ShouldBeSameAs(final);
    }

    [Fact]
    public void Notified_WhileAReadIsAlreadyPending_ChangesNothing()
    {
        var driver = new WorkflowDriver().Created();
        var read = driver.Send(new ProviderNotified(driver.State.Reference)).Actions.ShouldHaveSingleItem();
        driver.Now += TimeSpan.FromSeconds(1);
        driver.Send(new ProviderNotified(driver.State.Reference)).Outcome.ShouldBe(InputOutcome.Applied);
        driver.Succeed(read, driver.Observation(ProviderPaymentState.Created, Totals()));
        var pending = driver.State;

        driver.Now += TimeSpan.FromSeconds(1);
        var step = driver.Send(new ProviderNotified(driver.State.Reference));

        step.Outcome.ShouldBe(InputOutcome.Unchanged);
        step.State.ShouldBeSameAs(pending);
    }

    [Fact]
    public void QueryFailed_OnAFailedOrderAgainAndAgain_IsRecordedOnceAndNeedsNoAttention()
    {
        var driver = new WorkflowDriver(request: Request(provider: PaymentProvider.PayEx, flow: UserFlow.PushMessage, phone: "4712345678"));
        driver.Fail(driver.InFlight<CreatePayment>(), "inputerror", "Invalid phone number");
        var problems = driver.State.Problems;

        for (var i = 0; i < 50; i++)
        {
            driver.Now += Interval;
            var read = driver.Send(new ProviderNotified(driver.State.Reference, "CALLBACK")).Actions.ShouldHaveSingleItem().ShouldBeOfType<QueryPayment>();
            driver.Fail(read, "notfound", "No such payment");
        }

        driver.State.Problems.Count.ShouldBe(problems.Count + 1);
        driver.State.Problems[^1].Action.ShouldBe(ActionKind.Query);
        driver.State.Status.ShouldBe(PaymentStatus.Failed);
    }

    [Fact]
    public void QueryFailed_WhileWaitingForTheCustomer_NeedsNoAttentionAndKeepsPolling()
    {
        var driver = new WorkflowDriver().Created();
        driver.WakeUp();

        driver.Fail(driver.InFlight<QueryPayment>(), "404", "Unknown reference");

        driver.State.NeedsAttention.ShouldBeFalse();
        driver.State.Problems.ShouldHaveSingleItem().ErrorCode.ShouldBe("404");
        driver.State.NextPollAt.ShouldNotBeNull();
    }

    [Fact]
    public void Options_ZeroHintInterval_AreRefused() =>
        Should.Throw<ArgumentOutOfRangeException>(() => new OrderPaymentWorkflow(new WorkflowOptions { MinHintQueryInterval = TimeSpan.Zero }));
}
