namespace OrderPayments.Application.Workflows;

/// <summary>What raising a signal did.</summary>
public enum SignalResult
{
    /// <summary>Recorded; it will be applied in order.</summary>
    Accepted = 1,

    /// <summary>A signal with the same dedupe key was recorded before; nothing new happened.</summary>
    Duplicate = 2,

    /// <summary>The order's state refuses it; nothing was recorded.</summary>
    Rejected = 3,

    /// <summary>There is no such order.</summary>
    NotFound = 4,
}
