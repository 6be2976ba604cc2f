using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using OrderPayments.Application.Notifications;
using OrderPayments.Application.Payments;
using OrderPayments.Application.Workflows;
using OrderPayments.Domain.Workflow;
using OrderPayments.Functions.Notifications;
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
    public static void Register(DurableTaskRegistry registry, Func<OrderPaymentWorkflow> workflow, Func<PaymentActivities> activities, ISignalInbox inbox, TableNotificationStore notifications, Action<string>? episode = null)
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
        registry.AddActivityFunc<string, string>(OrchestrationNames.RecordStorefrontEvents, async (_, input) => await StorefrontFunctions.RecordAsync(notifications, input!, CancellationToken.None));
    }

    /// <summary>
    /// Puts an ASP.NET Core host's orders on the Durable Task engine, as the Functions app's Program.cs wires its
    /// functions: <see cref="DurableOrderPayments"/> over the host's workflow, clock and providers and the engine's
    /// inbox, and its <see cref="DurableOrderPaymentClient"/> as the host's <see cref="IOrderPaymentClient"/> (the
    /// embedded runtime's registrations yield to it). The engine is asked for when the first request needs it.
    /// </summary>
    public static void AddDurableOrderPayments(IServiceCollection services, Func<ISignalInbox> inbox, Func<DurableTaskClient> client, bool notify = false)
    {
        services.AddSingleton(sp => new DurableOrderPayments(
            sp.GetRequiredService<OrderPaymentWorkflow>(),
            sp.GetRequiredService<TimeProvider>(),
            inbox(),
            sp.GetServices<IProviderNotifications>(),
            sp.GetServices<IPaymentProvider>(),
            notify));
        services.AddSingleton<IOrderPaymentClient>(sp => sp.GetRequiredService<DurableOrderPayments>().Client(client()));
    }
}
