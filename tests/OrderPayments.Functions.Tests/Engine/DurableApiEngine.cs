using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OrderPayments.Api.Tests;
using OrderPayments.Application.Payments;
using OrderPayments.Application.Storefront;
using OrderPayments.Domain.Workflow;
using OrderPayments.Functions.CrashHost;

namespace OrderPayments.Functions.Tests.Engine;

/// <summary>
/// The API's orders on the Durable Task engine: its shared handlers get the Functions app's
/// <see cref="DurableOrderPaymentClient"/>, the engine runs the Functions app's orchestrator and activities, and the
/// activities call the API's own providers (the embedded simulator). The embedded runtime's dispatcher is off. Without
/// dispatch (Azure Storage), the API only starts, signals and reads orders, and another process runs them.
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

    public DurableEngine Engine => _engine ?? throw new InvalidOperationException("The engine has not started.");

    /// <summary>
    /// What the Functions app's functions get injected (as its Program.cs registers it), over the API's workflow, clock
    /// and providers and the engine's inbox: e.g. to call the queue-triggered functions against this engine.
    /// </summary>
    public DurableOrderPayments Orders => (_services ?? throw new InvalidOperationException("The engine has not started.")).GetRequiredService<DurableOrderPayments>();

    public void Configure(WebApplicationBuilder builder)
    {
        // Storefront events are recorded for orders started while Notifications:Enabled is true (as in the Functions app,
        // where it is on unless set to false; off here unless a test asks, to keep the other scenarios' steps as they were).
        var notify = string.Equals(builder.Configuration["Notifications:Enabled"], "true", StringComparison.OrdinalIgnoreCase);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Runtime:DispatcherEnabled"] = "false" });
        OrderPaymentTasks.AddDurableOrderPayments(builder.Services, () => Engine.Inbox, () => Engine.Client, notify);

        // The API's notification routes manage the engine's table, and a loop delivers from it (the Functions app's timer).
        builder.Services.AddSingleton<INotificationEndpoints>(_ => Engine.Notifications);
        builder.Services.AddHostedService(sp => new TableDeliveryLoop(
            () => Engine.Notifications,
            sp.GetRequiredService<IHttpClientFactory>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<StorefrontDeliveryOptions>>().Value));
    }

    public async Task StartAsync(IServiceProvider services)
    {
        _services = services;
        _engine = await DurableEngine.StartAsync(
            _backend,
            _storage,
            () => _services.GetRequiredService<OrderPaymentWorkflow>(),
            () => _services.GetRequiredService<PaymentActivities>(),
            _dispatch);
    }

    public async ValueTask DisposeAsync()
    {
        if (_engine is not null)
        {
            await _engine.DisposeAsync();
        }
    }
}
