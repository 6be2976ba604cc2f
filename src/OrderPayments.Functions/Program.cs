using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OrderPayments.Application.Hosting;
using OrderPayments.Application.Payments;
using OrderPayments.Application.Notifications;
using OrderPayments.Application.Storefront;
using OrderPayments.Domain.Workflow;
using OrderPayments.Functions;
using OrderPayments.Functions.Notifications;
using OrderPayments.Functions.Signals;
using OrderPayments.PayEx;
using OrderPayments.Vipps;
using OrderPayments.Vipps.Webhooks;

// The Azure Functions isolated worker: the shared workflow, the Vipps provider and the shared HTTP handlers.
var host = new HostBuilder()
    .ConfigureFunctionsWorkerDefaults()
    .ConfigureServices((context, services) =>
    {
        var configuration = context.Configuration;
        services.AddSingleton(TimeProvider.System);
        services.AddOptions<WorkflowOptions>().Bind(configuration.GetSection("Workflow"));
        services.AddSingleton(sp => new OrderPaymentWorkflow(sp.GetRequiredService<IOptions<WorkflowOptions>>().Value));
        services.AddSingleton<PaymentActivities>();
        services.AddSingleton<ISignalInbox>(_ => new TableSignalInbox(SignalInboxStorage.Table(configuration)));
        services.AddSingleton(sp => new DurableOrderPayments(
            sp.GetRequiredService<OrderPaymentWorkflow>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ISignalInbox>(),
            sp.GetServices<IProviderNotifications>(),
            sp.GetServices<IPaymentProvider>(),
            !string.Equals(configuration[StorefrontNotifications.EnabledSetting], "false", StringComparison.OrdinalIgnoreCase)));
        // Storefront notifications: a table beside the inbox, delivered by a timer function with the shared deliverer.
        services.AddOptions<StorefrontDeliveryOptions>()
            .Bind(configuration.GetSection(StorefrontDeliveryOptions.SectionName))
            .Validate(o => o.Problems().Count == 0, "Notifications settings are invalid (see StorefrontDeliveryOptions.Problems).")
            .ValidateOnStart();
        services.AddHttpClient(StorefrontNotifications.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
        services.AddSingleton(sp => new TableNotificationStore(
            SignalInboxStorage.Table(configuration, configuration[StorefrontNotifications.TableNameSetting] is { Length: > 0 } table ? table : TableNotificationStore.DefaultTableName),
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new StorefrontDeliverer(
            sp.GetRequiredService<TableNotificationStore>(),
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(StorefrontNotifications.HttpClientName),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<StorefrontDeliveryOptions>>().Value));
        // Telemetry: the worker's OpenTelemetry integration (host.json sets telemetryMode to OpenTelemetry), exported to
        // Application Insights when its connection string is set (as infra/ sets it) and over OTLP when the standard
        // OTEL_EXPORTER_OTLP_ENDPOINT is; nothing is set up when neither is.
        FunctionsTelemetry.AddWhenConfigured(services, configuration);
        services.AddVipps(configuration);
        if (!string.IsNullOrWhiteSpace(configuration["PayEx:AccessToken"]))
        {
            services.AddPayEx(configuration);
        }
    })
    .Build();

var options = host.Services.GetRequiredService<IOptions<VippsOptions>>().Value;
// The webhook secret comes from configuration (Key Vault): the registration is made once per deployment (README), not
// by each scaled-out instance, so the app keeps no host values.
var secret = host.Services.GetRequiredService<IConfiguration>()[$"{HostSettings.VippsSection}:WebhookSecret"];
if (options.WebhookUrl is { } url && !string.IsNullOrEmpty(secret))
{
    host.Services.GetRequiredService<VippsWebhookSubscription>().UseRegistered(url, secret);
}

await host.RunAsync();
