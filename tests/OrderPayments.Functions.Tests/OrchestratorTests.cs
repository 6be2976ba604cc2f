using OrderPayments.Domain.Workflow;

namespace OrderPayments.Functions.Tests;

/// <summary>The orchestrator over the shared workflow, driven through a mocked <c>TaskOrchestrationContext</c>.</summary>
public sealed class OrchestratorTests
{
    [Fact]
    public async Task HappyPath_CreateThenWebhookThenShipment_CapturesOnce()
    {
        var harness = new OrchestrationHarness(OrchestrationHarness.Order());
        var reference = PaymentReferenceOf(harness);
        harness.Provider = (activity, action) => action switch
        {
            CreatePayment => new ActivitySucceeded(action.Key, RedirectUrl: "https://landing.example/1"),
            CapturePayment capture => new ActivitySucceeded(action.Key, harness.Observation(reference, ProviderPaymentState.Authorized, authorized: 1000, captured: capture.Amount.Value)),
            _ => throw new InvalidOperationException($"Unexpected {activity}."),
        };
        harness.Signal(new ProviderObserved(harness.Observation(reference, ProviderPaymentState.Authorized, authorized: 1000)), "webhook-1");
        harness.Signal(new FulfillmentSignalled("ship-1"), "shipment:ship-1");

        var outcome = await harness.RunAsync();

        harness.Calls.ShouldBe([nameof(PaymentActivityFunctions.CreatePayment), nameof(PaymentActivityFunctions.CapturePayment)]);
        harness.Statuses.ShouldContain(s => s.State.Status == PaymentStatus.Captured && s.State.Aggregate.Captured.Value == 1000);
        outcome.ShouldBe(nameof(PaymentStatus.Completed), "after the refund window the order completes");
    }

    [Fact]
    public async Task WebhookNeverComes_TimerFiresAndTheWorkflowQueries()
    {
        var harness = new OrchestrationHarness(OrchestrationHarness.Order());
        var reference = PaymentReferenceOf(harness);
        harness.Provider = (activity, action) => action switch
        {
            CreatePayment => new ActivitySucceeded(action.Key, RedirectUrl: "https://landing.example/1"),
            QueryPayment => new ActivitySucceeded(action.Key, harness.Observation(reference, ProviderPaymentState.Authorized, authorized: 1000)),
            CancelPayment => new ActivitySucceeded(action.Key, harness.Observation(reference, ProviderPaymentState.Authorized, authorized: 1000, cancelled: 1000)),
            _ => throw new InvalidOperationException($"Unexpected {activity}."),
        };

        await harness.RunAsync();

        harness.Calls.Take(2).ShouldBe([nameof(PaymentActivityFunctions.CreatePayment), nameof(PaymentActivityFunctions.QueryPayment)]);
        harness.Timers[0].ShouldBe(OrchestrationHarness.Start.AddSeconds(5), "the first poll is due 5 s after creation");
        harness.Statuses.ShouldContain(s => s.State.Status == PaymentStatus.Authorized);
    }

    [Fact]
    public async Task FulfillmentDeadlinePasses_ReservationIsCancelled()
    {
        var harness = new OrchestrationHarness(OrchestrationHarness.Order());
        var reference = PaymentReferenceOf(harness);
        harness.Provider = (activity, action) => action switch
        {
            CreatePayment => new ActivitySucceeded(action.Key, RedirectUrl: "https://landing.example/1"),
            CancelPayment => new ActivitySucceeded(action.Key, harness.Observation(reference, ProviderPaymentState.Authorized, authorized: 1000, cancelled: 1000)),
            _ => throw new InvalidOperationException($"Unexpected {activity}."),
        };
        harness.Signal(new ProviderObserved(harness.Observation(reference, ProviderPaymentState.Authorized, authorized: 1000)), "webhook-1");

        var outcome = await harness.RunAsync();

        outcome.ShouldBe(nameof(PaymentStatus.Cancelled));
        harness.Calls.ShouldBe([nameof(PaymentActivityFunctions.CreatePayment), nameof(PaymentActivityFunctions.CancelPayment)]);
        harness.Timers.ShouldContain(OrchestrationHarness.Start.AddDays(7), "the fulfillment deadline is 7 days after authorization");
    }

    [Fact]
    public async Task CaptureRefusedPermanently_ProblemIsVisibleInTheStatus()
    {
        var harness = new OrchestrationHarness(OrchestrationHarness.Order());
        var reference = PaymentReferenceOf(harness);
        harness.Provider = (activity, action) => action switch
        {
            CreatePayment => new ActivitySucceeded(action.Key, RedirectUrl: "https://landing.example/1"),
            CapturePayment => new ActivityFailed(action.Key, "6090", "Capture amount too high"),
            QueryPayment => new ActivitySucceeded(action.Key, harness.Observation(reference, ProviderPaymentState.Authorized, authorized: 1000)),
            CancelPayment => new ActivitySucceeded(action.Key, harness.Observation(reference, ProviderPaymentState.Authorized, authorized: 1000, cancelled: 1000)),
            _ => throw new InvalidOperationException($"Unexpected {activity}."),
        };
        harness.Signal(new ProviderObserved(harness.Observation(reference, ProviderPaymentState.Authorized, authorized: 1000)), "webhook-1");
        harness.Signal(new FulfillmentSignalled("ship-1"), "shipment:ship-1");

        await harness.RunAsync();

        var problem = harness.Statuses.First(s => s.State.NeedsAttention).State.Problems.ShouldHaveSingleItem();
        problem.ErrorCode.ShouldBe("6090");
        problem.Action.ShouldBe(ActionKind.Capture);
    }

