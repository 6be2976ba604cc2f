namespace OrderPayments.Http;

/// <summary>
/// A provider client's rate limit per payment reference (<c>Vipps:RateLimits:…</c>, <c>PayEx:RateLimits:…</c>): how
/// many calls of each kind one reference may make in any minute, counted in this process, and whether a provider's
/// <c>429</c> with <c>Retry-After</c> pauses that reference's calls of that kind. A call over the limit, or during a
/// pause, is not sent: it fails as a provider <c>429</c> with <c>Retry-After</c> would, so the interpreter retries the
/// activity when the reference may call again.
/// </summary>
public sealed class ProviderRateLimitOptions
{
    /// <summary>The most a per-minute limit may be set to.</summary>
    public const int MaxPerMinute = 100_000;

    /// <summary>
    /// Whether calls are limited and paused at all (default <see langword="true"/>). <see langword="false"/> sends every
    /// call, and leaves a provider's <c>429</c> to the retries alone.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Create, capture, cancel and refund calls per reference in any minute; 0 for no limit (the default here; Vipps: 5).</summary>
    public int MutationsPerMinute { get; set; }

    /// <summary>Reads of a payment (and its event log) per reference in any minute; 0 for no limit (the default here; Vipps: 120).</summary>
    public int QueriesPerMinute { get; set; }

    /// <summary>Each setting that is out of range, with the rule it breaks (empty when all are valid).</summary>
    public IEnumerable<(string Setting, string Rule)> Problems()
    {
        if (MutationsPerMinute is < 0 or > MaxPerMinute)
        {
            yield return (nameof(MutationsPerMinute), $"must be 0 (no limit) to {MaxPerMinute}.");
        }

        if (QueriesPerMinute is < 0 or > MaxPerMinute)
        {
            yield return (nameof(QueriesPerMinute), $"must be 0 (no limit) to {MaxPerMinute}.");
        }
    }
}
