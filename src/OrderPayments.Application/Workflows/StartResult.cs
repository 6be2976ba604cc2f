namespace OrderPayments.Application.Workflows;

/// <summary>What starting an order's payment did.</summary>
public enum StartResult
{
    /// <summary>A new workflow was started.</summary>
    Started = 1,

    /// <summary>The same request was started before; nothing new happened.</summary>
    AlreadyStarted = 2,

    /// <summary>The order exists with a different request; nothing changed.</summary>
    Conflict = 3,

    /// <summary>The request is invalid; nothing changed.</summary>
    Invalid = 4,
}
