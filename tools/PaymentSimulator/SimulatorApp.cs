using Microsoft.Extensions.Options;
using PaymentSimulator.Faults;
using PaymentSimulator.Vipps;
using PaymentSimulator.Webhooks;

namespace PaymentSimulator;

/// <summary>Builds the simulator as a web application (standalone, or hosted by tests and the local API).</summary>
public static class SimulatorApp
{
    /// <summary>Builds the app; <paramref name="configure"/> may replace services (e.g. the clock) before it is built.</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddOptions<SimulatorOptions>().Bind(builder.Configuration.GetSection(SimulatorOptions.SectionName));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(sp => new SimulatorClock(sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<FaultInjector>();
        builder.Services.AddSingleton<WebhookHub>();
        builder.Services.AddSingleton<VippsSimulator>();
        builder.Services.AddHostedService<WebhookDispatcher>();
        builder.Services.AddHttpClient(WebhookDispatcher.HttpClientName);
        configure?.Invoke(builder);

        var app = builder.Build();
        var options = app.Services.GetRequiredService<IOptions<SimulatorOptions>>().Value;
        VippsEndpoints.Map(app, options, options.ControlApi ?? app.Environment.IsDevelopment());
        return app;
    }
}
