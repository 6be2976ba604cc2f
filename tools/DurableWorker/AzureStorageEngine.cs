using DurableTask.AzureStorage;
using DurableTask.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DurableWorker;

/// <summary>
/// The Durable Task engine over DurableTask.AzureStorage (Durable Functions' default backend) in this process: the
/// Durable Task SDK's gRPC client (what the isolated Functions worker uses), and with tasks also its gRPC worker,
/// against the test host package's sidecar (<see cref="TaskHubGrpcServer"/> on Kestrel, loopback, a free port).
/// </summary>
/// <remarks>
/// Without tasks the sidecar serves the management API only (<see cref="TaskHubGrpcServerMode.ApiServerOnly"/>): the
/// process starts, signals and reads orchestrations and never takes a partition lease or runs one; with tasks it also
/// dispatches (<see cref="TaskHubGrpcServerMode.ApiServerAndDispatcher"/>). Several processes may share one task hub.
/// </remarks>
public sealed class AzureStorageEngine : IAsyncDisposable
{
    private readonly IHost _sidecar;
    private readonly IHost _worker;
    private readonly GrpcChannel _channel;

    private AzureStorageEngine(IHost sidecar, IHost worker, GrpcChannel channel)
    {
        _sidecar = sidecar;
        _worker = worker;
        _channel = channel;
        Client = worker.Services.GetRequiredService<DurableTaskClient>();
    }

    /// <summary>The client (start, raise events, query), usable until the engine is disposed.</summary>
    public DurableTaskClient Client { get; }

    /// <summary>
    /// The backend's settings for tests: two partitions, fast queue polling, and short partition leases (10 s, renewed
    /// every 3 s) and message visibility timeouts (10 s instead of 5 min), so that after a process dies another takes
    /// its partitions and the messages it had dequeued within seconds.
    /// </summary>
    /// <param name="storageConnectionString">The storage account (Azurite).</param>
    /// <param name="taskHub">The task hub (its queues, tables and lease blobs are named after it).</param>
    /// <param name="workerId">This process's name in the partition leases; each live process needs its own.</param>
    public static AzureStorageOrchestrationServiceSettings Settings(string storageConnectionString, string taskHub, string workerId) => new()
    {
        StorageAccountClientProvider = new StorageAccountClientProvider(storageConnectionString),
        TaskHubName = taskHub,
        WorkerId = workerId,
        PartitionCount = 2,
        MaxQueuePollingInterval = TimeSpan.FromMilliseconds(500),
        LeaseInterval = TimeSpan.FromSeconds(10),
        LeaseRenewInterval = TimeSpan.FromSeconds(3),
        LeaseAcquireInterval = TimeSpan.FromSeconds(1),
        ControlQueueVisibilityTimeout = TimeSpan.FromSeconds(10),
        WorkItemQueueVisibilityTimeout = TimeSpan.FromSeconds(10),
        MaxConcurrentTaskActivityWorkItems = 32,
        MaxConcurrentTaskOrchestrationWorkItems = 32,
    };

    /// <summary>
    /// Creates the task hub if it does not exist and starts the sidecar and the client; with <paramref name="tasks"/>
    /// also the dispatcher and a worker with those orchestrators and activities.
    /// </summary>
    /// <exception cref="Azure.RequestFailedException">The storage account is out of reach.</exception>
    public static async Task<AzureStorageEngine> StartAsync(AzureStorageOrchestrationServiceSettings settings, Action<DurableTaskRegistry>? tasks)
    {
        // DURABLEWORKER_ENGINE_LOG=Warning (a log level): the engine's own log (backend, sidecar, SDK worker) on the console, for diagnosis.
        var engineLog = Enum.TryParse<LogLevel>(Environment.GetEnvironmentVariable("DURABLEWORKER_ENGINE_LOG"), out var level) ? level : (LogLevel?)null;
        void Logging(ILoggingBuilder logging)
        {
            logging.ClearProviders();
            if (engineLog is { } minimum)
            {
                logging.AddSimpleConsole(console => console.SingleLine = true).SetMinimumLevel(minimum);
            }
        }

        if (engineLog is not null)
        {
            settings.LoggerFactory = LoggerFactory.Create(Logging);
        }

        var service = new AzureStorageOrchestrationService(settings);
        await service.CreateIfNotExistsAsync();
        var address = $"http://127.0.0.1:{FreePort()}";
        var sidecar = Host.CreateDefaultBuilder()
            .ConfigureLogging(Logging)
            .ConfigureWebHostDefaults(web =>
            {
                web.UseUrls(address);
                web.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(listen => listen.Protocols = HttpProtocols.Http2));
                web.ConfigureServices(services =>
                {
                    services.AddGrpc();
                    services.AddSingleton<IOrchestrationService>(service);
                    services.AddSingleton<IOrchestrationServiceClient>(service);
                    services.Configure<TaskHubGrpcServerOptions>(options =>
                        options.Mode = tasks is null ? TaskHubGrpcServerMode.ApiServerOnly : TaskHubGrpcServerMode.ApiServerAndDispatcher);
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
            .ConfigureLogging(Logging)
            .ConfigureServices(services =>
            {
                if (tasks is not null)
                {
                    services.AddDurableTaskWorker(builder =>
                    {
                        builder.UseGrpc(channel);
                        builder.AddTasks(tasks);
                    });
                }

                services.AddDurableTaskClient(builder =>
                {
                    builder.UseGrpc(channel);
                    builder.RegisterDirectly();
                });
            })
            .Build();
        await worker.StartAsync();
        return new AzureStorageEngine(sidecar, worker, channel);
    }

    /// <summary>Stops the worker (letting its work items finish), then the sidecar.</summary>
    public async ValueTask DisposeAsync()
    {
        await _worker.StopAsync();
        _worker.Dispose();
        await _channel.ShutdownAsync();
        _channel.Dispose();
        await _sidecar.StopAsync();
        _sidecar.Dispose();
    }

    /// <summary>A port on 127.0.0.1 that was free a moment ago (the OS chose it).</summary>
    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
