using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;

namespace OrderPayments.Functions.Tests.Hosting;

/// <summary>What the queue trigger did with one message.</summary>
internal enum QueueDelivery
{
    /// <summary>The function returned: the message was deleted.</summary>
    Completed,

    /// <summary>The function threw with attempts left: the message was made visible again for the next attempt.</summary>
    Released,

    /// <summary>The message had used its attempts: copied to <c>&lt;queue&gt;-poison</c> and deleted from the queue.</summary>
    Poisoned,
}

/// <summary>One message's turn through the trigger.</summary>
/// <param name="MessageId">The queue's id of the message.</param>
/// <param name="DequeueCount">How often the queue had handed the message out, this time included.</param>
/// <param name="Delivery">What was done with it.</param>
/// <param name="Failure">What the function threw (null when it returned, or when it was not invoked).</param>
internal sealed record QueueTriggerResult(string MessageId, long DequeueCount, QueueDelivery Delivery, Exception? Failure);

/// <summary>
/// Plays the Azure Functions host's queue trigger for one queue, because the Functions host itself cannot run in the
/// tests: real messages through the real <see cref="QueueClient"/> (Azurite), and the function method invoked with the
/// message text, with what the host's queue processor (Microsoft.Azure.WebJobs.Extensions.Storage.Queues) does around it:
/// <list type="bullet">
/// <item>a message is received with a visibility timeout (hidden from other receivers while the function runs);</item>
/// <item>a message already handed out more than <c>maxDequeueCount</c> times (a worker died with it) is moved to the
/// poison queue without running the function;</item>
/// <item>the function returns: the message is deleted;</item>
/// <item>the function throws: the message is left in the queue, visible again after host.json's
/// <c>visibilityTimeout</c> (default zero), unless this was its <c>maxDequeueCount</c>-th delivery: then it is copied to
/// <c>&lt;queue&gt;-poison</c> (created when missing) and deleted.</item>
/// </list>
/// <c>maxDequeueCount</c>, <c>visibilityTimeout</c> and <c>messageEncoding</c> are read from the repository's host.json
/// (<c>extensions.queues</c>), with the host's defaults (5, zero, base64) for those it does not set; messages are
/// encoded the way the host (and the app's queue output binding) encodes them. Simplifications: one message at a time
/// (the host runs a batch of <c>batchSize</c> concurrently), and no lease renewal (the visibility timeout outlasts any
/// test invocation).
/// </summary>
internal sealed class QueueTrigger
{
    /// <summary>How long a received message stays hidden while the function runs (the host renews its own).</summary>
    private static readonly TimeSpan ReceiveVisibility = TimeSpan.FromMinutes(1);

    private readonly Func<string, Task> _function;
    private readonly TimeSpan _retryVisibility;

    private QueueTrigger(QueueClient queue, QueueClient poison, Func<string, Task> function, int maxDequeueCount, TimeSpan retryVisibility)
    {
        Queue = queue;
        PoisonQueue = poison;
        _function = function;
        MaxDequeueCount = maxDequeueCount;
        _retryVisibility = retryVisibility;
    }

    /// <summary>The triggering queue.</summary>
    public QueueClient Queue { get; }

    /// <summary><c>&lt;queue&gt;-poison</c>, where messages go after their last failed attempt.</summary>
    public QueueClient PoisonQueue { get; }

    /// <summary>host.json's <c>extensions.queues.maxDequeueCount</c>: the attempts a message gets.</summary>
    public int MaxDequeueCount { get; }

