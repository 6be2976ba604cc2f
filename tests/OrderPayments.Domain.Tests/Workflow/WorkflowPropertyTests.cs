using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using OrderPayments.Domain.Serialization;
using OrderPayments.Domain.Workflow;
using static OrderPayments.Domain.Tests.Workflow.WorkflowDriver;

namespace OrderPayments.Domain.Tests.Workflow;

/// <summary>
/// Random histories against a simulated provider: activities complete late and out of order, observations are
/// replayed stale, inputs are duplicated, signals ask for too much, time jumps. After every step the invariants
/// of the design must hold.
/// </summary>
public sealed class WorkflowPropertyTests
{
    private enum Move
    {
        CompleteAction,
        FailAction,
        CustomerApproves,
        CustomerAborts,
        PaymentExpires,
        Ship,
        Cancel,
        Refund,
        NewAttempt,
        Wait,
        ReplayObservation,
        Notify,
        RepeatLastInput,
    }

    private static readonly Gen<(Move Move, int A, int B)> Moves =
        from move in Gen.Frequency(
            (6, Gen.Constant(Move.CompleteAction)),
            (1, Gen.Constant(Move.FailAction)),
            (3, Gen.Constant(Move.CustomerApproves)),
            (1, Gen.Constant(Move.CustomerAborts)),
            (1, Gen.Constant(Move.PaymentExpires)),
            (3, Gen.Constant(Move.Ship)),
            (1, Gen.Constant(Move.Cancel)),
            (2, Gen.Constant(Move.Refund)),
            (1, Gen.Constant(Move.NewAttempt)),
            (2, Gen.Constant(Move.Wait)),
            (2, Gen.Constant(Move.ReplayObservation)),
            (1, Gen.Constant(Move.Notify)),
            (2, Gen.Constant(Move.RepeatLastInput)))
        from a in Gen.Choose(0, 1_000_000)
        from b in Gen.Choose(0, 1_000_000)
        select (move, a, b);

    private static readonly Arbitrary<(Move Move, int A, int B)[]> Histories =
        Gen.Choose(1, 80).SelectMany(n => Gen.ArrayOf(Moves, n)).ToArbitrary();

    [Theory]
    [InlineData(PaymentProvider.Vipps, ActionKind.Cancel)]
    [InlineData(PaymentProvider.PayEx, ActionKind.Abort)]
    public void AnyHistory_KeepsEveryInvariant(PaymentProvider provider, ActionKind endsUnauthorizedWith)
    {
        var reached = new Coverage();

        Prop.ForAll(Histories, history => Run(history, provider, reached)).Check(Generators.Config);

        // The histories are only worth something if they reach every status and make every kind of call.
        reached.Statuses.ShouldBe(Enum.GetValues<PaymentStatus>(), ignoreOrder: true);
        reached.Actions.IsSupersetOf([ActionKind.Create, ActionKind.Query, ActionKind.Capture, ActionKind.Refund, endsUnauthorizedWith]).ShouldBeTrue(string.Join(", ", reached.Actions));
        reached.Releases.ShouldBeGreaterThan(0);
        reached.Problems.ShouldBeGreaterThan(0);
    }

    private static void Run((Move Move, int A, int B)[] history, PaymentProvider provider, Coverage reached)
    {
        var workflow = new OrderPaymentWorkflow();
        var simulator = new SimulatedProvider();
        var now = Epoch;
        var step = workflow.Start(Request(amount: 1000, provider: provider), now);
        var state = step.State;
        var seenKeys = new Dictionary<IdempotencyKey, WorkflowAction>();
        WorkflowInput? lastInput = null;
        CheckActions(step, seenKeys, simulator);

        foreach (var (move, a, b) in history)
        {
            var input = Choose(move, a, b, state, simulator, lastInput, ref now);
            if (input is null)
            {
                continue;
            }

            var before = state;
            step = workflow.Decide(state, input, now);
            state = step.State;
            lastInput = input;

            CheckActions(step, seenKeys, simulator);
            CheckState(before, step, input, simulator, now);
            CheckIdempotent(workflow, step, input, now);
            reached.Add(step);
        }
    }

    private static WorkflowInput? Choose(
        Move move, int a, int b, OrderPaymentState state, SimulatedProvider simulator, WorkflowInput? lastInput, ref DateTimeOffset now)
    {
        Money Amount() => a % 4 == 0 ? Nok(1000) : Nok(1 + (a % 1200));
        switch (move)
        {
            case Move.CompleteAction when state.InFlight.Count > 0:
                return simulator.Run(state.InFlight[a % state.InFlight.Count]);
            case Move.FailAction when state.InFlight.Count > 0:
                // A definite refusal: the provider did not perform it.
                return new ActivityFailed(state.InFlight[a % state.InFlight.Count].Key, "refused", "Refused by the test");
            case Move.CustomerApproves:
                simulator.Decide(state.Reference, ProviderPaymentState.Authorized);
                return b % 2 == 0 ? new ProviderNotified(state.Reference, "AUTHORIZED") : null;
            case Move.CustomerAborts:
                simulator.Decide(state.Reference, ProviderPaymentState.Aborted);
                return null;
            case Move.PaymentExpires:
                simulator.Decide(state.Reference, ProviderPaymentState.Expired);
                return null;
            case Move.Ship:
                return new FulfillmentSignalled($"shipment-{a % 4}", b % 3 == 0 ? null : Amount());
            case Move.Cancel:
                return new CancelRequested();
            case Move.Refund:
                return new RefundRequested($"refund-{b % 3}", Amount());
            case Move.NewAttempt:
                return new NewAttemptRequested($"attempt-{b % 3}");
            case Move.Wait:
                now += (a % 3) switch
                {
                    0 => TimeSpan.FromSeconds(1 + (b % 90)),
                    1 => TimeSpan.FromMinutes(1 + (b % 20)),
                    _ => TimeSpan.FromDays(1 + (b % 400)),
                };
                return new WokenUp();
            case Move.ReplayObservation when simulator.Snapshots.Count > 0:
                return new ProviderObserved(simulator.Snapshots[a % simulator.Snapshots.Count]);
            case Move.Notify:
                return new ProviderNotified(PaymentReference.For(state.OrderId, 1 + (a % state.Attempt)));
            case Move.RepeatLastInput:
                return lastInput;
            default:
                return null;
        }
    }

