using Azure.Data.Tables;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OrderPayments.Application.Payments;
using OrderPayments.Domain.Workflow;
using OrderPayments.Functions.CrashHost;
using OrderPayments.Functions.Notifications;
using OrderPayments.Functions.Signals;

namespace OrderPayments.Bench;

/// <summary>
/// The API's orders on the Durable Task engine with the Azure Storage backend (Durable Functions' default), in the
/// benchmark's process: the Functions app's orchestrator, activities and signal inbox, a new task hub per run on the
/// given storage account (Azurite). The embedded runtime's dispatcher is off.
/// </summary>
internal sealed class DurableBenchEngine : IAsyncDisposable
{
    private readonly string _storage;
    private readonly string _hub = "bench" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(5));
    private readonly TableSignalInbox _inbox;
    private AzureStorageEngine? _engine;

    public DurableBenchEngine(string storageConnectionString)
    {
        _storage = storageConnectionString;
        _inbox = new TableSignalInbox(new TableClient(storageConnectionString, _hub + "signals"));
        Notifications = new TableNotificationStore(new TableClient(storageConnectionString, _hub + "notifications"), TimeProvider.System);
    }

    public void Configure(WebApplicationBuilder builder)
    {
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Runtime:DispatcherEnabled"] = "false" });
        OrderPaymentTasks.AddDurableOrderPayments(builder.Services, () => _inbox, () => (_engine ?? throw new InvalidOperationException("The engine has not started.")).Client);
    }

    public async Task StartAsync(IServiceProvider services) =>
        _engine = await AzureStorageEngine.StartAsync(
            AzureStorageEngine.Settings(_storage, _hub, "bench"),
            registry => OrderPaymentTasks.Register(registry, services.GetRequiredService<OrderPaymentWorkflow>, services.GetRequiredService<PaymentActivities>, _inbox, Notifications));

    /// <summary>The storefront notifications of this engine's orders (a table beside the inbox).</summary>
    internal TableNotificationStore Notifications { get; }

    public async ValueTask DisposeAsync()
    {
        if (_engine is not null)
        {
            await _engine.DisposeAsync();
        }
    }
}
