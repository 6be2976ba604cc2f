using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
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
    /// Every HTTP client goes through the resilience handler; the API clients also through authentication.
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
        services.TryAddSingleton<VippsResiliencePipeline>();
        services.TryAddTransient<VippsResilienceHandler>();
        services.TryAddTransient<VippsAuthenticationHandler>();

        services.AddHttpClient(VippsAccessTokenProvider.HttpClientName, ConfigureBase)
            .AddHttpMessageHandler<VippsResilienceHandler>();
        services.AddHttpClient<VippsEPaymentClient>(ConfigureBase)
            .AddHttpMessageHandler<VippsAuthenticationHandler>()
            .AddHttpMessageHandler<VippsResilienceHandler>();
        services.AddHttpClient<VippsWebhooksClient>(ConfigureBase)
            .AddHttpMessageHandler<VippsAuthenticationHandler>()
            .AddHttpMessageHandler<VippsResilienceHandler>();

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
