namespace OrderPayments.Domain.Workflow;

/// <summary>The workflow's timings and limits. Every default is chosen for Vipps ePayment and documented here.</summary>
public sealed record WorkflowOptions
{
    /// <summary>
    /// Delay from the payment's creation to the first poll. Default 5 s: Vipps' polling guideline says to
    /// start 5 s after create. Webhooks are the primary signal; polls are the fallback.
    /// </summary>
    public TimeSpan FirstPollDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Each poll interval is the previous one times this factor (default 1.5), so thousands of waiting orders
    /// do not hammer the provider: 5 s, 7.5 s, 11.3 s, … up to <see cref="MaxPollInterval"/>.
    /// </summary>
    public double PollBackoffFactor { get; init; } = 1.5;

    /// <summary>The longest interval between polls (default 60 s), so an expiry is seen within a minute.</summary>
    public TimeSpan MaxPollInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long the provider gives the customer to decide (default 10 min, the Vipps window).</summary>
    public TimeSpan CustomerWindow { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Extra wait after <see cref="CustomerWindow"/> before the workflow cancels on its own timer (default 2 min:
    /// two poll intervals, so the provider's own EXPIRED is normally seen first and an approval in the last
    /// second is never cancelled). The cancel then uses <c>cancelTransactionOnly</c> and is followed by a query.
    /// </summary>
    public TimeSpan AuthorizationGrace { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How long after authorization the order waits for fulfillment before releasing the reservation
    /// (default 7 days: card schemes such as Visa release reservations after about 7 days, after which a
    /// capture may fail with "funds unavailable").
    /// </summary>
    public TimeSpan FulfillmentWindow { get; init; } = TimeSpan.FromDays(7);

    /// <summary>How long after the first capture refunds are accepted (default 365 days, the Vipps refund period). Then the order completes.</summary>
    public TimeSpan RefundWindow { get; init; } = TimeSpan.FromDays(365);

    /// <summary>The most history entries kept per order (default 500); older entries are dropped and counted.</summary>
    public int MaxHistoryEntries { get; init; } = 500;

    /// <summary>
    /// The shortest time between two reads of an order's payments prompted by notifications (default 5 s, the
    /// first-poll delay Vipps' polling guideline gives). A webhook or callback is only a hint (PayEx's is not even
    /// signed), so however many arrive, they coalesce: an order has at most one read in flight, and reads prompted by
    /// hints start at least this far apart (its own polls keep their schedule). A hint that arrives sooner is kept as
    /// one pending read, issued when the interval has passed and no read is in flight; further hints add nothing.
    /// </summary>
    public TimeSpan MinHintQueryInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The defaults above.</summary>
    public static WorkflowOptions Default { get; } = new();

    /// <summary>Checks that the options make sense together.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A duration is not positive (the grace may be zero), the factor is below 1, or the history limit is below 10.</exception>
    public WorkflowOptions Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(FirstPollDelay, TimeSpan.Zero, nameof(FirstPollDelay));
        ArgumentOutOfRangeException.ThrowIfLessThan(PollBackoffFactor, 1.0, nameof(PollBackoffFactor));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxPollInterval, FirstPollDelay, nameof(MaxPollInterval));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(CustomerWindow, TimeSpan.Zero, nameof(CustomerWindow));
        ArgumentOutOfRangeException.ThrowIfLessThan(AuthorizationGrace, TimeSpan.Zero, nameof(AuthorizationGrace));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(FulfillmentWindow, TimeSpan.Zero, nameof(FulfillmentWindow));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RefundWindow, TimeSpan.Zero, nameof(RefundWindow));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxHistoryEntries, 10, nameof(MaxHistoryEntries));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(MinHintQueryInterval, TimeSpan.Zero, nameof(MinHintQueryInterval));
        return this;
    }
}
