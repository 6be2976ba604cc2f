using Microsoft.DurableTask;
using OrderPayments.Application.Payments;
using OrderPayments.Domain.Workflow;

namespace OrderPayments.Durable.Orchestration;

/// <summary>
/// The Durable Task interpreter of the shared workflow: one orchestration per order (instance id = order id). It holds
/// no payment rule: every decision is <see cref="OrderPaymentWorkflow"/>'s, every retry decision the shared
/// <see cref="ActivityRetryPolicy"/>'s. It runs the calls the workflow asks for as activities, applies signals, handles
/// the workflow's timer, and records what it did outside its history through one activity
/// (<see cref="OrchestrationNames.SyncOrder"/>), all in one event loop that never waits for one thing alone: while a
/// provider call waits out an outage, signals are applied and published and the workflow's deadlines fire.
/// </summary>
/// <remarks>
/// <para><b>Signals.</b> The client records each signal in the order's durable inbox before it answers "accepted", then
/// rings the doorbell (<see cref="OrchestrationNames.SignalEvent"/>) with the signal and its place in the inbox. A
/// doorbell that is next in line is applied at once; any other (late, or after a lost one) makes the orchestration
/// drain the inbox, which is the truth. Measured on the Durable Task engine (SDK 1.27 over DurableTask.Core 3.11),
/// events that arrive while an activity is in flight are lost across <c>ContinueAsNew(preserveUnprocessedEvents:
/// true)</c>; so nothing rides on them alone: every generation after the first drains at its start, and an order ends
/// only by closing its inbox when nothing is left in it.</para>
/// <para><b>Bounded history.</b> A generation ends (<c>ContinueAsNew</c>) after <see cref="MaxStepsPerGeneration"/>
/// steps (activities scheduled, timers created, doorbells taken), retries included, once the calls in flight have
/// answered (at most <see cref="MaxCallsInFlight"/>, and the sync); what is not durable elsewhere yet travels in its
/// input. So a generation's history holds at most about <c>4 × (MaxStepsPerGeneration + MaxCallsInFlight + 1)</c>
/// events plus the doorbells that arrive meanwhile, however long an outage lasts.</para>
/// <para><b>Time</b> only from <see cref="TaskOrchestrationContext.CurrentUtcDateTime"/>, made monotonic. A durable
/// timer that fired counts as its time having come (the Azure Storage backend fires them up to about a second early),
/// so no timer is armed twice for the same instant. The doorbell wait is never cancelled (a cancelled waiter could
/// swallow a later event in some SDK versions); a timer is cancelled only when its time is no longer wanted.</para>
/// </remarks>
public static class OrderPaymentOrchestration
{
    /// <summary>History-making steps per generation before it continues as new.</summary>
    public const int MaxStepsPerGeneration = 100;

    /// <summary>The most provider calls of one order in flight at once (more wait their turn).</summary>
    public const int MaxCallsInFlight = 8;

    /// <summary>
    /// The most history events one generation makes itself: each step is two events (scheduled and completed, or a timer
    /// created and fired), each episode two more (started and completed), and a generation takes at most
    /// <see cref="MaxStepsPerGeneration"/> steps plus the calls in flight and a sync when it fills up. Each doorbell that
    /// arrives adds one event more.
    /// </summary>
    public const int MaxHistoryEventsPerGeneration = 4 * (MaxStepsPerGeneration + MaxCallsInFlight + 2);

    /// <summary>
    /// How early a durable timer may fire and still count as due (the Azure Storage backend fires up to about a second
    /// early); a timer that completes earlier than this was not the timer firing, and its time is armed again.
    /// </summary>
    public static readonly TimeSpan EarlyTimerTolerance = TimeSpan.FromSeconds(2);

    /// <summary>While calls are in flight, what the orchestration did is still synced at the latest this many steps after it changed.</summary>
    public const int MaxStepsBeforeSync = 10;

    /// <summary>Runs the order's workflow until it ends, or until the generation is full (then continues as new).</summary>
    /// <returns>The final status, or <c>ContinuedAsNew</c>.</returns>
    public static Task<string> RunAsync(TaskOrchestrationContext context, OrderPaymentWorkflow workflow, ActivityRetryPolicy retries)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(workflow);
        ArgumentNullException.ThrowIfNull(retries);
        var input = OrchestratorInput.FromJson(context.GetInput<string>() ?? throw new InvalidOperationException("The orchestration has no input."));
        return new OrderPaymentGeneration(context, workflow, retries, input).RunAsync();
    }
}
