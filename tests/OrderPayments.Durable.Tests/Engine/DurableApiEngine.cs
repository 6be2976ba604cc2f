using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OrderPayments.Api.Tests;
using OrderPayments.Application.Storefront;
using OrderPayments.Application.Workflows;

namespace OrderPayments.Durable.Tests.Engine;

/// <summary>
/// The API's orders on the Durable Task engine: the API's host gets the Durable interpreter through its one composition
/// (<see cref="DurableServiceCollectionExtensions.AddOrderPaymentsDurable"/>, its tables on Azurite), its shared handlers
/// get the interpreter's <see cref="DurableOrderPaymentClient"/>, the engine runs the interpreter's orchestration and
/// activities, and the activities call the API's own providers (the embedded simulator). The embedded runtime's
/// dispatcher is off. Without dispatch (Azure Storage), the API only starts, signals and reads orders, and another process
/// runs them.
/// </summary>
internal sealed class DurableApiEngine : IApiEngine
{
    private readonly DurableBackend _backend;
    private readonly string _storage;
    private readonly bool _dispatch;
    private DurableEngine? _engine;
    private IServiceProvider? _services;

    public DurableApiEngine(DurableBackend backend, string storageConnectionString, bool dispatch = true)
    {
        _backend = backend;
        _storage = storageConnectionString;
        _dispatch = dispatch;
    }

    /// <summary>The task hub, also the prefix of the interpreter's tables.</summary>
    public string TaskHub { get; } = DurableEngine.NewTaskHub();

    public DurableEngine Engine => _engine ?? throw new InvalidOperationException("The engine has not started.");

    /// <summary>The interpreter as the API's host composed it (e.g. to reach its tables).</summary>
    public DurableOrderPayments Orders => (_services ?? throw new InvalidOperationException("The engine has not started.")).GetRequiredService<DurableOrderPayments>();

    /// <summary>The settings that put the interpreter's tables on the test's storage account, as the Functions app's would be.</summary>
    public Dictionary<string, string?> Settings() => new()
    {
        ["AzureWebJobsStorage"] = _storage,
        ["TASKHUB_NAME"] = TaskHub,
        ["Durable:SignalsTable"] = TaskHub + "signals",
        ["Durable:OrdersTable"] = TaskHub + "orders",
        ["Durable:NotificationsTable"] = TaskHub + "notifications",
    };

    public void Configure(WebApplicationBuilder builder)
    {
        // Storefront events are recorded for orders started while Notifications:Enabled is not false (as in the Functions
        // app); off here unless a test asks, to keep the other scenarios' steps as they are.
        var settings = Settings();
        settings["Runtime:DispatcherEnabled"] = "false";
        settings["Notifications:Enabled"] = builder.Configuration["Notifications:Enabled"] ?? "false";
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddOrderPaymentsDurable(builder.Configuration);
        builder.Services.AddSingleton<IOrderPaymentClient>(sp => sp.GetRequiredService<DurableOrderPayments>().Client(Engine.Client));

        // The API's notification routes manage the interpreter's table, and a loop delivers from it (the Functions app's timer).
        builder.Services.AddSingleton<INotificationEndpoints>(sp => sp.GetRequiredService<DurableOrderPayments>().Storage.Endpoints);
        builder.Services.AddHostedService(sp => new TableDeliveryLoop(sp.GetRequiredService<DurableOrderPayments>().Deliverer));
    }

    public async Task StartAsync(IServiceProvider services)
    {
        _services = services;
        var orders = services.GetRequiredService<DurableOrderPayments>();
        _engine = await DurableEngine.StartAsync(_backend, _storage, TaskHub, () => orders, _dispatch);
    }

    public async Task<string> DiagnoseAsync(string orderId)
    {
        if (_engine is null || await _engine.Client.GetInstanceAsync(orderId, getInputsAndOutputs: true) is not { } instance)
        {
            return " Engine: no instance.";
        }

        return $" Engine: {instance.RuntimeStatus}, last updated {instance.LastUpdatedAt:O}, episodes {_engine.Episodes.GetValueOrDefault(orderId)}"
            + (instance.FailureDetails is { } failure ? $", failed: {failure.ErrorType}: {failure.ErrorMessage} {failure.StackTrace}" : "")
            + $", input {instance.SerializedInput?.Length} chars, status {instance.SerializedCustomStatus?.Length} chars.";
    }

    public async ValueTask DisposeAsync()
    {
        if (_engine is not null)
        {
            await _engine.DisposeAsync();
        }
    }
}
