namespace OrderPayments.Application.Storefront;

/// <summary>The event types a storefront is told about (stable names; types are only ever added).</summary>
public static class StorefrontEventTypes
{
    /// <summary>The provider created the payment; <c>redirectUrl</c> is where to send the customer (none for push messages).</summary>
    public const string PaymentReady = "payment.ready";

    /// <summary>The customer authorized the payment: the amount is reserved.</summary>
    public const string PaymentAuthorized = "payment.authorized";

    /// <summary>Money was captured (<c>amount</c>; the shipments it was for in <c>shipmentIds</c>).</summary>
    public const string PaymentCaptured = "payment.captured";

    /// <summary>The payment was cancelled or what was left of the reservation was released (<c>amount</c> released).</summary>
    public const string PaymentCancelled = "payment.cancelled";

    /// <summary>Money was paid back (<c>amount</c>; the refunds in <c>refundIds</c>).</summary>
    public const string PaymentRefunded = "payment.refunded";

    /// <summary>The customer did not pay (rejected, aborted, expired, or the authorization deadline passed).</summary>
    public const string PaymentUnpaid = "payment.unpaid";

    /// <summary>The payment could not be made (the provider refused to create it).</summary>
    public const string PaymentFailed = "payment.failed";

    /// <summary>A provider call failed permanently; a person should look (<c>problem</c>).</summary>
    public const string PaymentNeedsAttention = "payment.needs_attention";

    /// <summary>The refund window closed: nothing more will happen to the order.</summary>
    public const string PaymentCompleted = "payment.completed";

    /// <summary>A shipment, refund, cancellation or new attempt that was accepted was refused when applied (<c>rejection</c>).</summary>
    public const string SignalRejected = "signal.rejected";

    /// <summary>A test event sent on request to one endpoint.</summary>
    public const string Test = "test";

    /// <summary>Every type an endpoint may filter on.</summary>
    public static IReadOnlyList<string> All { get; } =
        [PaymentReady, PaymentAuthorized, PaymentCaptured, PaymentCancelled, PaymentRefunded, PaymentUnpaid, PaymentFailed, PaymentNeedsAttention, PaymentCompleted, SignalRejected];
}
