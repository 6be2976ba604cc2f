using Microsoft.DurableTask;
using OrderPayments.Application.Payments;
using OrderPayments.Domain.Workflow;
using OrderPayments.Functions.Signals;

namespace OrderPayments.Functions.CrashHost;

/// <summary>
/// The Functions app's orchestrator and activities for a Durable Task worker outside the Functions host: the same
/// names and the same code as the app's function bindings (<see cref="OrchestratorFunction"/>,
/// <see cref="PaymentActivityFunctions"/>, <see cref="SignalInboxFunctions"/>).
/// </summary>
internal static class OrderPaymentTasks
{
    /// <summary>
    /// Registers the orchestrator (with <paramref name="workflow"/>), one activity per provider call (over
    /// <paramref name="activities"/>) and the inbox drain (over <paramref name="inbox"/>). The factories are called when
    /// an orchestration or activity runs, so they may resolve services that exist only after the worker started.
    /// <paramref name="episode"/> is told the instance id each time the orchestrator runs (one episode per work item).
    /// </summary>
    public static void Register(DurableTaskRegistry registry, Func<OrderPaymentWorkflow> workflow, Func<PaymentActivities> activities, ISignalInbox inbox, Action<string>? episode = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.AddOrchestratorFunc<string, string>(OrchestrationNames.Orchestrator, (context, _) =>
        {
            episode?.Invoke(context.InstanceId);
            return OrderPaymentOrchestration.RunAsync(context, workflow());
        });
        foreach (var name in OrchestrationNames.PaymentActivities)
        {
            registry.AddActivityFunc<string, string>(name, async (_, input) => await PaymentActivityFunctions.RunAsync(activities(), input!, CancellationToken.None));
        }

        registry.AddActivityFunc<string, string>(OrchestrationNames.DrainSignals, async (_, input) => await SignalInboxFunctions.DrainAsync(inbox, input!, CancellationToken.None));
    }
}
