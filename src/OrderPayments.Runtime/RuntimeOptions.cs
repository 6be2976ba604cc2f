namespace OrderPayments.Runtime;

/// <summary>Settings of the embedded runtime (<c>Runtime</c> configuration section).</summary>
public sealed class RuntimeOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Runtime";

    /// <summary>The SQLite file (created if missing). Default <c>orderpayments.db</c> in the working directory.</summary>
    public string DatabasePath { get; set; } = "orderpayments.db";

    /// <summary>Whether this process dispatches (runs workflows and activities). Default true; a client-only process sets false.</summary>
    public bool DispatcherEnabled { get; set; } = true;

    /// <summary>The most order steps committed in one transaction (default 256): fewer fsyncs under load.</summary>
    public int MaxBatchSize { get; set; } = 256;

    /// <summary>The most provider calls in flight at once (default 32).</summary>
    public int MaxConcurrentActivities { get; set; } = 32;

    /// <summary>
    /// How long the dispatcher's ownership of the file lasts without renewal (default 15 s). Another process can
    /// take over only after it lapses, so after a crash dispatch resumes within this time.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The first wait before retrying a transiently failed activity (default 1 s; doubles per attempt).</summary>
    public TimeSpan ActivityRetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between activity retries (default 5 min). Mutations are retried until they get an answer.</summary>
    public TimeSpan ActivityRetryMaxDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// After this many transient failures a query is reported to the workflow as failed (default 10). Mutations are
    /// never given up on: their outcome must be known before the workflow may act on it.
    /// </summary>
    public int MaxQueryAttempts { get; set; } = 10;

    /// <summary>
    /// How often an idle dispatcher looks for work written by other processes on the same file (default 1 s, wall
    /// clock). Work from this process wakes it at once; this is only the fallback for other writers.
    /// </summary>
    public TimeSpan ExternalWorkPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long one provider call may take before it is abandoned and retried (default 2 min).</summary>
    public TimeSpan ActivityTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// The first pause before an order whose step failed is tried again (default 1 s; doubles per failure in a row).
    /// A step fails when the order's stored state or a recorded signal cannot be read, or the workflow throws: that
    /// order alone is rolled back and set aside with its fault (visible on its status and in the faults listing);
    /// the other orders of the batch commit.
    /// </summary>
    public TimeSpan StepRetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest pause between tries of an order whose step keeps failing (default 5 min).</summary>
    public TimeSpan StepRetryMaxDelay { get; set; } = TimeSpan.FromMinutes(5);
}
