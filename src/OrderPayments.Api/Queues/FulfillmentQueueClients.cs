using Azure.Storage.Queues;

namespace OrderPayments.Api.Queues;

/// <summary>
/// The queue the intake reads and its poison queue. Bodies travel unencoded through these clients; the intake applies
/// <see cref="FulfillmentQueueOptions.MessageEncoding"/> itself, so that a body that is not valid in that encoding is
/// seen (and poisoned) rather than skipped. Registered once; a registration made before the API's wins.
/// </summary>
/// <param name="Queue">The queue of shipments.</param>
/// <param name="Poison">Its poison queue.</param>
internal sealed record FulfillmentQueueClients(QueueClient Queue, QueueClient Poison)
{
    /// <summary>The client options the intake's clients need (bodies unencoded).</summary>
    public static QueueClientOptions ClientOptions() => new() { MessageEncoding = QueueMessageEncoding.None };

    /// <summary>The clients of <paramref name="options"/>' queue and poison queue.</summary>
    public static FulfillmentQueueClients Create(FulfillmentQueueOptions options) => new(
        new QueueClient(options.ConnectionString, options.QueueName, ClientOptions()),
        new QueueClient(options.ConnectionString, options.PoisonQueueName, ClientOptions()));
}
