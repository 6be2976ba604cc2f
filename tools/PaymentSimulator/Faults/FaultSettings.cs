namespace PaymentSimulator.Faults;

/// <summary>
/// What to break, set per run (<c>Simulator:Faults</c>) or at run time (<c>POST {base}/control/faults</c>, which replaces
/// all of it). Rates are fractions from 0 to 1; everything defaults to off.
/// </summary>
public sealed record FaultSettings
{
    /// <summary>Share of ePayment calls answered with one of <see cref="ErrorStatuses"/> without being applied.</summary>
    public double ErrorRate { get; init; }

    /// <summary>The statuses used for <see cref="ErrorRate"/> (default 500, 502, 503).</summary>
    public IReadOnlyList<int> ErrorStatuses { get; init; } = [500, 502, 503];

    /// <summary>The next this-many ePayment calls are answered 429 with <see cref="RetryAfterSeconds"/> (a burst).</summary>
    public int TooManyRequests { get; init; }

    /// <summary>The <c>Retry-After</c> of the 429 answers, in seconds (default 1).</summary>
    public int RetryAfterSeconds { get; init; } = 1;

    /// <summary>Added latency for every ePayment call, in milliseconds.</summary>
    public int LatencyMilliseconds { get; init; }

    /// <summary>Share of successful mutating calls whose connection is dropped after the operation was applied.</summary>
    public double DropAfterApplyRate { get; init; }

    /// <summary>Share of webhook deliveries silently dropped.</summary>
    public double WebhookDropRate { get; init; }

    /// <summary>Share of webhook events delivered twice.</summary>
    public double WebhookDuplicateRate { get; init; }

    /// <summary>Delay before a webhook event is first delivered, in seconds of simulator time.</summary>
    public double WebhookDelaySeconds { get; init; }

    /// <summary>Share of webhook events queued before the previous event of the same payment (out of order).</summary>
    public double WebhookReorderRate { get; init; }

    /// <summary>Seed of the fault dice, so a run can be repeated.</summary>
    public int Seed { get; init; } = 1;
}
