using OrderPayments.Domain;
using OrderPayments.Application.Payments;
using OrderPayments.Domain.Workflow;
using OrderPayments.Durable.Orchestration;

namespace OrderPayments.Durable.Tests.Orchestration;

/// <summary>The orchestration over the shared workflow, driven through a mocked <c>TaskOrchestrationContext</c>.</summary>
public sealed class OrchestratorTests
{
    [Fact]
    public async Task HappyPath_CreateThenWebhookThenShipment_CapturesOnce()
    {
        var harness = new OrchestrationHarness(OrchestrationHarness.Order());
        var reference = PaymentReferenceOf(harness);
        harness.Provider = CreatesAndCaptures(harness, reference);
        harness.Signal(new ProviderObserved(harness.Observation(reference, ProviderPaymentState.Authorized, authorized: 1000)), "webhook-1");
        harness.Signal(new FulfillmentSignalled("ship-1"), "shipment:ship-1");

        var outcome = await harness.RunAsync();

        harness.Calls.ShouldBe([OrchestrationNames.CreatePayment, OrchestrationNames.CapturePayment]);
        harness.Statuses.ShouldContain(s => s.State!.Status == PaymentStatus.Captured && s.State.Aggregate.Captured.Value == 1000);
        harness.Recorded.Select(r => (r.DedupeKey, r.Outcome)).ShouldBe([("webhook-1", InputOutcome.Applied), ("shipment:ship-1", InputOutcome.Applied)]);
        outcome.ShouldBe(nameof(PaymentStatus.Completed), "after the refund window the order completes");
    }

    [Fact]
    public async Task WebhookNeverComes_TimerFiresAndTheWorkflowQueries()
    {
        var harness = new OrchestrationHarness(OrchestrationHarness.Order());
        var reference = PaymentReferenceOf(harness);
        harness.Provider = CreatesAuthorizesAndCancels(harness, reference);

        await harness.RunAsync();

        harness.Calls.Take(2).ShouldBe([OrchestrationNames.CreatePayment, OrchestrationNames.QueryPayment]);
        harness.Timers[0].ShouldBe(OrchestrationHarness.Start.AddSeconds(5), "the first poll is due 5 s after creation");
        harness.Statuses.ShouldContain(s => s.State!.Status == PaymentStatus.Authorized);
    }

    [Fact]
    public async Task FulfillmentDeadlinePasses_ReservationIsCancelled()
    {
        var harness = new OrchestrationHarness(OrchestrationHarness.Order());
        var reference = PaymentReferenceOf(harness);
        harness.Provider = (activity, action, _) => action switch
        {
            CreatePayment => new ActivitySucceeded(action.Key, RedirectUrl: "https://landing.example/1"),
            CancelPayment => new ActivitySucceeded(action.Key, harness.Observation(reference, ProviderPaymentState.Authorized, authorized: 1000, cancelled: 1000)),
            _ => throw new InvalidOperationException($"Unexpected {activity}."),
        };
        harness.Signal(new ProviderObserved(harness.Observation(reference, ProviderPaymentState.Authorized, authorized: 1000)), "webhook-1");

        var outcome = await harness.RunAsync();

        outcome.ShouldBe(nameof(PaymentStatus.Cancelled));
        harness.Calls.ShouldBe([OrchestrationNames.CreatePayment, OrchestrationNames.CancelPayment]);
        harness.Timers.ShouldContain(OrchestrationHarness.Start.AddDays(7), "the fulfillment deadline is 7 days after authorization");
    }

    [Fact]
    public async Task CaptureRefusedPermanently_ProblemIsVisibleInTheStatus()
    {
        var harness = new OrchestrationHarness(OrchestrationHarness.Order());
        var reference = PaymentReferenceOf(harness);
        harness.Provider = (activity, action, _) => action switch
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

        var problem = harness.Statuses.First(s => s.State!.NeedsAttention).State!.Problems.ShouldHaveSingleItem();
        problem.ErrorCode.ShouldBe("6090");
        problem.Action.ShouldBe(ActionKind.Capture);
    }

