namespace OrderPayments.Application.Payments;

/// <summary>
/// How every interpreter retries a provider call that failed transiently (<c>ActivityRetry</c> configuration section,
/// read by the embedded runtime and by the Durable orchestration alike; see <see cref="ActivityRetryPolicy"/>).
/// </summary>
public sealed class ActivityRetryOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "ActivityRetry";

    /// <summary>The error code a query reports to the workflow when its attempts are spent.</summary>
    public const string ExhaustedErrorCode = "retries-exhausted";

    /// <summary>The first wait before a transiently failed call is made again (default 1 s; doubles per attempt).</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between attempts (default 5 min). A provider's <c>Retry-After</c> that is longer wins.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// After this many transient failures a query is reported to the workflow as failed with
    /// <see cref="ExhaustedErrorCode"/> (default 10): the workflow reads again on its next poll or hint. Mutations are
    /// never given up on: their outcome must be known before the workflow may act on it.
    /// </summary>
    public int MaxQueryAttempts { get; set; } = 10;

    /// <summary>How long one attempt may take before it is abandoned and counted as a transient failure (default 2 min).</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>What is wrong with these settings (empty when they are usable).</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (BaseDelay <= TimeSpan.Zero || BaseDelay > MaxDelay)
        {
            problems.Add($"{SectionName}:BaseDelay must be positive and at most {SectionName}:MaxDelay.");
        }

        if (MaxQueryAttempts < 1)
        {
            problems.Add($"{SectionName}:MaxQueryAttempts must be at least 1.");
        }

        if (AttemptTimeout <= TimeSpan.Zero)
        {
            problems.Add($"{SectionName}:AttemptTimeout must be positive.");
        }

        return problems;
    }
}
