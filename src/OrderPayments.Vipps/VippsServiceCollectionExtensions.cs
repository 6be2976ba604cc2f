using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OrderPayments.Http;
using OrderPayments.Application.Notifications;
using OrderPayments.Application.Payments;
using OrderPayments.Vipps.AccessToken;
using OrderPayments.Vipps.EPayment;
using OrderPayments.Vipps.Http;
using OrderPayments.Vipps.Webhooks;

namespace OrderPayments.Vipps;

/// <summary>Registers the Vipps client.</summary>
public static class VippsServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="VippsEPaymentClient"/>, <see cref="VippsWebhooksClient"/>, the token cache and the
    /// <see cref="IPaymentProvider"/> adapter, with options bound from the <c>Vipps</c> section and validated at start.
    /// Every HTTP client goes through its own resilience handler (timeouts, retries, circuit breaker); the API clients
    /// also through authentication.
    /// </summary>
    /// <returns>The service collection.</returns>
    public static IServiceCollection AddVipps(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<VippsOptions>()
            .Bind(configuration.GetSection(VippsOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<VippsOptions>, VippsOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<VippsAccessTokenProvider>();
        services.TryAddTransient<VippsAuthenticationHandler>();

        // Each client has its own resilience pipeline, so its own circuit: a failing ePayment API does not stop token
        // or webhook calls. Authentication sits outside it: a 401 is not retried by the pipeline but answered once
        // with a fresh token, and that second send goes through the pipeline again.
        services.AddHttpClient(VippsAccessTokenProvider.HttpClientName, ConfigureBase)
            .AddProviderResilience<VippsOptions>(VippsResilience.IsTransientAsync);
        services.AddHttpClient<VippsEPaymentClient>(ConfigureBase)
            .AddHttpMessageHandler<VippsAuthenticationHandler>()
            .AddProviderResilience<VippsOptions>(VippsResilience.IsTransientAsync);
        services.AddHttpClient<VippsWebhooksClient>(ConfigureBase)
            .AddHttpMessageHandler<VippsAuthenticationHandler>()
            .AddProviderResilience<VippsOptions>(VippsResilience.IsTransientAsync);

        services.TryAddEnumerable(ServiceDescriptor.Transient<IPaymentProvider, VippsPaymentProvider>());

        // Webhooks: the registration (needs an IHostValueStore from the host's runtime) and the intake.
        services.TryAddSingleton<VippsWebhookSubscription>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IProviderNotifications, VippsNotifications>());
        return services;
    }

    private static void ConfigureBase(IServiceProvider services, HttpClient client)
    {
        client.BaseAddress = services.GetRequiredService<IOptions<VippsOptions>>().Value.ApiRoot;
        // The resilience pipeline owns every timeout.
        client.Timeout = Timeout.InfiniteTimeSpan;
    }
}