    [Fact]
    public async Task SameShipmentUnderTwoKeys_IsCapturedOnce()
    {
        var harness = new OrchestrationHarness(OrchestrationHarness.Order());
        var reference = PaymentReferenceOf(harness);
        harness.Provider = (activity, action, _) => action switch
        {
            CreatePayment => new ActivitySucceeded(action.Key, RedirectUrl: "https://landing.example/1"),
            CapturePayment capture => new ActivitySucceeded(action.Key, harness.Observation(reference, ProviderPaymentState.Authorized, authorized: 1000, captured: capture.Amount.Value)),
            _ => new ActivitySucceeded(action.Key, harness.Observation(reference, ProviderPaymentState.Authorized, authorized: 1000, captured: 400, cancelled: 600)),
        };
        harness.Signal(new ProviderObserved(harness.Observation(reference, ProviderPaymentState.Authorized, authorized: 1000)), "webhook-1");
        harness.Signal(new FulfillmentSignalled("ship-1", OrchestrationHarness.Nok(400)), "shipment:ship-1");
        harness.Signal(new FulfillmentSignalled("ship-1", OrchestrationHarness.Nok(400)), "queue:shipment:ship-1");

        await harness.RunAsync();

        harness.Calls.Count(c => c == OrchestrationNames.CapturePayment).ShouldBe(1);
        harness.Recorded.Single(r => r.DedupeKey == "queue:shipment:ship-1").Outcome.ShouldBe(InputOutcome.Unchanged);
    }

    [Fact]
    public async Task SignalFlood_GenerationsContinueAsNewWithinTheBound_EveryShipmentCapturedOnce()
    {
        const int Shipments = 150;
        var harness = new OrchestrationHarness(OrchestrationHarness.Order(amount: 10_000));
        var reference = PaymentReferenceOf(harness);
        long captured = 0;
        harness.Provider = (activity, action, _) => action switch
        {
            CreatePayment => new ActivitySucceeded(action.Key, RedirectUrl: "https://landing.example/1"),
            CapturePayment capture => new ActivitySucceeded(action.Key, harness.Observation(reference, ProviderPaymentState.Authorized, authorized: 10_000, captured: captured += capture.Amount.Value)),
            // The fulfillment deadline releases what was not shipped.
            CancelPayment => new ActivitySucceeded(action.Key, harness.Observation(reference, ProviderPaymentState.Authorized, authorized: 10_000, captured: captured, cancelled: 10_000 - captured)),
            _ => throw new InvalidOperationException($"Unexpected {activity}."),
        };
        harness.Signal(new ProviderObserved(harness.Observation(reference, ProviderPaymentState.Authorized, authorized: 10_000)), "webhook-1");
        for (var i = 0; i < Shipments; i++)
        {
            harness.Signal(new FulfillmentSignalled($"ship-{i}", OrchestrationHarness.Nok(10)), $"shipment:ship-{i}");
        }

        var steps = new List<int>();
        await harness.RunToEndAsync(20, steps.Add);

        steps.Count.ShouldBeGreaterThan(1, "the flood took more than one generation");
        steps.ShouldAllBe(s => s <= OrderPaymentOrchestration.MaxStepsPerGeneration + OrderPaymentOrchestration.MaxCallsInFlight + 1);
        harness.Calls.Count(c => c == OrchestrationNames.CapturePayment).ShouldBe(Shipments);
        harness.Statuses[^1].State!.Aggregate.Captured.Value.ShouldBe(Shipments * 10);
        harness.Recorded.Select(r => r.DedupeKey).Distinct().Count().ShouldBe(Shipments + 1, "every signal's outcome was recorded");
    }

