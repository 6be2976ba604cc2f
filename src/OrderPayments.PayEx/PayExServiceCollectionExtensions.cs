using System.Net.Http.Headers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OrderPayments.Application.Notifications;
using OrderPayments.Application.Payments;
using OrderPayments.Http;
using Polly;

namespace OrderPayments.PayEx;

/// <summary>Registers the PayEx Vipps client, its adapter to the provider port and the callback intake.</summary>
public static class PayExServiceCollectionExtensions
{
    /// <summary>Registers everything from the <c>PayEx</c> section (validated at start).</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "PayEx is the provider's name.")]
    public static IServiceCollection AddPayEx(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PayExOptions>().Bind(configuration.GetSection(PayExOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PayExOptions>, PayExOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient<PayExVippsClient>((sp, client) =>
            {
                var options = sp.GetRequiredService<IOptions<PayExOptions>>().Value;
                client.BaseAddress = options.ApiRoot;
                client.Timeout = Timeout.InfiniteTimeSpan;
                client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.AccessToken);
                client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            })
            .AddProviderResilience<PayExOptions>(IsTransient);
        services.TryAddEnumerable(ServiceDescriptor.Transient<IPaymentProvider, PayExPaymentProvider>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IProviderNotifications, PayExNotifications>());
        return services;
    }

    /// <summary>
    /// Transient for PayEx: a connection failure, an attempt timeout, or a status <see cref="PayExApiException"/> calls
    /// transient. Kept by hand: it is the provider's classification, not the library's default one.
    /// </summary>
    private static ValueTask<bool> IsTransient(Outcome<HttpResponseMessage> outcome, CancellationToken cancellationToken) =>
        ValueTask.FromResult(outcome.Exception is not null
            ? outcome.Exception is HttpRequestException or Polly.Timeout.TimeoutRejectedException
            : !outcome.Result!.IsSuccessStatusCode && PayExApiException.IsTransientStatus(outcome.Result.StatusCode, null));
}
