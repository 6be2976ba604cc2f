using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OrderPayments.Application.Hosting;
using OrderPayments.Durable;
using OrderPayments.PayEx;
using OrderPayments.Vipps;
using OrderPayments.Vipps.Webhooks;

namespace OrderPayments.Functions;

/// <summary>
/// The Functions app's composition, in one place: what <c>Program.cs</c> runs and what the host-wiring tests build (the
/// same method, the same configuration keys as <c>local.settings.sample.json</c>).
/// </summary>
public static class FunctionsApp
{
    /// <summary>
    /// The isolated worker's host builder: the worker's defaults, the app's configuration (with <paramref name="configure"/>
    /// after the defaults, for tests), and <see cref="AddOrderPaymentsFunctions"/>.
    /// </summary>
    public static IHostBuilder CreateBuilder(Action<IConfigurationBuilder>? configure = null) =>
        new HostBuilder()
            .ConfigureFunctionsWorkerDefaults()
            .ConfigureAppConfiguration(builder => configure?.Invoke(builder))
            .ConfigureServices((context, services) => services.AddOrderPaymentsFunctions(context.Configuration));

    /// <summary>
    /// The app's services: the Durable interpreter (<see cref="DurableServiceCollectionExtensions.AddOrderPaymentsDurable"/>),
    /// the Vipps provider, PayEx when its token is set, and telemetry when an exporter is configured.
    /// </summary>
    public static IServiceCollection AddOrderPaymentsFunctions(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOrderPaymentsDurable(configuration);
        FunctionsTelemetry.AddWhenConfigured(services, configuration);
        services.AddVipps(configuration);
        if (!string.IsNullOrWhiteSpace(configuration[$"{HostSettings.PayExSection}:AccessToken"]))
        {
            services.AddPayEx(configuration);
        }

        return services;
    }

    /// <summary>
    /// Verifies Vipps webhooks with the secret from configuration (Key Vault): the registration is made once per
    /// deployment (docs/azure.md), not by each scaled-out instance, so the app keeps no host values.
    /// </summary>
    public static void UseRegisteredWebhook(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.GetRequiredService<IOptions<VippsOptions>>().Value;
        var secret = services.GetRequiredService<IConfiguration>()[$"{HostSettings.VippsSection}:WebhookSecret"];
        if (options.WebhookUrl is { } url && !string.IsNullOrEmpty(secret))
        {
            services.GetRequiredService<VippsWebhookSubscription>().UseRegistered(url, secret);
        }
    }
}