    [Fact]
    public async Task LostDoorbell_ALaterOneOutOfLine_DrainsTheInboxAndAppliesBothInOrder()
    {
        var harness = new OrchestrationHarness(OrchestrationHarness.Order());
        var reference = PaymentReferenceOf(harness);
        harness.Provider = CreatesAndCaptures(harness, reference);
        harness.LoseRings = true;
        harness.Signal(new ProviderObserved(harness.Observation(reference, ProviderPaymentState.Authorized, authorized: 1000)), "webhook-1");
        harness.LoseRings = false;
        harness.Signal(new FulfillmentSignalled("ship-1"), "shipment:ship-1");

        await harness.RunAsync();

        harness.Syncs.ShouldContain(s => s.Drain, "a doorbell out of line makes the orchestration drain");
        harness.Recorded.Select(r => (r.DedupeKey, r.Outcome)).ShouldBe([("webhook-1", InputOutcome.Applied), ("shipment:ship-1", InputOutcome.Applied)]);
        harness.Calls.ShouldContain(OrchestrationNames.CapturePayment);
    }

    [Fact]
    public async Task CaptureOutage_CancelArrivesMeanwhile_IsAppliedAndPublishedBeforeTheCaptureAnswers()
    {
        var harness = new OrchestrationHarness(OrchestrationHarness.Order(), new ActivityRetryOptions { BaseDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(30) });
        var reference = PaymentReferenceOf(harness);
        harness.Provider = (activity, action, attempt) => action switch
        {
            CreatePayment => new ActivitySucceeded(action.Key, RedirectUrl: "https://landing.example/1"),
            // The provider is down for the first 8 attempts of the capture.
            CapturePayment capture => attempt <= 8 ? null : new ActivitySucceeded(action.Key, harness.Observation(reference, ProviderPaymentState.Authorized, authorized: 1000, captured: capture.Amount.Value)),
            CancelPayment => new ActivitySucceeded(action.Key, harness.Observation(reference, ProviderPaymentState.Authorized, authorized: 1000, captured: 400, cancelled: 600)),
            _ => throw new InvalidOperationException($"Unexpected {activity}."),
        };
        harness.OnCall = (_, action, attempt) =>
        {
            if (action is CapturePayment && attempt == 3)
            {
                harness.Signal(new CancelRequested("the rest is out of stock"), "cancel-1");
            }
        };
        harness.Signal(new ProviderObserved(harness.Observation(reference, ProviderPaymentState.Authorized, authorized: 1000)), "webhook-1");
        harness.Signal(new FulfillmentSignalled("ship-1", OrchestrationHarness.Nok(400)), "shipment:ship-1");

        await harness.RunAsync();

        var cancelled = harness.Statuses.FindIndex(s => s.State!.CancelRequested);
        var captured = harness.Statuses.FindIndex(s => s.State!.Aggregate.Captured.Value > 0);
        cancelled.ShouldBeGreaterThanOrEqualTo(0, "the cancel was published");
        cancelled.ShouldBeLessThan(captured, "the cancel was applied and published while the capture was still failing");
        harness.Calls.Count(c => c == OrchestrationNames.CapturePayment).ShouldBe(9);
        harness.Statuses[^1].State!.Aggregate.Cancelled.Value.ShouldBe(600, "after the capture the rest was released");
        // The retries were paced by the shared policy: 1 s doubling up to 30 s.
        var retries = harness.Timers.Take(8).Zip(harness.Timers.Skip(1).Take(7), (a, b) => b - a).ToList();
        retries.ShouldNotBeEmpty();
    }

