namespace OrderPayments.Http;

/// <summary>
/// The resilience settings every provider client has (bound from its own section, e.g. <c>Vipps:MaxRetryAttempts</c>,
/// <c>PayEx:MaxRetryAttempts</c>): timeouts, retries with back-off, the circuit breaker, and the rate limit per payment
/// reference.
/// </summary>
public abstract class HttpResilienceOptions
{
    /// <summary>How long one HTTP attempt may take (default 10 s).</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a call may take in all, retries included (default 60 s); the interpreter retries longer outages durably.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Retries after the first attempt for transient failures (default 3).</summary>
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>The first retry delay; later ones double, with jitter (default 500 ms).</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest wait between attempts, also for a <c>Retry-After</c> (default 30 s).</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The circuit opens when this share of calls fails in the sampling window (default 0.5).</summary>
    public double CircuitBreakerFailureRatio { get; set; } = 0.5;

    /// <summary>The fewest calls in the window before the circuit may open (default 20).</summary>
    public int CircuitBreakerMinimumThroughput { get; set; } = 20;

    /// <summary>The circuit breaker's sampling window (default 30 s).</summary>
    public TimeSpan CircuitBreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the circuit stays open before a trial call (default 15 s).</summary>
    public TimeSpan CircuitBreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// The limit on calls per payment reference, and the pause after a provider's <c>429</c> (<c>{Section}:RateLimits:…</c>).
    /// By default no limit, only the pause; a provider that documents limits sets its own defaults.
    /// </summary>
    public virtual ProviderRateLimitOptions RateLimits { get; set; } = new();

    /// <summary>Each resilience setting that is out of range, with the rule it breaks (empty when all are valid).</summary>
    public IEnumerable<(string Setting, string Rule)> ResilienceProblems()
    {
        if (!(AttemptTimeout > TimeSpan.Zero && AttemptTimeout <= TotalTimeout))
        {
            yield return (nameof(AttemptTimeout), "must be positive and at most TotalTimeout.");
        }

        if (MaxRetryAttempts is < 0 or > 10)
        {
            yield return (nameof(MaxRetryAttempts), "must be 0 to 10.");
        }

        if (!(RetryBaseDelay > TimeSpan.Zero && RetryBaseDelay <= MaxRetryDelay))
        {
            yield return (nameof(RetryBaseDelay), "must be positive and at most MaxRetryDelay.");
        }

        if (CircuitBreakerFailureRatio is <= 0 or > 1)
        {
            yield return (nameof(CircuitBreakerFailureRatio), "must be above 0 and at most 1.");
        }

        if (CircuitBreakerMinimumThroughput < 2)
        {
            yield return (nameof(CircuitBreakerMinimumThroughput), "must be at least 2.");
        }

        if (CircuitBreakerSamplingDuration < TimeSpan.FromMilliseconds(500))
        {
            yield return (nameof(CircuitBreakerSamplingDuration), "must be at least 500 ms.");
        }

        if (CircuitBreakerBreakDuration < TimeSpan.FromMilliseconds(500))
        {
            yield return (nameof(CircuitBreakerBreakDuration), "must be at least 500 ms.");
        }

        if (RateLimits is null)
        {
            yield return (nameof(RateLimits), "is required.");
            yield break;
        }

        foreach (var (setting, rule) in RateLimits.Problems())
        {
            yield return ($"{nameof(RateLimits)}:{setting}", rule);
        }
    }
}