    /// <summary>No key reused for a different action; nothing the provider would have to refuse.</summary>
    private static void CheckActions(WorkflowStep step, Dictionary<IdempotencyKey, WorkflowAction> seenKeys, SimulatedProvider simulator)
    {
        foreach (var action in step.Actions)
        {
            if (seenKeys.TryGetValue(action.Key, out var earlier))
            {
                earlier.ShouldBe(action, $"key {action.Key} was used for two different actions");
            }

            seenKeys[action.Key] = action;
            action.Key.Value.Length.ShouldBeLessThanOrEqualTo(IdempotencyKey.MaxLength);

            if (action is CapturePayment)
            {
                step.State.Status.ShouldBe(PaymentStatus.Authorized, "a capture was emitted outside the authorized status");
                simulator.Find(action.Reference)!.State.ShouldBe(ProviderPaymentState.Authorized, "a capture was emitted before the provider authorized");
            }
        }

        simulator.Violations.ShouldBeEmpty();
    }

    private static void CheckState(OrderPaymentState before, WorkflowStep step, WorkflowInput input, SimulatedProvider simulator, DateTimeOffset now)
    {
        var state = step.State;

        // Hints coalesce (issue 15): one read in flight, hinted reads apart, nothing at all on a final order.
        state.InFlight.Count(a => a.Kind == ActionKind.Query).ShouldBeLessThanOrEqualTo(1, "an order has at most one read in flight");
        if (before.LastHintQueryAt is { } last && state.LastHintQueryAt != last)
        {
            (state.LastHintQueryAt!.Value - last).ShouldBeGreaterThanOrEqualTo(WorkflowOptions.Default.MinHintQueryInterval);
        }

        if (input is ProviderNotified && before.IsFinal)
        {
            step.Outcome.ShouldBe(InputOutcome.Unchanged, "a hint on a final order changes nothing");
        }

        var totals = state.Aggregate;
        totals.IsConsistent.ShouldBeTrue($"inconsistent totals: {totals}");
        totals.Captured.ShouldBeLessThanOrEqualTo(totals.Authorized);
        totals.Refunded.ShouldBeLessThanOrEqualTo(totals.Captured);
        if (!totals.Authorized.IsZero)
        {
            (totals.Captured + totals.Cancelled).ShouldBeLessThanOrEqualTo(totals.Authorized);
        }

        // Refunds in flight never promise more than was captured (captures are checked at the provider).
        (totals.Refunded + state.PendingRefunds).ShouldBeLessThanOrEqualTo(totals.Captured);

        // The workflow's totals never run ahead of the provider's.
        var truth = simulator.Find(state.Reference)?.Aggregate;
        if (truth is not null)
        {
            totals.Captured.ShouldBeLessThanOrEqualTo(truth.Captured);
            totals.Refunded.ShouldBeLessThanOrEqualTo(truth.Refunded);
        }

        // Forward only, and final states absorb.
        if (before.Attempt == state.Attempt)
        {
            state.Aggregate.Captured.ShouldBeGreaterThanOrEqualTo(before.Aggregate.Captured);
            state.Aggregate.Refunded.ShouldBeGreaterThanOrEqualTo(before.Aggregate.Refunded);
            state.Aggregate.Authorized.ShouldBeGreaterThanOrEqualTo(before.Aggregate.Authorized);
            if (before.ProviderState != ProviderPaymentState.Created)
            {
                state.ProviderState.ShouldBe(before.ProviderState);
            }
        }

        if (before.IsFinal)
        {
            state.Status.ShouldBe(before.Status);
        }

        // A wake-up is always in the future, so an interpreter never spins on an order.
        if (step.Outcome == InputOutcome.Applied && state.WakeAt is { } wake)
        {
            wake.ShouldBeGreaterThan(now);
        }

        if (step.Outcome != InputOutcome.Applied)
        {
            state.ShouldBeSameAs(before);
            step.Actions.ShouldBeEmpty();
        }
    }

    /// <summary>Applying the same input again, at the same time, changes nothing.</summary>
    private static void CheckIdempotent(OrderPaymentWorkflow workflow, WorkflowStep step, WorkflowInput input, DateTimeOffset now)
    {
        var again = workflow.Decide(step.State, input, now);

        again.Actions.ShouldBeEmpty($"{input} emitted actions the second time");
        again.Outcome.ShouldNotBe(InputOutcome.Applied, $"{input} changed the state the second time");
        JsonSerializer.Serialize(again.State, OrderPaymentsJson.Options)
            .ShouldBe(JsonSerializer.Serialize(step.State, OrderPaymentsJson.Options));
    }

    private sealed class Coverage
    {
        public HashSet<PaymentStatus> Statuses { get; } = [];

        public HashSet<ActionKind> Actions { get; } = [];

        public int Releases { get; private set; }

        public int Problems { get; private set; }

        public void Add(WorkflowStep step)
        {
            Statuses.Add(step.State.Status);
            Actions.UnionWith(step.Actions.Select(a => a.Kind));
            Releases += step.Actions.Count(a => a is CancelPayment { CancelTransactionOnly: false });
            Problems += step.State.Problems.Count > 0 ? 1 : 0;
        }
    }
}