    [Fact]
    public async Task LongCaptureOutage_GenerationsStayWithinTheBoundAndCarryTheAttempts()
    {
        var harness = new OrchestrationHarness(OrchestrationHarness.Order(), new ActivityRetryOptions { BaseDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(5) });
        var reference = PaymentReferenceOf(harness);
        harness.Provider = (activity, action, attempt) => action switch
        {
            CreatePayment => new ActivitySucceeded(action.Key, RedirectUrl: "https://landing.example/1"),
            CapturePayment capture => attempt <= 400 ? null : new ActivitySucceeded(action.Key, harness.Observation(reference, ProviderPaymentState.Authorized, authorized: 1000, captured: capture.Amount.Value)),
            _ => throw new InvalidOperationException($"Unexpected {activity}."),
        };
        harness.Signal(new ProviderObserved(harness.Observation(reference, ProviderPaymentState.Authorized, authorized: 1000)), "webhook-1");
        harness.Signal(new FulfillmentSignalled("ship-1"), "shipment:ship-1");

        var steps = new List<int>();
        var carried = new List<int>();
        for (var generation = 0; generation < 30 && harness.Calls.Count(c => c == OrchestrationNames.CapturePayment) <= 400; generation++)
        {
            var before = harness.Steps;
            if (await harness.RunAsync() != "ContinuedAsNew")
            {
                break;
            }

            steps.Add(harness.Steps - before);
            var next = OrchestratorInput.FromJson(harness.ContinuedWith!);
            carried.Add(next.Calls!.Single(c => c.Action is CapturePayment).Failures);
            harness.Input = harness.ContinuedWith!;
        }

        steps.Count.ShouldBeGreaterThan(3, "the outage outlasted several generations");
        steps.ShouldAllBe(s => s <= OrderPaymentOrchestration.MaxStepsPerGeneration + OrderPaymentOrchestration.MaxCallsInFlight + 1);
        carried.ShouldBeInOrder(SortDirection.Ascending, "the capture's failures carry over, so its back-off goes on");
        harness.Statuses[^1].State!.Aggregate.Captured.Value.ShouldBe(1000, "once the provider answered, the capture went through");
    }

    [Fact]
    public async Task QueryKeepsFailing_GivenUpAfterTheConfiguredAttemptsWithRetriesExhausted()
    {
        var harness = new OrchestrationHarness(OrchestrationHarness.Order(), new ActivityRetryOptions { BaseDelay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromSeconds(1), MaxQueryAttempts = 3 });
        var reference = PaymentReferenceOf(harness);
        var queries = 0;
        harness.Provider = (activity, action, _) => action switch
        {
            CreatePayment => new ActivitySucceeded(action.Key, RedirectUrl: "https://landing.example/1"),
            // The first poll's reads all fail; later polls find the payment authorized.
            QueryPayment => ++queries <= 3 ? null : new ActivitySucceeded(action.Key, harness.Observation(reference, ProviderPaymentState.Authorized, authorized: 1000)),
            CancelPayment => new ActivitySucceeded(action.Key, harness.Observation(reference, ProviderPaymentState.Authorized, authorized: 1000, cancelled: 1000)),
            _ => throw new InvalidOperationException($"Unexpected {activity}."),
        };

        await harness.RunAsync();

        var failedRead = harness.Statuses.Select(s => s.State!).First(s => s.Problems.Count > 0).Problems.ShouldHaveSingleItem();
        failedRead.ErrorCode.ShouldBe(ActivityRetryOptions.ExhaustedErrorCode);
        failedRead.Action.ShouldBe(ActionKind.Query);
        harness.Statuses.ShouldContain(s => s.State!.Status == PaymentStatus.Authorized, "the next poll read again");
    }

    [Fact]
    public async Task Issue12_TimerFiresEarly_CountsAsDueAndIsNotArmedAgain()
    {
        var harness = new OrchestrationHarness(OrchestrationHarness.Order()) { TimerEarliness = TimeSpan.FromSeconds(1) };
        var reference = PaymentReferenceOf(harness);
        harness.Provider = CreatesAuthorizesAndCancels(harness, reference);

        await harness.RunAsync();

        harness.Timers.Distinct().Count().ShouldBe(harness.Timers.Count, "no timer is armed twice for the same instant");
        harness.Calls.Take(2).ShouldBe([OrchestrationNames.CreatePayment, OrchestrationNames.QueryPayment]);
        harness.Statuses.ShouldContain(s => s.State!.Status == PaymentStatus.Cancelled, "the fulfillment deadline passed: the reservation was released");
    }