    /// <summary>
    /// The trigger of <paramref name="queueName"/> on <paramref name="connectionString"/>, invoking <paramref name="function"/>
    /// with each message's text. The queue is created, and it and its poison queue start empty (one Azurite serves all
    /// the tests of a class).
    /// </summary>
    public static async Task<QueueTrigger> StartAsync(string connectionString, string queueName, Func<string, Task> function)
    {
        var settings = JsonNode.Parse(
            await File.ReadAllTextAsync(RepositoryFiles.Path("host.json")),
            documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true })?["extensions"]?["queues"];
        var maxDequeueCount = settings?["maxDequeueCount"]?.GetValue<int>() ?? 5;
        var visibility = settings?["visibilityTimeout"]?.GetValue<string>() is { } text ? TimeSpan.Parse(text, CultureInfo.InvariantCulture) : TimeSpan.Zero;
        var encoding = settings?["messageEncoding"]?.GetValue<string>() is { } name && name.Equals("none", StringComparison.OrdinalIgnoreCase)
            ? QueueMessageEncoding.None
            : QueueMessageEncoding.Base64;
        var options = new QueueClientOptions { MessageEncoding = encoding };
        var queue = new QueueClient(connectionString, queueName, options);
        var poison = new QueueClient(connectionString, queueName + "-poison", options);
        await queue.CreateIfNotExistsAsync();
        await queue.ClearMessagesAsync();
        if (await poison.ExistsAsync())
        {
            await poison.ClearMessagesAsync();
        }

        return new QueueTrigger(queue, poison, function, maxDequeueCount, visibility);
    }

    /// <summary>Puts a message on the queue, as a producer (or the app's output binding) does.</summary>
    public async Task SendAsync(string text) => await Queue.SendMessageAsync(text);

    /// <summary>Receives one visible message and runs it through the trigger; null when none is visible.</summary>
    public async Task<QueueTriggerResult?> ProcessNextAsync()
    {
        if ((await Queue.ReceiveMessageAsync(ReceiveVisibility)).Value is not { } message)
        {
            return null;
        }

        if (message.DequeueCount > MaxDequeueCount)
        {
            await MoveToPoisonAsync(message);
            return new QueueTriggerResult(message.MessageId, message.DequeueCount, QueueDelivery.Poisoned, null);
        }

        try
        {
            await _function(message.MessageText);
        }
#pragma warning disable CA1031 // The trigger's job: any exception the function throws is a failed attempt.
        catch (Exception failure)
#pragma warning restore CA1031
        {
            if (message.DequeueCount >= MaxDequeueCount)
            {
                await MoveToPoisonAsync(message);
                return new QueueTriggerResult(message.MessageId, message.DequeueCount, QueueDelivery.Poisoned, failure);
            }

            await Queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: _retryVisibility);
            return new QueueTriggerResult(message.MessageId, message.DequeueCount, QueueDelivery.Released, failure);
        }

        await Queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
        return new QueueTriggerResult(message.MessageId, message.DequeueCount, QueueDelivery.Completed, null);
    }

    /// <summary>
    /// Runs messages through the trigger until the queue is empty (no message left, visible or not), retries included,
    /// and returns what happened, in order.
    /// </summary>
    /// <exception cref="TimeoutException">The queue was not empty after <paramref name="within"/> (30 s by default).</exception>
    public async Task<IReadOnlyList<QueueTriggerResult>> ProcessAllAsync(TimeSpan? within = null)
    {
        var results = new List<QueueTriggerResult>();
        try
        {
            await Eventually.Holds(
                async () =>
                {
                    if (await ProcessNextAsync() is { } result)
                    {
                        results.Add(result);
                        return false;
                    }

                    return (await Queue.GetPropertiesAsync()).Value.ApproximateMessagesCount == 0;
                },
                $"the queue {Queue.Name} to be empty",
                within ?? TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException exception)
        {
            throw new TimeoutException($"{exception.Message} Deliveries so far: {string.Join(", ", results.Select(r => $"{r.Delivery}#{r.DequeueCount}"))}.", exception);
        }

        return results;
    }

    /// <summary>The texts of the messages in the queue, without receiving them (at most 32).</summary>
    public static async Task<IReadOnlyList<string>> PeekAsync(QueueClient queue) =>
        await queue.ExistsAsync()
            ? [.. (await queue.PeekMessagesAsync(maxMessages: 32)).Value.Select(m => m.MessageText)]
            : [];

    private async Task MoveToPoisonAsync(QueueMessage message)
    {
        await PoisonQueue.CreateIfNotExistsAsync();
        await PoisonQueue.SendMessageAsync(message.MessageText);
        await Queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
    }
}
