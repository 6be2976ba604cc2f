namespace OrderPayments.Application.Workflows;

/// <summary>What <see cref="ISignalInbox.AddAsync"/> did.</summary>
public enum InboxAddResult
{
    /// <summary>Recorded; the interpreter will apply it after every signal recorded before it.</summary>
    Added = 1,

    /// <summary>A signal with the same dedupe key was recorded meanwhile; nothing was recorded.</summary>
    Duplicate = 2,

    /// <summary>The order has ended and its inbox is closed; nothing was recorded.</summary>
    Closed = 3,

    /// <summary>
    /// Another signal was recorded for the order since the inbox was read; nothing was recorded. The door admits the
    /// signal again against the inbox as it is now (the first recorded wins), as a serialized store would have.
    /// </summary>
    Contended = 4,
}
