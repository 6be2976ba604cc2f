using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OrderPayments.Api.Tests;
using OrderPayments.Application.Payments;
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
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Runtime:DispatcherEnabled"] = "false" });
        OrderPaymentTasks.AddDurableOrderPayments(builder.Services, () => Engine.Inbox, () => Engine.Client);
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
