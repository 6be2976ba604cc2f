using System.Text.Json;
using Microsoft.DurableTask;
using OrderPayments.Domain.Serialization;
using OrderPayments.Domain.Workflow;
using OrderPayments.Functions.Signals;

namespace OrderPayments.Functions;

/// <summary>
/// The Durable Task interpreter of the shared workflow: one orchestration per order (instance id = order id). It
/// holds no payment rule: every decision is <see cref="OrderPaymentWorkflow"/>'s; it runs the calls the workflow asks
/// for as activities, feeds their results back, and waits for a doorbell or the workflow's wake-up time.
/// </summary>
/// <remarks>
/// <para>Signals do not travel in the orchestration's events. They are recorded in the order's durable inbox
/// (<see cref="ISignalInbox"/>) before they are answered as accepted, and the event
/// <see cref="OrchestrationNames.SignalEvent"/> only rings a doorbell: the orchestration then drains the inbox through
/// an activity. Measured on the Durable Task engine (SDK 1.27/1.28 over DurableTask.Core 3.11, in-memory and Azure
/// Storage backends), events that arrive while an activity is in flight are lost across
/// <c>ContinueAsNew(preserveUnprocessedEvents: true)</c>; with the inbox a dropped doorbell loses nothing, because
/// every generation drains at its start and an order ends only by closing its inbox when nothing is left in it.</para>
/// <para>Time only from <see cref="TaskOrchestrationContext.CurrentUtcDateTime"/>, made monotonic; a durable timer that
/// fired counts as its time having come (the Azure Storage backend fires them up to about a second early), so the
/// workflow is never woken before its time and no timer is armed twice for the same instant.</para>
/// </remarks>
public static class OrderPaymentOrchestration
{
    /// <summary>History-making steps (activities, timers, doorbells) per generation before it continues as new.</summary>
    public const int MaxStepsPerGeneration = 100;

    /// <summary>
    /// Retries of one activity for transient failures (the activity throws for those; permanent refusals come back as
    /// <see cref="ActivityFailed"/>): 8 attempts, 2 s doubling to 2 min.
    /// </summary>
    public static TaskOptions ActivityOptions { get; } =
        TaskOptions.FromRetryPolicy(new RetryPolicy(8, TimeSpan.FromSeconds(2), 2.0, TimeSpan.FromMinutes(2)));

    /// <summary>After the retries of a mutating call (or of a drain) are spent, the pause before it is made again.</summary>
    public static TimeSpan RetryPause { get; } = TimeSpan.FromMinutes(5);

