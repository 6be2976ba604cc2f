namespace OrderPayments.Api.Queues;

/// <summary>
/// What the queue intake puts on the poison queue (<c>&lt;queue&gt;-poison</c>) for a message it gives up on, as JSON
/// (camelCase) in the queue's encoding; the message is then deleted from its queue. Nothing of it was recorded for the
/// order. To try again, put <see cref="Message"/> back on the queue.
/// </summary>
/// <param name="Queue">The queue the message came from.</param>
/// <param name="MessageId">The queue's id of the message.</param>
/// <param name="Message">The message as it was sent (decoded; as received when it could not be decoded).</param>
/// <param name="Reason">Why it was given up on: why it is malformed, or the problem's detail the order answered with (not found, refused).</param>
/// <param name="DequeueCount">How often the queue had handed it out, the last time included.</param>
/// <param name="InsertedAt">When it was put on the queue, when the queue said.</param>
/// <param name="FailedAt">When it was given up on.</param>
public sealed record PoisonEnvelope(
    string Queue,
    string MessageId,
    string Message,
    string Reason,
    long DequeueCount,
    DateTimeOffset? InsertedAt,
    DateTimeOffset FailedAt);
