using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OrderPayments.Application.Payments;
using OrderPayments.Application.Storefront;
using OrderPayments.Domain.Workflow;

namespace OrderPayments.Durable;

/// <summary>The one composition of the Durable interpreter, used by the Functions app's <c>Program.cs</c>, the engine tests and the benchmark.</summary>
public static class DurableServiceCollectionExtensions
{
    /// <summary>
    /// Registers the Durable interpreter (<see cref="DurableOrderPayments"/>) and what it shares with the embedded runtime:
    /// the workflow (<c>Workflow</c> section), the activity retry policy (<c>ActivityRetry</c>), the storefront delivery
    /// settings (<c>Notifications</c>), and its own settings (<c>Durable</c>, <see cref="DurableOptions"/>), with its tables
    /// in the storage account of <c>AzureWebJobsStorage</c>. Payment providers (<see cref="IPaymentProvider"/>) are
    /// registered separately (e.g. <c>AddVipps</c>). Registrations made before with TryAdd semantics are kept.
    /// </summary>
    public static IServiceCollection AddOrderPaymentsDurable(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<WorkflowOptions>().Bind(configuration.GetSection("Workflow"));
        services.TryAddSingleton(sp => new OrderPaymentWorkflow(sp.GetRequiredService<IOptions<WorkflowOptions>>().Value));
        services.TryAddSingleton<PaymentActivities>();
        services.AddOptions<ActivityRetryOptions>()
            .Bind(configuration.GetSection(ActivityRetryOptions.SectionName))
            .Validate(o => o.Problems().Count == 0, "ActivityRetry settings are invalid (see ActivityRetryOptions.Problems).")
            .ValidateOnStart();
        services.TryAddSingleton(sp => new ActivityRetryPolicy(sp.GetRequiredService<IOptions<ActivityRetryOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        services.AddOptions<DurableOptions>()
            .Bind(configuration.GetSection(DurableOptions.SectionName))
            .Configure(o => o.RecordStorefrontEvents = !string.Equals(configuration[$"{StorefrontDeliveryOptions.SectionName}:Enabled"], "false", StringComparison.OrdinalIgnoreCase))
            .Validate(o => o.Problems().Count == 0, "Durable settings are invalid (see DurableOptions.Problems).")
            .ValidateOnStart();
        services.AddOptions<StorefrontDeliveryOptions>()
            .Bind(configuration.GetSection(StorefrontDeliveryOptions.SectionName))
            .Validate(o => o.Problems().Count == 0, "Notifications settings are invalid (see StorefrontDeliveryOptions.Problems).")
            .ValidateOnStart();
        services.AddHttpClient(DurableOrderPayments.StorefrontHttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
        services.TryAddSingleton(sp => new DurableStorage(
            StorageTables.Service(configuration),
            sp.GetRequiredService<IOptions<DurableOptions>>().Value,
            sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<DurableOrderPayments>();
        return services;
    }
}
