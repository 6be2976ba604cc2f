using System.Collections.Concurrent;
using Azure.Data.Tables;
using DurableTask.AzureStorage;
using DurableTask.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrderPayments.Application.Payments;
using OrderPayments.Domain.Workflow;
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
/// registers them (the same names, the same code): the Durable Task SDK's gRPC worker and client (what the isolated
/// Functions worker uses) against a sidecar over DurableTask.Core with the chosen backend.
/// </summary>
internal sealed class DurableEngine : IAsyncDisposable
{
    private readonly IHost? _sidecar;
    private readonly IHost? _worker;
    private readonly GrpcChannel? _channel;
    private readonly DurableTaskTestHost? _testHost;

    private DurableEngine(DurableTaskClient client, TableClient inboxTable, DurableTaskTestHost? testHost, IHost? sidecar, IHost? worker, GrpcChannel? channel, ConcurrentDictionary<string, int> episodes)
    {
        Client = client;
        Episodes = episodes;
        InboxTable = inboxTable;
        Inbox = new TableSignalInbox(inboxTable);
        _testHost = testHost;
        _sidecar = sidecar;
        _worker = worker;
        _channel = channel;
    }

    public DurableTaskClient Client { get; }

    /// <summary>Orchestrator episodes (executions of the orchestrator function: one per work item) per instance id.</summary>
    public ConcurrentDictionary<string, int> Episodes { get; }

    public TableClient InboxTable { get; }

    internal TableSignalInbox Inbox { get; }

    /// <summary>
    /// Starts the engine. The orchestrator gets <paramref name="workflow"/>; the activities resolve the providers'
    /// <see cref="PaymentActivities"/> from <paramref name="activities"/> when they first run. The signal inbox is a new
    /// table on <paramref name="storageConnectionString"/> (Azurite), as is the task hub for the Azure Storage backend.
    /// </summary>
    public static async Task<DurableEngine> StartAsync(DurableBackend backend, string storageConnectionString, Func<OrderPaymentWorkflow> workflow, Func<PaymentActivities> activities)
    {
        var hub = "op" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6));
        var inboxTable = new TableClient(storageConnectionString, hub + "signals");
        var inbox = new TableSignalInbox(inboxTable);
        var episodes = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        void Register(DurableTaskRegistry registry)
        {
            registry.AddOrchestratorFunc<string, string>(OrchestrationNames.Orchestrator, (context, input) =>
            {
                episodes.AddOrUpdate(context.InstanceId, 1, (_, count) => count + 1);
                return OrderPaymentOrchestration.RunAsync(context, workflow());
            });
            foreach (var name in OrchestrationNames.PaymentActivities)
            {
                registry.AddActivityFunc<string, string>(name, async (_, input) => await PaymentActivityFunctions.RunAsync(activities(), input!, CancellationToken.None));
            }

            registry.AddActivityFunc<string, string>(OrchestrationNames.DrainSignals, async (_, input) => await SignalInboxFunctions.DrainAsync(inbox, input!, CancellationToken.None));
        }

        if (backend == DurableBackend.InMemory)
        {
            var testHost = await DurableTaskTestHost.StartAsync(Register, new DurableTaskTestHostOptions { Port = FreePort() });
            return new DurableEngine(testHost.Client, inboxTable, testHost, null, null, null, episodes);
        }

        var service = new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
        {
            StorageAccountClientProvider = new StorageAccountClientProvider(storageConnectionString),
            TaskHubName = hub,
            PartitionCount = 2,
            MaxQueuePollingInterval = TimeSpan.FromMilliseconds(500),
            LeaseInterval = TimeSpan.FromSeconds(10),
            LeaseRenewInterval = TimeSpan.FromSeconds(3),
            LeaseAcquireInterval = TimeSpan.FromSeconds(1),
            MaxConcurrentTaskActivityWorkItems = 32,
            MaxConcurrentTaskOrchestrationWorkItems = 32,
        });
        await service.CreateIfNotExistsAsync();
        var address = $"http://127.0.0.1:{FreePort()}";
        var sidecar = Host.CreateDefaultBuilder()
            .ConfigureLogging(logging => logging.ClearProviders())
            .ConfigureWebHostDefaults(web =>
            {
                web.UseUrls(address);
                web.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(listen => listen.Protocols = HttpProtocols.Http2));
                web.ConfigureServices(services =>
                {
                    services.AddGrpc();
                    services.AddSingleton<IOrchestrationService>(service);
                    services.AddSingleton<IOrchestrationServiceClient>(service);
                    services.AddSingleton<TaskHubGrpcServer>();
                });
                web.Configure(app =>
                {
                    app.UseRouting();
                    app.UseEndpoints(endpoints => endpoints.MapGrpcService<TaskHubGrpcServer>());
                });
            })
            .Build();
        await sidecar.StartAsync();
        var channel = GrpcChannel.ForAddress(address);
        var worker = Host.CreateDefaultBuilder()
            .ConfigureLogging(logging => logging.ClearProviders())
            .ConfigureServices(services =>
            {
                services.AddDurableTaskWorker(builder =>
                {
                    builder.UseGrpc(channel);
                    builder.AddTasks(Register);
                });
                services.AddDurableTaskClient(builder =>
                {
                    builder.UseGrpc(channel);
                    builder.RegisterDirectly();
                });
            })
            .Build();
        await worker.StartAsync();
        return new DurableEngine(worker.Services.GetRequiredService<DurableTaskClient>(), inboxTable, null, sidecar, worker, channel, episodes);
    }

    public async ValueTask DisposeAsync()
    {
        if (_testHost is not null)
        {
            await _testHost.DisposeAsync();
        }

        if (_worker is not null)
        {
            await _worker.StopAsync();
            _worker.Dispose();
        }

        if (_channel is not null)
        {
            await _channel.ShutdownAsync();
            _channel.Dispose();
        }

        if (_sidecar is not null)
        {
            await _sidecar.StopAsync();
            _sidecar.Dispose();
        }
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
