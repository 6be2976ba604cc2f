using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PaymentSimulator.Faults;
using PaymentSimulator.PayEx;
using PaymentSimulator.Persistence;
using PaymentSimulator.Vipps;
using PaymentSimulator.Webhooks;

namespace PaymentSimulator;

/// <summary>Builds the simulator as a web application (standalone, or hosted by tests), or adds it to another app (the local API).</summary>
public static class SimulatorApp
{
    /// <summary>Builds the app; <paramref name="configure"/> may replace services (e.g. the clock) before it is built.</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        AddPaymentSimulator(builder.Services, builder.Configuration);
        configure?.Invoke(builder);

        var app = builder.Build();
        MapPaymentSimulator(app);
        return app;
    }

    /// <summary>
    /// Registers the simulator's services (settings from the <c>Simulator</c> section) in an app of its own or another's.
    /// With <see cref="SimulatorOptions.DatabasePath"/> set, what it holds is kept in that file and read back at start.
    /// </summary>
    public static IServiceCollection AddPaymentSimulator(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SimulatorOptions>().Bind(configuration.GetSection(SimulatorOptions.SectionName));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => SimulatorStore.Open(sp.GetRequiredService<IOptions<SimulatorOptions>>().Value.DatabasePath));
        services.AddSingleton(sp => new SimulatorClock(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<SimulatorStore>()));
        services.AddSingleton<FaultInjector>();
        services.AddSingleton<WebhookHub>();
        services.AddSingleton<VippsSimulator>();
        services.AddHostedService<WebhookDispatcher>();
        services.AddHttpClient(WebhookDispatcher.HttpClientName);
        services.AddSingleton<PayExCallbacks>();
        services.AddSingleton<PayExSimulator>();
        services.AddHostedService<PayExCallbackSender>();
        services.AddHttpClient(PayExCallbackSender.HttpClientName);
        return services;
    }

    /// <summary>
    /// Maps the simulator's routes under its base paths (<c>/simulator/vipps</c>, <c>/simulator/payex</c>); the control
    /// API only where enabled (Development by default).
    /// </summary>
    public static void MapPaymentSimulator(WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<SimulatorOptions>>().Value;
        var controlApi = options.ControlApi ?? app.Environment.IsDevelopment();
        VippsEndpoints.Map(app, options, controlApi);
        PayExEndpoints.Map(app, options, controlApi);
    }
}