    [Fact]
    public async Task SameShipmentTwice_IsCapturedOnce()
    {
        var harness = new OrchestrationHarness(OrchestrationHarness.Order());
        var reference = PaymentReferenceOf(harness);
        harness.Provider = (activity, action) => action switch
        {
            CreatePayment => new ActivitySucceeded(action.Key, RedirectUrl: "https://landing.example/1"),
            CapturePayment capture => new ActivitySucceeded(action.Key, harness.Observation(reference, ProviderPaymentState.Authorized, authorized: 1000, captured: capture.Amount.Value)),
            _ => new ActivitySucceeded(action.Key, harness.Observation(reference, ProviderPaymentState.Authorized, authorized: 1000, captured: 400, cancelled: 600)),
        };
        harness.Signal(new ProviderObserved(harness.Observation(reference, ProviderPaymentState.Authorized, authorized: 1000)), "webhook-1");
        harness.Signal(new FulfillmentSignalled("ship-1", OrchestrationHarness.Nok(400)), "shipment:ship-1");
        harness.Signal(new FulfillmentSignalled("ship-1", OrchestrationHarness.Nok(400)), "shipment:ship-1");

        await harness.RunAsync();

        harness.Calls.Count(c => c == nameof(PaymentActivityFunctions.CapturePayment)).ShouldBe(1);
    }

    [Fact]
    public async Task ManySteps_ContinuesAsNewWithTheStateAndEveryOutcomeRecordedOrCarried()
    {
        const int Shipments = 150;
        var harness = new OrchestrationHarness(OrchestrationHarness.Order(amount: 10_000));
        var reference = PaymentReferenceOf(harness);
        long captured = 0;
        harness.Provider = (activity, action) => action switch
        {
            CreatePayment => new ActivitySucceeded(action.Key, RedirectUrl: "https://landing.example/1"),
            CapturePayment capture => new ActivitySucceeded(action.Key, harness.Observation(reference, ProviderPaymentState.Authorized, authorized: 10_000, captured: captured += capture.Amount.Value)),
            _ => throw new InvalidOperationException($"Unexpected {activity}."),
        };
        harness.Signal(new ProviderObserved(harness.Observation(reference, ProviderPaymentState.Authorized, authorized: 10_000)), "webhook-1");
        for (var i = 0; i < Shipments; i++)
        {
            harness.Signal(new FulfillmentSignalled($"ship-{i}", OrchestrationHarness.Nok(10)), $"shipment:ship-{i}");
        }

        var outcome = await harness.RunAsync();

        outcome.ShouldBe("ContinuedAsNew");
        harness.Inbox.ShouldBeEmpty("every recorded signal was drained");
        var next = OrchestratorInput.FromJson(harness.ContinuedWith!);
        next.State!.Shipments.Count.ShouldBe(Shipments);
        next.State.Aggregate.Captured.Value.ShouldBe(Shipments * 10);
        harness.Recorded.Concat(next.Applied!).Select(a => a.DedupeKey).ShouldBe(["webhook-1", .. Enumerable.Range(0, Shipments).Select(i => $"shipment:ship-{i}")], ignoreOrder: true);
    }

    [Fact]
    public async Task Issue12_TimerFiresEarly_CountsAsDueAndIsNotArmedAgain()
    {
        var harness = new OrchestrationHarness(OrchestrationHarness.Order()) { TimerEarliness = TimeSpan.FromSeconds(1) };
        var reference = PaymentReferenceOf(harness);
        harness.Provider = (activity, action) => action switch
        {
            CreatePayment => new ActivitySucceeded(action.Key, RedirectUrl: "https://landing.example/1"),
            QueryPayment => new ActivitySucceeded(action.Key, harness.Observation(reference, ProviderPaymentState.Authorized, authorized: 1000)),
            CancelPayment => new ActivitySucceeded(action.Key, harness.Observation(reference, ProviderPaymentState.Authorized, authorized: 1000, cancelled: 1000)),
            _ => throw new InvalidOperationException($"Unexpected {activity}."),
        };

        await harness.RunAsync();

        harness.Timers.Distinct().Count().ShouldBe(harness.Timers.Count, "no timer is armed twice for the same instant");
        harness.Calls.Take(2).ShouldBe([nameof(PaymentActivityFunctions.CreatePayment), nameof(PaymentActivityFunctions.QueryPayment)]);
        harness.Statuses.ShouldContain(s => s.State.Status == PaymentStatus.Cancelled, "the fulfillment deadline passed: the reservation was released");
    }

    [Fact]
    public async Task OrderEnds_ClosesTheInboxAfterTheLastDrain()
    {
        var harness = new OrchestrationHarness(OrchestrationHarness.Order());
        var reference = PaymentReferenceOf(harness);
        harness.Provider = (activity, action) => action switch
        {
            CreatePayment => new ActivitySucceeded(action.Key, RedirectUrl: "https://landing.example/1"),
            CancelPayment => new ActivitySucceeded(action.Key, harness.Observation(reference, ProviderPaymentState.Terminated)),
            _ => throw new InvalidOperationException($"Unexpected {activity}."),
        };
        harness.Signal(new CancelRequested("changed mind"), "cancel");

        var outcome = await harness.RunAsync();

        outcome.ShouldBe(nameof(PaymentStatus.Cancelled));
        harness.Closed.ShouldBeTrue();
        harness.Recorded.ShouldContain(a => a.DedupeKey == "cancel" && a.Outcome == InputOutcome.Applied);
    }

    private static Domain.PaymentReference PaymentReferenceOf(OrchestrationHarness harness) => Domain.PaymentReference.For(harness.Request.OrderId, 1);
}
