using FsCheck;
using FsCheck.Fluent;
using OrderPayments.Domain.Workflow;
using static OrderPayments.Domain.Tests.Workflow.WorkflowDriver;

namespace OrderPayments.Domain.Tests.Workflow;

/// <summary>
/// Random interleavings of storefront and fulfillment signals with the provider's answers, deadlines and the
/// interpreter's applying, as both interpreters run them: a signal is checked at the door
/// (<see cref="OrderPaymentWorkflow.Admit"/>) against the state with everything recorded before it, recorded in an
/// inbox when accepted, and applied later, in order, through <see cref="OrderPaymentWorkflow.Apply"/>. Every accepted
/// signal must end with an outcome that the order shows, and the door must be exact: an accepted signal is refused
/// when applied only if something other than recorded signals happened in between.
/// </summary>
public sealed class SignalOutcomePropertyTests
{
    private enum Move
    {
        Ship,
        Cancel,
        Refund,
        NewAttempt,
        RepeatSignal,
        ApplyInbox,
        CompleteAction,
        FailAction,
        CustomerApproves,
        CustomerAborts,
        Wait,
    }

    private static readonly Gen<(Move Move, int A, int B)> Moves =
        from move in Gen.Frequency(
            (4, Gen.Constant(Move.Ship)),
            (2, Gen.Constant(Move.Cancel)),
            (2, Gen.Constant(Move.Refund)),
            (1, Gen.Constant(Move.NewAttempt)),
            (2, Gen.Constant(Move.RepeatSignal)),
            (4, Gen.Constant(Move.ApplyInbox)),
            (5, Gen.Constant(Move.CompleteAction)),
            (1, Gen.Constant(Move.FailAction)),
            (3, Gen.Constant(Move.CustomerApproves)),
            (1, Gen.Constant(Move.CustomerAborts)),
            (2, Gen.Constant(Move.Wait)))
        from a in Gen.Choose(0, 1_000_000)
        from b in Gen.Choose(0, 1_000_000)
        select (move, a, b);

    private static readonly Arbitrary<(Move Move, int A, int B)[]> Histories =
        Gen.Choose(1, 100).SelectMany(n => Gen.ArrayOf(Moves, n)).ToArbitrary();

    [Fact]
    public void AnyInterleaving_EveryAcceptedSignalEndsWithAVisibleOutcome()
    {
        var reached = new Reached();

        Prop.ForAll(Histories, history => new Interpreter(reached).Run(history)).Check(Generators.Config);

        // Worth something only if signals were refused at the door, refused when applied, and applied.
        reached.RefusedAtTheDoor.ShouldBeGreaterThan(0);
        reached.RefusedWhenApplied.ShouldBeGreaterThan(0);
        reached.RejectedShipmentsListed.ShouldBeGreaterThan(0);
        reached.Applied.ShouldBeGreaterThan(0);
    }

    private sealed class Reached
    {
        public int RefusedAtTheDoor { get; set; }

        public int RefusedWhenApplied { get; set; }

        public int RejectedShipmentsListed { get; set; }

        public int Applied { get; set; }
    }

    /// <summary>A recorded signal; <see cref="Undisturbed"/> while nothing but recorded signals was applied since.</summary>
    private sealed record Recorded(string Key, WorkflowInput Signal)
    {
        public bool Undisturbed { get; set; } = true;
    }

    private sealed class Interpreter(Reached reached)
    {
        private readonly OrderPaymentWorkflow _workflow = new(new WorkflowOptions { MaxHistoryEntries = 100_000 });
        private readonly SimulatedProvider _provider = new();
        private readonly List<Recorded> _inbox = [];
        private readonly Dictionary<string, WorkflowStep> _outcomes = [];
        private readonly Dictionary<string, WorkflowInput> _accepted = [];
        private OrderPaymentState _state = null!;
        private DateTimeOffset _now = Epoch;

        public void Run((Move Move, int A, int B)[] history)
        {
            var start = _workflow.Start(Request(amount: 1000), _now);
            _state = start.State;
            foreach (var (move, a, b) in history)
            {
                Play(move, a, b);
            }

            // In the end everything recorded is applied, and every outcome is visible.
            ApplyInbox(int.MaxValue);
            foreach (var (key, signal) in _accepted)
            {
                var outcome = _outcomes.GetValueOrDefault(key).ShouldNotBeNull($"{key} was accepted and never applied");
                CheckVisible(signal, outcome);
            }
        }

