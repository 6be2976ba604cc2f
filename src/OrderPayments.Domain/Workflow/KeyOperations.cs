namespace OrderPayments.Domain.Workflow;

/// <summary>The operation names inside derived idempotency keys: one place, never repeated literals.</summary>
public static class KeyOperations
{
    /// <summary>Create payment.</summary>
    public const string Create = "create";

    /// <summary>Query payment.</summary>
    public const string Query = "query";

    /// <summary>Capture.</summary>
    public const string Capture = "capture";

    /// <summary>Cancel (the current attempt).</summary>
    public const string Cancel = "cancel";

    /// <summary>Refund.</summary>
    public const string Refund = "refund";

    /// <summary>Abort (PayEx, before authorization).</summary>
    public const string Abort = "abort";

    /// <summary>Cancel that releases a reservation left behind by an earlier attempt.</summary>
    public const string Release = "release";
}
