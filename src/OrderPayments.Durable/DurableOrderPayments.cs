using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderPayments.Application.Http;
using OrderPayments.Application.Notifications;
using OrderPayments.Application.Payments;
using OrderPayments.Application.Storefront;
using OrderPayments.Application.Workflows;
using OrderPayments.Domain.Workflow;
using OrderPayments.Durable.Orchestration;

namespace OrderPayments.Durable;

/// <summary>
/// The Durable interpreter, as every host binds it (the Functions app's function classes, the engine tests, the
/// benchmark): the orchestration, its activities, the workflow client and the shared request handlers over a host's
/// <see cref="DurableTaskClient"/>, the storefront deliverer, the purge of finished orders. Registered by
/// <see cref="DurableServiceCollectionExtensions.AddOrderPaymentsDurable"/>; created by the container.
/// </summary>
public sealed class DurableOrderPayments
{
    private readonly OrderPaymentWorkflow _workflow;
    private readonly ActivityRetryPolicy _retries;
    private readonly SignalDoor _door;
    private readonly TimeProvider _time;
    private readonly DurableOptions _options;
    private readonly IEnumerable<IPaymentProvider> _providers;
    private readonly StatusWaits _waits;

    /// <summary>Creates the interpreter over the shared workflow, retry policy, providers and the app's tables.</summary>
    public DurableOrderPayments(
        OrderPaymentWorkflow workflow,
        ActivityRetryPolicy retries,
        PaymentActivities activities,
        DurableStorage storage,
        IEnumerable<IProviderNotifications> notifications,
        IEnumerable<IPaymentProvider> providers,
        TimeProvider time,
        IOptions<DurableOptions> options,
        IOptions<StorefrontDeliveryOptions> delivery,
        IHttpClientFactory http,
        ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(delivery);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(loggers);
        _workflow = workflow;
        _retries = retries;
        _time = time;
        _options = options.Value;
        _providers = providers;
        _door = new SignalDoor(workflow, time);
        // The long polls of this worker instance (each instance bounds its own).
        _waits = new StatusWaits(StatusWaits.DefaultCapacity, time);
        Storage = storage;
        Notifications = notifications;
        Activities = new DurableActivities(activities, retries, storage, _options, loggers.CreateLogger<DurableActivities>());
        Purger = new OrderPurger(storage, _options, time, loggers.CreateLogger<OrderPurger>());
        Deliverer = new StorefrontDeliverer(storage.Outbox, http.CreateClient(StorefrontHttpClientName), time, delivery.Value);
    }

    /// <summary>The name of the HTTP client that delivers storefront events (no retry handler: the outbox retries).</summary>
    public const string StorefrontHttpClientName = "storefront-notifications";

    /// <summary>The providers' notification readers (verify, then translate).</summary>
    public IEnumerable<IProviderNotifications> Notifications { get; }

    /// <summary>The orchestration's activities.</summary>
    public DurableActivities Activities { get; }

    /// <summary>The purge of finished orders past their retention.</summary>
    public OrderPurger Purger { get; }

    /// <summary>Delivers the storefront events the orchestrations recorded (the timer's work).</summary>
    public StorefrontDeliverer Deliverer { get; }

    /// <summary>The interpreter's tables.</summary>
    public DurableStorage Storage { get; }

    /// <summary>Runs one order's orchestration (see <see cref="OrderPaymentOrchestration"/>).</summary>
    public Task<string> RunOrchestrationAsync(TaskOrchestrationContext context) => OrderPaymentOrchestration.RunAsync(context, _workflow, _retries);

    /// <summary>The workflow client over <paramref name="client"/>.</summary>
    public DurableOrderPaymentClient Client(DurableTaskClient client) => new(client, _workflow, _door, Storage, _time, _options.RecordStorefrontEvents);

    /// <summary>The shared request handlers over <paramref name="client"/>; a start waits up to <paramref name="startWait"/> for the redirect URL.</summary>
    public OrderPaymentRequests Requests(DurableTaskClient client, TimeSpan startWait) =>
        new(Client(client), Notifications, _providers.Select(p => p.Provider), startWait, _waits);
}
