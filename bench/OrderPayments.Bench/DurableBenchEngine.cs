using DurableWorker;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OrderPayments.Application.Workflows;
using OrderPayments.Durable;

namespace OrderPayments.Bench;

/// <summary>
/// The API's orders on the Durable Task engine with the Azure Storage backend (Durable Functions' default), in the
/// benchmark's process: the Durable interpreter through its one composition (AddOrderPaymentsDurable, its tables beside
/// the task hub) and its orchestration and activities on the engine's worker (AddOrderPaymentTasks), a new task hub per
/// run on the given storage account (Azurite). The embedded runtime's dispatcher is off.
/// </summary>
internal sealed class DurableBenchEngine(string storageConnectionString) : IAsyncDisposable
{
    private readonly string _hub = "bench" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(5));
    private AzureStorageEngine? _engine;

    /// <summary>The task hub of this run (its tables are named after it).</summary>
    public string TaskHub => _hub;

    public void Configure(WebApplicationBuilder builder)
    {
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Runtime:DispatcherEnabled"] = "false",
            ["AzureWebJobsStorage"] = storageConnectionString,
            ["Durable:SignalsTable"] = _hub + "signals",
            ["Durable:OrdersTable"] = _hub + "orders",
            ["Durable:NotificationsTable"] = _hub + "notifications",
            ["Notifications:Enabled"] = builder.Configuration["Notifications:Enabled"] ?? "false",
        });
        builder.Services.AddOrderPaymentsDurable(builder.Configuration);
        builder.Services.AddSingleton<IOrderPaymentClient>(sp =>
            sp.GetRequiredService<DurableOrderPayments>().Client((_engine ?? throw new InvalidOperationException("The engine has not started.")).Client));
    }

    public async Task StartAsync(IServiceProvider services)
    {
        var orders = services.GetRequiredService<DurableOrderPayments>();
        _engine = await AzureStorageEngine.StartAsync(
            AzureStorageEngine.Settings(storageConnectionString, _hub, "bench"),
            registry => registry.AddOrderPaymentTasks(() => orders));
    }

    public async ValueTask DisposeAsync()
    {
        if (_engine is not null)
        {
            await _engine.DisposeAsync();
        }
    }
}