        private void Play(Move move, int a, int b)
        {
            Money Amount() => a % 4 == 0 ? Nok(1000) : Nok(1 + (a % 1200));
            switch (move)
            {
                case Move.Ship:
                    var amount = b % 3 == 0 ? (Money?)null : Amount();
                    Signal($"shipment:{a % 3}:{amount?.ToString() ?? "rest"}", new FulfillmentSignalled($"shipment-{a % 3}", amount));
                    break;
                case Move.Cancel:
                    Signal("cancel", new CancelRequested());
                    break;
                case Move.Refund:
                    var refund = Amount();
                    Signal($"refund:{b % 3}:{refund}", new RefundRequested($"refund-{b % 3}", refund));
                    break;
                case Move.NewAttempt:
                    Signal($"attempt:{b % 2}", new NewAttemptRequested($"attempt-{b % 2}"));
                    break;
                case Move.RepeatSignal when _accepted.Count > 0:
                    var (key, signal) = _accepted.ElementAt(a % _accepted.Count);
                    Signal(key, signal);
                    break;
                case Move.ApplyInbox:
                    ApplyInbox(1 + (a % 3));
                    break;
                case Move.CompleteAction when _state.InFlight.Count > 0:
                    External(_provider.Run(_state.InFlight[a % _state.InFlight.Count]));
                    break;
                case Move.FailAction when _state.InFlight.Count > 0:
                    External(new ActivityFailed(_state.InFlight[a % _state.InFlight.Count].Key, "refused", "Refused by the test"));
                    break;
                case Move.CustomerApproves:
                    _provider.Decide(_state.Reference, ProviderPaymentState.Authorized);
                    External(new ProviderNotified(_state.Reference, "AUTHORIZED"));
                    break;
                case Move.CustomerAborts:
                    _provider.Decide(_state.Reference, ProviderPaymentState.Aborted);
                    External(new ProviderNotified(_state.Reference, "ABORTED"));
                    break;
                case Move.Wait:
                    _now += (a % 3) switch
                    {
                        0 => TimeSpan.FromSeconds(1 + (b % 90)),
                        1 => TimeSpan.FromMinutes(1 + (b % 20)),
                        _ => TimeSpan.FromDays(1 + (b % 400)),
                    };
                    External(new WokenUp());
                    break;
            }
        }

        /// <summary>The door: a repeat is answered from the inbox; a new signal is admitted or refused, never half-recorded.</summary>
        private void Signal(string key, WorkflowInput signal)
        {
            if (_inbox.Exists(r => r.Key == key) || _outcomes.ContainsKey(key))
            {
                return;
            }

            if (_workflow.Admit(_state, _inbox.Select(r => r.Signal), signal, _now) is not null)
            {
                reached.RefusedAtTheDoor++;
                return;
            }

            _inbox.Add(new Recorded(key, signal));
            _accepted[key] = signal;
        }

        private void ApplyInbox(int count)
        {
            while (count-- > 0 && _inbox.Count > 0)
            {
                var recorded = _inbox[0];
                _inbox.RemoveAt(0);
                var step = _workflow.Apply(_state, recorded.Signal, _now);
                _state = step.State;
                _outcomes[recorded.Key] = step;
                if (step.Rejection is { } rejection)
                {
                    // The door saw exactly this state unless the provider, a deadline or time came in between.
                    recorded.Undisturbed.ShouldBeFalse($"{recorded.Key} was admitted and then refused with nothing in between: {rejection.Message}");
                    reached.RefusedWhenApplied++;
                }
                else
                {
                    reached.Applied++;
                }
            }
        }

        /// <summary>An input of the interpreter's own (a provider's answer, a wake-up): the door could not foresee it.</summary>
        private void External(WorkflowInput input)
        {
            var step = _workflow.Decide(_state, input, _now);
            if (step.Outcome != InputOutcome.Unchanged || input is WokenUp)
            {
                _inbox.ForEach(r => r.Undisturbed = false);
            }

            _state = step.State;
        }

        private void CheckVisible(WorkflowInput signal, WorkflowStep outcome)
        {
            var refused = outcome.Rejection is { } rejection ? $"Refused: {rejection.Message}" : null;
            if (refused is not null)
            {
                _state.History.ShouldContain(e => e.Kind == HistoryEntryKind.Rejection && e.Text == refused, $"the refusal of {signal} is not in the history");
            }

            switch (signal)
            {
                case FulfillmentSignalled shipment:
                    var records = _state.Shipments.Where(s => s.ShipmentId == shipment.ShipmentId).ToList();
                    if (outcome.Rejection is { Reason: not (RejectionReason.Conflict or RejectionReason.InvalidRequest) })
                    {
                        // Listed as rejected with its reason, unless the same shipment id was accepted afterwards.
                        records.ShouldHaveSingleItem($"{signal} was refused when applied and is not listed");
                        if (records[0].Outcome == OperationOutcome.Rejected)
                        {
                            records[0].CaptureKey.ShouldBeNull();
                            reached.RejectedShipmentsListed++;
                        }
                    }
                    else if (outcome.Rejection is null)
                    {
                        records.ShouldHaveSingleItem($"{signal} was applied and is not listed").Outcome.ShouldNotBe(OperationOutcome.Rejected);
                    }

                    break;
                case RefundRequested refund:
                    var refunds = _state.Refunds.Where(r => r.RefundId == refund.RefundId).ToList();
                    if (outcome.Rejection is { Reason: not (RejectionReason.Conflict or RejectionReason.InvalidRequest) } || outcome.Rejection is null)
                    {
                        refunds.ShouldHaveSingleItem($"{signal} ({outcome.Outcome}) is not listed");
                    }

                    break;
            }
        }
    }
}