    /// <summary>Runs the order's workflow until it ends, or until the generation is full (then continues as new).</summary>
    /// <returns>The final status, or <c>ContinuedAsNew</c>.</returns>
    public static Task<string> RunAsync(TaskOrchestrationContext context, OrderPaymentWorkflow workflow)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(workflow);
        var input = OrchestratorInput.FromJson(context.GetInput<string>() ?? throw new InvalidOperationException("The orchestration has no input."));
        return new Generation(context, workflow, input).RunAsync();
    }

    /// <summary>One generation of an order's orchestration (between two <c>ContinueAsNew</c>).</summary>
    private sealed class Generation
    {
        private readonly TaskOrchestrationContext _context;
        private readonly OrderPaymentWorkflow _workflow;
        private readonly List<WorkflowAction> _pending = [];
        private readonly List<AppliedSignal> _applied;
        private OrderPaymentState _state;
        private long _version;
        private int _steps;
        private DateTimeOffset _now;

        public Generation(TaskOrchestrationContext context, OrderPaymentWorkflow workflow, OrchestratorInput input)
        {
            _context = context;
            _workflow = workflow;
            _applied = [.. input.Applied ?? []];
            _version = input.Version;
            _now = Now();
            if (input.State is { } carried)
            {
                // Calls are never outstanding at ContinueAsNew; re-issuing any in flight is safe (same keys).
                _state = carried;
                _pending.AddRange(carried.InFlight);
            }
            else
            {
                var start = workflow.Start(input.Request ?? throw new InvalidOperationException("The first generation needs the request."), _now);
                _state = start.State;
                _pending.AddRange(start.Actions);
                _version++;
            }
        }

        private string OrderId => _state.OrderId.Value;

        public async Task<string> RunAsync()
        {
            Publish();

            // Every generation starts by draining: a doorbell the previous one dropped rang for a signal that is here.
            var drainDue = true;
            Task<string>? doorbell = null;
            while (true)
            {
                await RunCallsAsync();
                if (drainDue)
                {
                    drainDue = false;
                    if (await DrainAsync(close: false) is { Pending.Count: > 0 } drained)
                    {
                        Apply(drained.Pending);
                        drainDue = drained.More;
                        continue;
                    }
                }

                Publish();
                if (_state.IsFinal && _state.WakeAt is null)
                {
                    var closing = await DrainAsync(close: true);
                    if (closing.Closed)
                    {
                        return _state.Status.ToString();
                    }

                    Apply(closing.Pending);
                    continue;
                }

                if (_steps >= MaxStepsPerGeneration)
                {
                    // Nothing rides on the events: outcomes not yet recorded travel in the input, signals stay in the inbox.
                    _context.ContinueAsNew(new OrchestratorInput(null, _state, _version, _applied).ToJson(), preserveUnprocessedEvents: false);
                    return "ContinuedAsNew";
                }

                // The doorbell wait survives a timer that wins: cancelling a wait could swallow a later event.
                doorbell ??= _context.WaitForExternalEvent<string>(OrchestrationNames.SignalEvent);
                if (_state.WakeAt is { } wakeAt && !doorbell.IsCompleted)
                {
                    using var timerCancel = new CancellationTokenSource();
                    var timer = _context.CreateTimer(wakeAt.UtcDateTime, timerCancel.Token);
                    _steps++;
                    if (await Task.WhenAny(doorbell, timer) == timer)
                    {
                        // A timer that fired means its time has come, even when the backend fired it a little early.
                        Advance(wakeAt);
                        Decide(new WokenUp());
                        continue;
                    }

                    timerCancel.Cancel();
                }

                await doorbell;
                _steps++;

                // Doorbells already buffered rang before the drain below is scheduled, so it sees their signals too.
                while ((doorbell = _context.WaitForExternalEvent<string>(OrchestrationNames.SignalEvent)).IsCompleted)
                {
                }

                drainDue = true;
            }
        }

        /// <summary>Runs the calls the workflow asked for and feeds their results back until it asks for none.</summary>
        private async Task RunCallsAsync()
        {
            while (_pending.Count > 0)
            {
                var calls = _pending.Select(action => CallAsync(action)).ToList();
                _pending.Clear();
                foreach (var call in calls)
                {
                    Decide(await call);
                    _steps++;
                }
            }
        }

        private void Apply(IReadOnlyList<InboxSignal> signals)
        {
            foreach (var signal in signals)
            {
                var step = Decide(signal.Signal);
                _applied.Add(new AppliedSignal(signal.DedupeKey, step.Outcome, step.Rejection));
            }
        }

        private WorkflowStep Decide(WorkflowInput input)
        {
            var step = _workflow.Decide(_state, input, Now());
            _state = step.State;
            _pending.AddRange(step.Actions);
            if (step.Outcome == InputOutcome.Applied)
            {
                // The version counts changes of the state (as the embedded runtime's does): an input that changes nothing leaves it.
                _version++;
            }

            return step;
        }

        /// <summary>Records the outcomes applied since the last drain and answers what is still to apply; retried until it succeeds.</summary>
        private async Task<DrainResult> DrainAsync(bool close)
        {
            var request = new DrainRequest(OrderId, [.. _applied], close).ToJson();
            while (true)
            {
                _steps++;
                try
                {
                    var result = DrainResult.FromJson(await _context.CallActivityAsync<string>(OrchestrationNames.DrainSignals, request, ActivityOptions));
                    _applied.Clear();
                    return result;
                }
                catch (TaskFailedException)
                {
                    // The inbox is out of reach (storage outage): the signals wait there; try again later.
                    await _context.CreateTimer(_context.CurrentUtcDateTime.Add(RetryPause), CancellationToken.None);
                }
            }
        }

        /// <summary>
        /// One provider call as an activity, retried for transient failures. When the retries are spent, a query is
        /// reported failed (the workflow polls again later); a mutation is made again after a pause with the same key,
        /// because its outcome must be known before the workflow may act on it.
        /// </summary>
        private async Task<WorkflowInput> CallAsync(WorkflowAction action)
        {
            var request = new ActivityRequest(_state.Request.Provider, action).ToJson();
            while (true)
            {
                try
                {
                    var result = await _context.CallActivityAsync<string>(OrchestrationNames.Activity(action), request, ActivityOptions);
                    return JsonSerializer.Deserialize<WorkflowInput>(result, OrderPaymentsJson.Options)
                        ?? throw new JsonException($"Activity {OrchestrationNames.Activity(action)} returned nothing.");
                }
                catch (TaskFailedException failure) when (!action.IsMutating)
                {
                    return new ActivityFailed(action.Key, "transient", failure.Message);
                }
                catch (TaskFailedException)
                {
                    await _context.CreateTimer(_context.CurrentUtcDateTime.Add(RetryPause), CancellationToken.None);
                }
            }
        }

        private void Publish() => _context.SetCustomStatus(PublishedStatus.Create(_state, _version, Now()));

        /// <summary>The orchestration's time, never earlier than a time already used (replay-safe: only from the context).</summary>
        private DateTimeOffset Now()
        {
            var context = new DateTimeOffset(DateTime.SpecifyKind(_context.CurrentUtcDateTime, DateTimeKind.Utc));
            _now = context > _now ? context : _now;
            return _now;
        }

        private void Advance(DateTimeOffset to) => _now = to > _now ? to : _now;
    }
}
