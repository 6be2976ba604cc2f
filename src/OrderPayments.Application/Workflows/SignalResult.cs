namespace OrderPayments.Application.Workflows;

/// <summary>What raising a signal did.</summary>
public enum SignalResult
{
    /// <summary>Recorded; it will be applied in order (for a repeat: recorded before and not applied yet).</summary>
    Accepted = 1,

    /// <summary>Recorded before and already applied; nothing new happened.</summary>
    Applied = 2,

    /// <summary>
    /// Refused: the order's state refuses it now (nothing recorded), or, for a repeat, the workflow refused it when it
    /// applied it (the same reason every time it is asked again).
    /// </summary>
    Rejected = 3,

    /// <summary>There is no such order.</summary>
    NotFound = 4,
}
