using System.Collections.Concurrent;
using DurableWorker;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;

namespace OrderPayments.Durable.Tests.Engine;

/// <summary>Which Durable Task backend runs the orchestrations.</summary>
public enum DurableBackend
{
    /// <summary>The SDK's in-process test host: DurableTask.Core over an in-memory orchestration service.</summary>
    InMemory,

    /// <summary>DurableTask.AzureStorage (Durable Functions' default backend) over Azurite.</summary>
    AzureStorage,
}

/// <summary>
/// The Durable Task engine in-process, running the Durable interpreter's orchestration and activities as every host
/// registers them (<see cref="DurableTaskRegistryExtensions.AddOrderPaymentTasks"/> over the one composition): the
/// Durable Task SDK's gRPC worker and client (what the isolated Functions worker uses) against a sidecar over
/// DurableTask.Core with the chosen backend (<see cref="AzureStorageEngine"/> for Azure Storage, the code the crash
/// tests' worker process runs too).
/// </summary>
internal sealed class DurableEngine : IAsyncDisposable
{
    private readonly IAsyncDisposable _engine;

    private DurableEngine(DurableTaskClient client, string taskHub, IAsyncDisposable engine, ConcurrentDictionary<string, int> episodes)
    {
        Client = client;
        Episodes = episodes;
        TaskHub = taskHub;
        _engine = engine;
    }

    public DurableTaskClient Client { get; }

    /// <summary>Orchestrator episodes (executions of the orchestrator function: one per work item) per instance id, in this process.</summary>
    public ConcurrentDictionary<string, int> Episodes { get; }

    /// <summary>The task hub's name.</summary>
    public string TaskHub { get; }

    /// <summary>A new task hub name (also the prefix of the interpreter's tables in a test).</summary>
    public static string NewTaskHub() => "op" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6));

    /// <summary>
    /// Starts the engine on <paramref name="taskHub"/>; the orchestration and activities resolve the interpreter from
    /// <paramref name="orders"/> when they first run. With <paramref name="dispatch"/> false (Azure Storage only) this
    /// process runs no orchestration or activity: it starts, signals and reads them, and another process dispatches.
    /// </summary>
    public static async Task<DurableEngine> StartAsync(DurableBackend backend, string storageConnectionString, string taskHub, Func<DurableOrderPayments> orders, bool dispatch = true)
    {
        var episodes = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        void Register(Microsoft.DurableTask.DurableTaskRegistry registry) =>
            registry.AddOrderPaymentTasks(orders, id => episodes.AddOrUpdate(id, 1, (_, count) => count + 1));

        if (backend == DurableBackend.InMemory)
        {
            if (!dispatch)
            {
                throw new ArgumentException("The in-memory backend lives in this process: it dispatches here or nowhere.", nameof(dispatch));
            }

            var testHost = await DurableTaskTestHost.StartAsync(Register, new DurableTaskTestHostOptions { Port = AzureStorageEngine.FreePort() });
            return new DurableEngine(testHost.Client, taskHub, testHost, episodes);
        }

        var engine = await AzureStorageEngine.StartAsync(AzureStorageEngine.Settings(storageConnectionString, taskHub, "tests"), dispatch ? Register : null);
        return new DurableEngine(engine.Client, taskHub, engine, episodes);
    }

    public ValueTask DisposeAsync() => _engine.DisposeAsync();
}
