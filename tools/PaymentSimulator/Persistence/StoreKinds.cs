namespace PaymentSimulator.Persistence;

/// <summary>The kinds of rows the simulator stores, and the names of its counters.</summary>
internal static class StoreKinds
{
    /// <summary>A Vipps ePayment payment with its events (key: reference).</summary>
    public const string VippsPayment = "vipps.payment";

    /// <summary>The first answer to a Vipps request with an idempotency key (key: the idempotency key).</summary>
    public const string VippsIdempotency = "vipps.idempotency";

    /// <summary>An access token and when it expires (key: the token).</summary>
    public const string VippsToken = "vipps.token";

    /// <summary>A Webhooks API registration with its secret (key: its id).</summary>
    public const string WebhookRegistration = "webhook.registration";

    /// <summary>A PayEx payment with its transactions (key: its id).</summary>
    public const string PayExPayment = "payex.payment";

    /// <summary>A counter the simulator numbers things with (key: its name), so that a restarted one never reuses a number.</summary>
    public const string Counter = "counter";
}
