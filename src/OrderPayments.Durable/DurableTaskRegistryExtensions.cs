using Microsoft.DurableTask;
using OrderPayments.Durable.Orchestration;

namespace OrderPayments.Durable;

/// <summary>
/// Registers the orchestration and its activities on a Durable Task worker outside the Functions host (the engine tests,
/// the benchmark, the stand-alone worker): the same names and the same code the Functions app's function classes bind.
/// </summary>
public static class DurableTaskRegistryExtensions
{
    /// <summary>
    /// Registers the orchestrator and every activity over <paramref name="orders"/>, called when one runs (so it may
    /// resolve services that exist only after the worker started). <paramref name="episode"/> is told the instance id
    /// each time the orchestrator runs (one episode per work item).
    /// </summary>
    public static DurableTaskRegistry AddOrderPaymentTasks(this DurableTaskRegistry registry, Func<DurableOrderPayments> orders, Action<string>? episode = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(orders);
        registry.AddOrchestratorFunc<string, string>(OrchestrationNames.Orchestrator, (context, _) =>
        {
            episode?.Invoke(context.InstanceId);
            return orders().RunOrchestrationAsync(context);
        });
        foreach (var name in OrchestrationNames.PaymentActivities)
        {
            registry.AddActivityFunc<string, string>(name, (_, input) => orders().Activities.CallProviderAsync(input!, CancellationToken.None));
        }

        registry.AddActivityFunc<string, string>(OrchestrationNames.SyncOrder, (_, input) => orders().Activities.SyncOrderAsync(input!, CancellationToken.None));
        return registry;
    }
}
