using System.Text.Json;
using Microsoft.DurableTask;
using OrderPayments.Domain;
using OrderPayments.Domain.Serialization;
using OrderPayments.Domain.Workflow;

namespace OrderPayments.Functions;

/// <summary>
/// The Durable Task interpreter of the shared workflow: one orchestration per order (instance id = order id). It
/// holds no payment rule: every decision is <see cref="OrderPaymentWorkflow"/>'s; it runs the calls the workflow asks
/// for as activities, feeds their results back, and waits for the next signal or the workflow's wake-up time.
/// Deterministic: time only from <see cref="TaskOrchestrationContext.CurrentUtcDateTime"/>, no I/O. A static method on
/// <see cref="TaskOrchestrationContext"/>, so tests drive it with a mock and any Durable Task host can run it.
/// </summary>
public static class OrderPaymentOrchestration
{
    /// <summary>Steps per generation before the history is cut with <c>ContinueAsNew</c>.</summary>
    public const int MaxStepsPerGeneration = 100;

    /// <summary>How many applied signals' dedupe keys are remembered across generations.</summary>
    public const int MaxSeenKeys = 200;

    /// <summary>
    /// Retries of one activity for transient failures (the activity throws for those; permanent refusals come back as
    /// <see cref="ActivityFailed"/>): 8 attempts, 2 s doubling to 2 min.
    /// </summary>
    public static TaskOptions ActivityOptions { get; } =
        TaskOptions.FromRetryPolicy(new RetryPolicy(8, TimeSpan.FromSeconds(2), 2.0, TimeSpan.FromMinutes(2)));

    /// <summary>After the retries of a mutating call are spent, the pause before the same call (same key) is made again.</summary>
    public static TimeSpan MutationRetryPause { get; } = TimeSpan.FromMinutes(5);

    /// <summary>Runs the order's workflow until it ends, or until the generation is full (then continues as new).</summary>
    /// <returns>The final status, or <c>ContinuedAsNew</c>.</returns>
    public static async Task<string> RunAsync(TaskOrchestrationContext context, OrderPaymentWorkflow workflow)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(workflow);
        var input = OrchestratorInput.FromJson(context.GetInput<string>() ?? throw new InvalidOperationException("The orchestration has no input."));
        var seen = new List<string>(input.SeenKeys);
        var version = input.Version;
        var steps = 0;
        OrderPaymentState state;
        var pending = new List<WorkflowAction>();
        if (input.State is { } carried)
        {
            // Calls are never outstanding at ContinueAsNew; re-issuing any in flight is safe (same keys).
            state = carried;
            pending.AddRange(carried.InFlight);
        }
        else
        {
            var start = workflow.Start(input.Request ?? throw new InvalidOperationException("The first generation needs the request."), Now(context));
            state = start.State;
            pending.AddRange(start.Actions);
            version++;
        }

        context.SetCustomStatus(PublishedStatus.Create(state, version, Now(context)));
        Task<string>? signal = null;
        while (true)
        {
            // Run the calls the workflow asked for and feed their results back until it asks for none.
            while (pending.Count > 0)
            {
                var calls = pending.Select(action => CallAsync(context, state.Request.Provider, action)).ToList();
                pending.Clear();
                foreach (var call in calls)
                {
                    var step = workflow.Decide(state, await call, Now(context));
                    state = step.State;
                    pending.AddRange(step.Actions);
                    version++;
                    steps++;
                }
            }

            context.SetCustomStatus(PublishedStatus.Create(state, version, Now(context)));
            if (state.IsFinal && state.WakeAt is null)
            {
                return state.Status.ToString();
            }

            if (steps >= MaxStepsPerGeneration)
            {
                // Signals that arrived and were not yet taken are carried into the next generation by the framework.
                context.ContinueAsNew(new OrchestratorInput(null, state, seen, version).ToJson(), preserveUnprocessedEvents: true);
                return "ContinuedAsNew";
            }

            // The event wait survives a timer that wins: cancelling it could lose a signal that arrives meanwhile.
            signal ??= context.WaitForExternalEvent<string>(OrchestrationNames.SignalEvent);
            WorkflowInput? next;
            if (state.WakeAt is { } wakeAt)
            {
                using var timerCancel = new CancellationTokenSource();
                var timer = context.CreateTimer(wakeAt.UtcDateTime, timerCancel.Token);
                var winner = await Task.WhenAny(signal, timer);
                if (winner == timer)
                {
                    next = new WokenUp();
                }
                else
                {
                    timerCancel.Cancel();
                    next = TakeSignal(await signal, seen);
                    signal = null;
                }
            }
            else
            {
                next = TakeSignal(await signal, seen);
                signal = null;
            }

            if (next is null)
            {
                continue;
            }

            var decided = workflow.Decide(state, next, Now(context));
            state = decided.State;
            pending.AddRange(decided.Actions);
            version++;
            steps++;
        }
    }

    /// <summary>The signal's input, or null when its dedupe key was applied before.</summary>
    private static WorkflowInput? TakeSignal(string json, List<string> seen)
    {
        var envelope = SignalEnvelope.FromJson(json);
        if (seen.Contains(envelope.DedupeKey))
        {
            return null;
        }

        seen.Add(envelope.DedupeKey);
        if (seen.Count > MaxSeenKeys)
        {
            seen.RemoveAt(0);
        }

        return envelope.Signal;
    }

    /// <summary>
    /// One provider call as an activity, retried for transient failures. When the retries are spent, a query is
    /// reported failed (the workflow polls again later); a mutation is made again after a pause with the same key,
    /// because its outcome must be known before the workflow may act on it.
    /// </summary>
    private static async Task<WorkflowInput> CallAsync(TaskOrchestrationContext context, PaymentProvider provider, WorkflowAction action)
    {
        var request = new ActivityRequest(provider, action).ToJson();
        while (true)
        {
            try
            {
                var result = await context.CallActivityAsync<string>(OrchestrationNames.Activity(action), request, ActivityOptions);
                return JsonSerializer.Deserialize<WorkflowInput>(result, OrderPaymentsJson.Options)
                    ?? throw new JsonException($"Activity {OrchestrationNames.Activity(action)} returned nothing.");
            }
            catch (TaskFailedException failure) when (!action.IsMutating)
            {
                return new ActivityFailed(action.Key, "transient", failure.Message);
            }
            catch (TaskFailedException)
            {
                await context.CreateTimer(context.CurrentUtcDateTime.Add(MutationRetryPause), CancellationToken.None);
            }
        }
    }

    private static DateTimeOffset Now(TaskOrchestrationContext context) => new(DateTime.SpecifyKind(context.CurrentUtcDateTime, DateTimeKind.Utc));
}
