using Azure.Storage.Queues;
using OrderPayments.Application.Queues;

namespace OrderPayments.Api.Queues;

/// <summary>
/// The intake of shipments from an Azure Storage queue (<c>OrderPayments:FulfillmentQueue</c>), the message contract
/// the Functions app reads too (<see cref="FulfillmentMessage"/>). Off unless <see cref="ConnectionString"/> is set.
/// </summary>
public sealed class FulfillmentQueueOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = ApiOptions.SectionName + ":FulfillmentQueue";

    /// <summary>The most messages one receive may ask for (the queue service's limit).</summary>
    public const int MaxBatchSize = 32;

    /// <summary>The storage account's connection string (a secret: never logged). Empty (the default): no queue intake.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The queue read (default <c>order-fulfillments</c>; created when missing). Its poison queue is <see cref="PoisonQueueName"/>.</summary>
    public string QueueName { get; set; } = FulfillmentMessage.DefaultQueueName;

    /// <summary>
    /// How message bodies are encoded (default <see cref="QueueMessageEncoding.Base64"/>, as the Functions host's queue
    /// trigger reads them; <see cref="QueueMessageEncoding.None"/> for plain text). Poison envelopes are written the same way.
    /// </summary>
    public QueueMessageEncoding MessageEncoding { get; set; } = QueueMessageEncoding.Base64;

    /// <summary>Messages received at once (default 16, at most 32); they are handled one after the other.</summary>
    public int BatchSize { get; set; } = 16;

    /// <summary>
    /// How long a received message stays hidden from other readers (default 5 minutes): longer than handling a batch, so
    /// a message is handed out again only when its reader stopped without deleting it.
    /// </summary>
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The attempts a message gets (default 5): a message whose order is not found or refuses the shipment is retried
    /// until it has been handed out this often, then moved to <see cref="PoisonQueueName"/>. A malformed message goes
    /// there at once; one already handed out more often (its readers stopped while handling it) goes there unread.
    /// </summary>
    public int MaxDequeueCount { get; set; } = 5;

    /// <summary>How long a message that may succeed later (order not found, shipment refused) stays hidden before its next attempt (default 30 s).</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest wait between polls of an empty queue (default 30 s); waits start at 100 ms and double while the queue stays empty.</summary>
    public TimeSpan MaxPollingInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Where messages given up on go, each in a <see cref="PoisonEnvelope"/>: <c>&lt;QueueName&gt;-poison</c> (created when first needed).</summary>
    public string PoisonQueueName => $"{QueueName}-poison";

    /// <summary>Whether the intake runs: a connection string is set.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(ConnectionString);

    /// <summary>
    /// Whether <paramref name="name"/> can be a queue name whose poison queue is one too: 3 to 56 lowercase letters, digits
    /// and hyphens, starting and ending with a letter or digit, no two hyphens in a row.
    /// </summary>
    public static bool IsValidQueueName(string? name) =>
        name is { Length: >= 3 and <= 56 }
        && name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-')
        && name[0] != '-' && name[^1] != '-'
        && !name.Contains("--", StringComparison.Ordinal);
}
