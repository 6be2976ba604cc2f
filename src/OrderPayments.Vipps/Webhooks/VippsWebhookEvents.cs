namespace OrderPayments.Vipps.Webhooks;

/// <summary>The ePayment webhook event types.</summary>
public static class VippsWebhookEvents
{
    /// <summary>Every ePayment event this project listens to.</summary>
    public static IReadOnlyList<string> AllPaymentEvents { get; } =
    [
        "epayments.payment.created.v1",
        "epayments.payment.aborted.v1",
        "epayments.payment.expired.v1",
        "epayments.payment.cancelled.v1",
        "epayments.payment.captured.v1",
        "epayments.payment.refunded.v1",
        "epayments.payment.authorized.v1",
        "epayments.payment.terminated.v1",
    ];
}
