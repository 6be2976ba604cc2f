using System.Collections.Concurrent;
using Azure.Data.Tables;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using OrderPayments.Application.Payments;
using OrderPayments.Domain.Workflow;
using OrderPayments.Functions.CrashHost;
using OrderPayments.Functions.Notifications;
using OrderPayments.Functions.Signals;

namespace OrderPayments.Functions.Tests.Engine;

/// <summary>Which Durable Task backend runs the orchestrations.</summary>
public enum DurableBackend
{
    /// <summary>The SDK's in-process test host: DurableTask.Core over an in-memory orchestration service.</summary>
    InMemory,

    /// <summary>DurableTask.AzureStorage (Durable Functions' default backend) over Azurite.</summary>
    AzureStorage,
}

/// <summary>
/// The Durable Task engine in-process, running the Functions app's orchestrator and activities exactly as the app
/// registers them (the same names, the same code: <see cref="OrderPaymentTasks"/>): the Durable Task SDK's gRPC worker
/// and client (what the isolated Functions worker uses) against a sidecar over DurableTask.Core with the chosen backend
/// (<see cref="AzureStorageEngine"/> for Azure Storage, the code the crash tests' child process runs too).
/// </summary>
internal sealed class DurableEngine : IAsyncDisposable
{
    private readonly IAsyncDisposable _engine;

    private DurableEngine(DurableTaskClient client, string taskHub, TableClient inboxTable, TableNotificationStore notifications, IAsyncDisposable engine, ConcurrentDictionary<string, int> episodes)
    {
        Notifications = notifications;
        Client = client;
        Episodes = episodes;
        TaskHub = taskHub;
        InboxTable = inboxTable;
        Inbox = new TableSignalInbox(inboxTable);
        _engine = engine;
    }

    public DurableTaskClient Client { get; }

    /// <summary>Orchestrator episodes (executions of the orchestrator function: one per work item) per instance id, in this process.</summary>
    public ConcurrentDictionary<string, int> Episodes { get; }

    /// <summary>The task hub's name (a new one per engine).</summary>
    public string TaskHub { get; }

    public TableClient InboxTable { get; }

    internal TableSignalInbox Inbox { get; }

    /// <summary>The storefront notifications of this engine's orders (a table beside the inbox).</summary>
    internal TableNotificationStore Notifications { get; }

    /// <summary>
    /// Starts the engine. The orchestrator gets <paramref name="workflow"/>; the activities resolve the providers'
    /// <see cref="PaymentActivities"/> from <paramref name="activities"/> when they first run. The signal inbox is a new
    /// table on <paramref name="storageConnectionString"/> (Azurite), as is the task hub for the Azure Storage backend.
    /// With <paramref name="dispatch"/> false (Azure Storage only) this process runs no orchestration or activity: it
    /// starts, signals and reads them, and another process dispatches (the crash tests' child).
    /// </summary>
    public static async Task<DurableEngine> StartAsync(DurableBackend backend, string storageConnectionString, Func<OrderPaymentWorkflow> workflow, Func<PaymentActivities> activities, bool dispatch = true)
    {
        var hub = "op" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6));
        var inboxTable = new TableClient(storageConnectionString, hub + "signals");
        var inbox = new TableSignalInbox(inboxTable);
        var notifications = new TableNotificationStore(new TableClient(storageConnectionString, hub + "notifications"), TimeProvider.System);
        var episodes = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        void Register(DurableTaskRegistry registry) =>
            OrderPaymentTasks.Register(registry, workflow, activities, inbox, notifications, id => episodes.AddOrUpdate(id, 1, (_, count) => count + 1));

        if (backend == DurableBackend.InMemory)
        {
            if (!dispatch)
            {
                throw new ArgumentException("The in-memory backend lives in this process: it dispatches here or nowhere.", nameof(dispatch));
            }

            var testHost = await DurableTaskTestHost.StartAsync(Register, new DurableTaskTestHostOptions { Port = AzureStorageEngine.FreePort() });
            return new DurableEngine(testHost.Client, hub, inboxTable, notifications, testHost, episodes);
        }

        var engine = await AzureStorageEngine.StartAsync(AzureStorageEngine.Settings(storageConnectionString, hub, "tests"), dispatch ? Register : null);
        return new DurableEngine(engine.Client, hub, inboxTable, notifications, engine, episodes);
    }

    public ValueTask DisposeAsync() => _engine.DisposeAsync();
}