    [Fact]
    public async Task MisdeliveredCompletion_ASyncGetsAProviderCallsAnswer_TheSyncIsDoneAgainAndTheOrderEnds()
    {
        var harness = new OrchestrationHarness(OrchestrationHarness.Order());
        var reference = PaymentReferenceOf(harness);
        harness.Provider = CreatesAndCaptures(harness, reference);
        // After a crash the first sync's task number completes with a capture's answer from the episode's first run.
        var capturedElsewhere = new AttemptOutcome(new ActivitySucceeded(IdempotencyKey.For(harness.Request.OrderId, 1, "capture", 1), harness.Observation(reference, ProviderPaymentState.Authorized, authorized: 1000, captured: 400)));
        harness.Misdelivered[OrchestrationNames.SyncOrder] = new([new ActivityAnswer("0123456789abcdef01234567", capturedElsewhere).ToJson()]);
        harness.Signal(new ProviderObserved(harness.Observation(reference, ProviderPaymentState.Authorized, authorized: 1000)), "webhook-1");
        harness.Signal(new FulfillmentSignalled("ship-1"), "shipment:ship-1");

        var outcome = await harness.RunAsync();

        outcome.ShouldBe(nameof(PaymentStatus.Completed));
        harness.Statuses[^1].State!.Aggregate.Captured.Value.ShouldBe(1000, "the misdelivered answer was not taken for the order's own capture");
        harness.Recorded.Select(r => r.DedupeKey).ShouldBe(["webhook-1", "shipment:ship-1"], "what the first sync carried went into the next");
        harness.SavedVersions[^1].ShouldBe(harness.Statuses[^1].Version, "the last state was saved");
        harness.Closed.ShouldBeTrue();
    }

    [Fact]
    public async Task MisdeliveredCompletion_ACaptureGetsASyncsAnswer_TheCaptureIsMadeAgainWithItsKey()
    {
        var harness = new OrchestrationHarness(OrchestrationHarness.Order());
        var reference = PaymentReferenceOf(harness);
        var captureKeys = new List<string>();
        harness.OnCall = (_, action, _) =>
        {
            if (action is CapturePayment)
            {
                captureKeys.Add(action.Key.Value);
            }
        };
        harness.Provider = CreatesAndCaptures(harness, reference);
        harness.Misdelivered[OrchestrationNames.CapturePayment] = new([new SyncResult([], For: "0123456789abcdef01234567").ToJson()]);
        harness.Signal(new ProviderObserved(harness.Observation(reference, ProviderPaymentState.Authorized, authorized: 1000)), "webhook-1");
        harness.Signal(new FulfillmentSignalled("ship-1"), "shipment:ship-1");

        var outcome = await harness.RunAsync();

        outcome.ShouldBe(nameof(PaymentStatus.Completed));
        captureKeys.ShouldBe([IdempotencyKey.For(harness.Request.OrderId, 1, "capture", 1).Value], "made again with the same key, once the misdelivered answer was set aside");
        harness.Statuses[^1].State!.Aggregate.Captured.Value.ShouldBe(1000);
        harness.Statuses[^1].State!.Problems.ShouldBeEmpty("an answer for another task is no failure of this call");
    }

    [Fact]
    public async Task MisdeliveredCompletion_ATimerCompletesLongBeforeItsTime_TheTimeIsArmedAgainAndNothingIsDueEarly()
    {
        var harness = new OrchestrationHarness(OrchestrationHarness.Order()) { MisfiredTimers = 1 };
        var reference = PaymentReferenceOf(harness);
        var queriedAt = new List<DateTime>();
        harness.OnCall = (_, action, _) =>
        {
            if (action is QueryPayment)
            {
                queriedAt.Add(harness.Now);
            }
        };
        harness.Provider = CreatesAuthorizesAndCancels(harness, reference);

        await harness.RunAsync();

        harness.Timers.Take(2).ShouldBe([OrchestrationHarness.Start.AddSeconds(5), OrchestrationHarness.Start.AddSeconds(5)], "the first poll's time, armed again after the misfire");
        queriedAt[0].ShouldBeGreaterThanOrEqualTo(OrchestrationHarness.Start.AddSeconds(5), "the first poll is not made early");
    }

