using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace OrderPayments.Api.Queues;

/// <summary>Registers the fulfillment queue intake.</summary>
internal static class FulfillmentQueueServiceCollectionExtensions
{
    /// <summary>
    /// Binds and validates <see cref="FulfillmentQueueOptions"/> (at start) and, when a connection string is set, runs
    /// <see cref="FulfillmentQueueService"/>. Needs the API's <c>OrderPaymentRequests</c> and a <see cref="TimeProvider"/>.
    /// </summary>
    public static IServiceCollection AddFulfillmentQueueIntake(this IServiceCollection services, IConfiguration configuration)
    {
        const string Section = FulfillmentQueueOptions.SectionName;
        services.AddOptions<FulfillmentQueueOptions>()
            .Bind(configuration.GetSection(Section))
            .Validate(o => !o.Enabled || FulfillmentQueueOptions.IsValidQueueName(o.QueueName), $"{Section}:QueueName must be 3 to 56 lowercase letters, digits and single hyphens (its poison queue adds '-poison').")
            .Validate(o => Enum.IsDefined(o.MessageEncoding), $"{Section}:MessageEncoding must be Base64 or None.")
            .Validate(o => o.BatchSize is >= 1 and <= FulfillmentQueueOptions.MaxBatchSize, $"{Section}:BatchSize must be 1 to {FulfillmentQueueOptions.MaxBatchSize}.")
            .Validate(o => o.VisibilityTimeout >= TimeSpan.FromSeconds(1) && o.VisibilityTimeout <= TimeSpan.FromDays(7), $"{Section}:VisibilityTimeout must be 1 second to 7 days.")
            .Validate(o => o.MaxDequeueCount is >= 1 and <= 1_000, $"{Section}:MaxDequeueCount must be 1 to 1000.")
            .Validate(o => o.RetryDelay >= TimeSpan.Zero && o.RetryDelay <= TimeSpan.FromDays(7), $"{Section}:RetryDelay must be zero to 7 days.")
            .Validate(o => o.MaxPollingInterval >= FulfillmentQueueService.MinPollingInterval && o.MaxPollingInterval <= TimeSpan.FromHours(1), $"{Section}:MaxPollingInterval must be 100 ms to 1 hour.")
            .ValidateOnStart();
        if (string.IsNullOrWhiteSpace(configuration[$"{Section}:ConnectionString"]))
        {
            return services;
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => FulfillmentQueueClients.Create(sp.GetRequiredService<IOptions<FulfillmentQueueOptions>>().Value));
        services.AddHostedService<FulfillmentQueueService>();
        return services;
    }
}
