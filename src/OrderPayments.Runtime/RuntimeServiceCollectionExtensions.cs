using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OrderPayments.Application.Hosting;
using OrderPayments.Application.Payments;
using OrderPayments.Application.Reports;
using OrderPayments.Application.Storefront;
using OrderPayments.Application.Workflows;
using OrderPayments.Domain.Workflow;
using OrderPayments.Runtime.Dispatching;
using OrderPayments.Runtime.Notifications;
using OrderPayments.Runtime.Storage;

namespace OrderPayments.Runtime;

/// <summary>Registers the embedded runtime.</summary>
public static class RuntimeServiceCollectionExtensions
{
    /// <summary>
    /// Registers the SQLite-backed workflow client (<see cref="IOrderPaymentClient"/>, <see cref="EmbeddedOrderPaymentClient"/>),
    /// the operator reports (<see cref="IOrderReports"/>, <see cref="EmbeddedOrderReports"/>) and, unless <c>Runtime:DispatcherEnabled</c> is false, the dispatcher as a hosted service. Settings come from the
    /// <c>Runtime</c> section (<see cref="RuntimeOptions"/>) and the workflow's from <c>Workflow</c> (<see cref="WorkflowOptions"/>).
    /// Payment providers (<see cref="IPaymentProvider"/>) are registered separately (e.g. <c>AddVipps</c>).
    /// </summary>
    public static IServiceCollection AddOrderPaymentsRuntime(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RuntimeOptions>()
            .Bind(configuration.GetSection(RuntimeOptions.SectionName))
            .Validate(o => !string.IsNullOrWhiteSpace(o.DatabasePath), "Runtime:DatabasePath is required.")
            .Validate(o => o.MaxBatchSize is >= 1 and <= 10_000, "Runtime:MaxBatchSize must be 1 to 10000.")
            .Validate(o => o.MaxConcurrentActivities is >= 1 and <= 1_000, "Runtime:MaxConcurrentActivities must be 1 to 1000.")
            .Validate(o => o.StateCacheSize is >= 0 and <= 1_000_000, "Runtime:StateCacheSize must be 0 to 1000000.")
            .Validate(o => o.LeaseDuration >= TimeSpan.FromMilliseconds(300), "Runtime:LeaseDuration must be at least 300 ms.")
            .Validate(o => o.ExternalWorkPollInterval >= TimeSpan.FromMilliseconds(10), "Runtime:ExternalWorkPollInterval must be at least 10 ms.")
            .Validate(o => o.StepRetryBaseDelay > TimeSpan.Zero && o.StepRetryBaseDelay <= o.StepRetryMaxDelay, "Runtime:StepRetryBaseDelay must be positive and at most StepRetryMaxDelay.")
            .Validate(o => o.FinishedOrderRetention >= TimeSpan.Zero, "Runtime:FinishedOrderRetention must not be negative (00:00:00 keeps everything).")
            .Validate(o => o.SignalDedupeWindow >= TimeSpan.Zero, "Runtime:SignalDedupeWindow must not be negative (00:00:00 keeps every signal).")
            .Validate(o => o.PruneInterval > TimeSpan.Zero, "Runtime:PruneInterval must be positive.")
            .Validate(o => o.PruneBatchSize is >= 1 and <= 10_000, "Runtime:PruneBatchSize must be 1 to 10000.")
            .ValidateOnStart();
        services.AddOptions<WorkflowOptions>().Bind(configuration.GetSection("Workflow"));
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new OrderPaymentWorkflow(sp.GetRequiredService<IOptions<WorkflowOptions>>().Value));
        services.TryAddSingleton<RuntimeStore>();
        services.TryAddSingleton<WorkSignal>();
        services.TryAddSingleton<ChangeFeed>();
        services.TryAddSingleton<RuntimeMetrics>();
        services.TryAddSingleton<PaymentActivities>();
        // The activity retry policy both interpreters share (the ActivityRetry section).
        services.AddOptions<ActivityRetryOptions>()
            .Bind(configuration.GetSection(ActivityRetryOptions.SectionName))
            .Validate(o => o.Problems().Count == 0, "ActivityRetry settings are invalid (see ActivityRetryOptions.Problems).")
            .ValidateOnStart();
        services.TryAddSingleton(sp => new ActivityRetryPolicy(sp.GetRequiredService<IOptions<ActivityRetryOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        // Client writes add work for the dispatcher, which takes them into its own transactions while it runs.
        services.TryAddSingleton(sp => new GroupCommit(
            sp.GetRequiredService<RuntimeStore>(),
            sp.GetRequiredService<IOptions<RuntimeOptions>>().Value.MaxBatchSize,
            sp.GetRequiredService<WorkSignal>().Set));
        services.TryAddSingleton(sp => new EmbeddedOrderPaymentClient(
            sp.GetRequiredService<RuntimeStore>(),
            sp.GetRequiredService<OrderPaymentWorkflow>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<GroupCommit>(),
            sp.GetRequiredService<ChangeFeed>()));
        services.TryAddSingleton<IOrderPaymentClient>(sp => sp.GetRequiredService<EmbeddedOrderPaymentClient>());
        services.TryAddSingleton<IOrderReports>(sp => new EmbeddedOrderReports(sp.GetRequiredService<RuntimeStore>()));
        services.TryAddSingleton<IHostValueStore, EmbeddedHostValueStore>();
        services.TryAddSingleton<RetentionPruner>();

        // Storefront notifications: the outbox in the same file, delivered by the notifier (in dispatching processes).
        services.AddOptions<StorefrontDeliveryOptions>()
            .Bind(configuration.GetSection(StorefrontDeliveryOptions.SectionName))
            .Validate(o => o.Problems().Count == 0, "Notifications settings are invalid (see the Problems of StorefrontDeliveryOptions).")
            .ValidateOnStart();
        services.AddHttpClient(StorefrontHttpClient, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
        services.TryAddSingleton<DeliverySignal>();
        services.TryAddSingleton<INotificationOutbox, SqliteNotificationOutbox>();
        services.TryAddSingleton(sp => new EmbeddedNotifications(sp.GetRequiredService<RuntimeStore>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<DeliverySignal>()));
        services.TryAddSingleton<INotificationEndpoints>(sp => sp.GetRequiredService<EmbeddedNotifications>());
        services.TryAddSingleton(sp => new StorefrontDeliverer(
            sp.GetRequiredService<INotificationOutbox>(),
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(StorefrontHttpClient),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<StorefrontDeliveryOptions>>().Value));
        services.TryAddSingleton<StorefrontNotifier>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<IOptions<RuntimeOptions>>().Value.DispatcherEnabled
            ? sp.GetRequiredService<StorefrontNotifier>()
            : new NoDispatcher());
        services.TryAddSingleton<RuntimeDispatcher>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<IOptions<RuntimeOptions>>().Value.DispatcherEnabled
            ? sp.GetRequiredService<RuntimeDispatcher>()
            : new NoDispatcher());
        return services;
    }

    /// <summary>The name of the HTTP client that delivers storefront events (no retry handler: the outbox retries).</summary>
    public const string StorefrontHttpClient = "storefront-notifications";

    /// <summary>Stands in for the dispatcher in a client-only process.</summary>
    private sealed class NoDispatcher : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