    [Fact]
    public async Task OrderEnds_ClosesTheInboxAfterTheLastSync()
    {
        var harness = new OrchestrationHarness(OrchestrationHarness.Order());
        var reference = PaymentReferenceOf(harness);
        harness.Provider = (activity, action, _) => action switch
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
        harness.SavedVersions[^1].ShouldBe(harness.Statuses[^1].Version, "the final state was saved before the inbox closed");
    }

    [Fact]
    public async Task Versions_CountTheInputsThatChangedTheState()
    {
        var harness = new OrchestrationHarness(OrchestrationHarness.Order());
        var reference = PaymentReferenceOf(harness);
        harness.Provider = CreatesAndCaptures(harness, reference);
        harness.Signal(new ProviderObserved(harness.Observation(reference, ProviderPaymentState.Authorized, authorized: 1000)), "webhook-1");
        harness.Signal(new ProviderObserved(harness.Observation(reference, ProviderPaymentState.Authorized, authorized: 1000)), "webhook-1-again");
        harness.Signal(new FulfillmentSignalled("ship-1"), "shipment:ship-1");

        await harness.RunAsync();

        // Started (1), created (2), authorized (3), the repeated webhook changes nothing, shipped (4), captured (5); then,
        // after the refund window, completed (6). Several may be published at once (one status per episode).
        harness.Statuses.Select(s => s.Version).ShouldBeInOrder(SortDirection.Ascending);
        harness.Statuses.First(s => s.State!.Aggregate.Captured.Value == 1000).Version.ShouldBe(5);
        harness.Statuses[^1].Version.ShouldBe(6);
        harness.Recorded.Single(r => r.DedupeKey == "webhook-1-again").Outcome.ShouldBe(InputOutcome.Unchanged);
    }

    private static Domain.PaymentReference PaymentReferenceOf(OrchestrationHarness harness) => Domain.PaymentReference.For(harness.Request.OrderId, 1);

    /// <summary>A provider that creates the payment and captures what is asked of an authorized 1000; any other call fails the test.</summary>
    private static Func<string, WorkflowAction, int, WorkflowInput?> CreatesAndCaptures(OrchestrationHarness harness, Domain.PaymentReference reference) =>
        (activity, action, _) => action switch
        {
            CreatePayment => new ActivitySucceeded(action.Key, RedirectUrl: "https://landing.example/1"),
            CapturePayment capture => new ActivitySucceeded(action.Key, harness.Observation(reference, ProviderPaymentState.Authorized, authorized: 1000, captured: capture.Amount.Value)),
            _ => throw new InvalidOperationException($"Unexpected {activity}."),
        };

    /// <summary>A provider that creates the payment, answers a query with an authorized 1000 and cancels it; any other call fails the test.</summary>
    private static Func<string, WorkflowAction, int, WorkflowInput?> CreatesAuthorizesAndCancels(OrchestrationHarness harness, Domain.PaymentReference reference) =>
        (activity, action, _) => action switch
        {
            CreatePayment => new ActivitySucceeded(action.Key, RedirectUrl: "https://landing.example/1"),
            QueryPayment => new ActivitySucceeded(action.Key, harness.Observation(reference, ProviderPaymentState.Authorized, authorized: 1000)),
            CancelPayment => new ActivitySucceeded(action.Key, harness.Observation(reference, ProviderPaymentState.Authorized, authorized: 1000, cancelled: 1000)),
            _ => throw new InvalidOperationException($"Unexpected {activity}."),
        };
}
