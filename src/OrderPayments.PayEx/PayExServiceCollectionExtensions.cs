using System.Net.Http.Headers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderPayments.Application.Notifications;
using OrderPayments.Application.Payments;
using OrderPayments.Http;
using Polly;

namespace OrderPayments.PayEx;

/// <summary>Registers the PayEx Vipps client, its adapter to the provider port and the callback intake.</summary>
public static partial class PayExServiceCollectionExtensions
{
    /// <summary>Registers everything from the <c>PayEx</c> section (validated at start).</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "PayEx is the provider's name.")]
    public static IServiceCollection AddPayEx(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PayExOptions>().Bind(configuration.GetSection(PayExOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PayExOptions>, PayExOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new PayExResilience(Build(sp)));
        services.TryAddTransient<PayExResilienceHandler>();
        services.AddHttpClient<PayExVippsClient>((sp, client) =>
            {
                var options = sp.GetRequiredService<IOptions<PayExOptions>>().Value;
                client.BaseAddress = options.ApiRoot;
                client.Timeout = Timeout.InfiniteTimeSpan;
                client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.AccessToken);
                client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            })
            .AddHttpMessageHandler<PayExResilienceHandler>();
        services.TryAddEnumerable(ServiceDescriptor.Transient<IPaymentProvider, PayExPaymentProvider>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IProviderNotifications, PayExNotifications>());
        return services;
    }

    private static ResiliencePipeline<HttpResponseMessage> Build(IServiceProvider services)
    {
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("OrderPayments.PayEx");
        return HttpResilience.Build(
            services.GetRequiredService<IOptions<PayExOptions>>().Value,
            services.GetRequiredService<TimeProvider>(),
            (outcome, _) => ValueTask.FromResult(outcome.Exception is not null
                ? outcome.Exception is HttpRequestException or Polly.Timeout.TimeoutRejectedException
                : !outcome.Result!.IsSuccessStatusCode && PayExApiException.IsTransientStatus(outcome.Result.StatusCode, null)),
            (attempt, status, exception, delay) => LogRetrying(logger, attempt, status, exception, delay),
            breakDuration => LogCircuitOpened(logger, breakDuration));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "PayEx call failed (status {Status}, {Exception}); attempt {Attempt} in {Delay}.")]
    private static partial void LogRetrying(ILogger logger, int attempt, int? status, string? exception, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Error, Message = "PayEx circuit opened for {BreakDuration}: calls fail fast until then.")]
    private static partial void LogCircuitOpened(ILogger logger, TimeSpan breakDuration);

    /// <summary>The one pipeline of the process's PayEx calls (one circuit).</summary>
    internal sealed record PayExResilience(ResiliencePipeline<HttpResponseMessage> Pipeline);

    /// <summary>Every PayEx call through <see cref="PayExResilience"/>.</summary>
    internal sealed class PayExResilienceHandler(PayExResilience resilience) : ResilienceHandler(resilience.Pipeline);
}
