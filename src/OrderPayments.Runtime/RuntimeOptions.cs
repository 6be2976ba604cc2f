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

    /// <summary>
    /// The most provider calls in flight at once (default 512). Calls are asynchronous I/O: hundreds in flight cost
    /// little memory and no thread, so a provider that answers in 150 ms does not make orders queue for a slot (with
    /// 32 slots, 1,500 orders at 150 ms ran at 85 orders/s with a start taking 1.4 s; with 512, 155 orders/s and
    /// 0.63 s). The provider's own limits are honoured by its client, not by a small slot count here: its documented
    /// limits per payment reference (e.g. <c>Vipps:RateLimits</c>) and its 429 <c>Retry-After</c>, both as a transient
    /// failure carrying the wait, for which the activity is rescheduled without holding a slot. When slots are short,
    /// mutations go first and queries wait.
    /// </summary>
    public int MaxConcurrentActivities { get; set; } = 512;

    /// <summary>
    /// How many orders' committed states this process keeps parsed (default 1,024; 0 for none), so that status reads
    /// and steps of an order that has not changed since skip parsing its JSON. Bounded whatever the number of orders:
    /// the orders in flight at 400 orders/s are a few hundred; 4,096 added 37 MB to the API's working set with 100,000
    /// orders waiting.
    /// </summary>
    public int StateCacheSize { get; set; } = 1024;

    /// <summary>
    /// How long the dispatcher's ownership of the file lasts without renewal (default 15 s). Another process can
    /// take over only after it lapses, so after a crash dispatch resumes within this time.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How often an idle dispatcher looks for work written by other processes on the same file (default 1 s, wall
    /// clock). Work from this process wakes it at once; this is only the fallback for other writers.
    /// </summary>
    public TimeSpan ExternalWorkPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The first pause before an order whose step failed is tried again (default 1 s; doubles per failure in a row).
    /// A step fails when the order's stored state or a recorded signal cannot be read, or the workflow throws: that
    /// order alone is rolled back and set aside with its fault (visible on its status and in the faults listing);
    /// the other orders of the batch commit.
    /// </summary>
    public TimeSpan StepRetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest pause between tries of an order whose step keeps failing (default 5 min).</summary>
    public TimeSpan StepRetryMaxDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long a finished order (Cancelled or Completed) keeps the runtime's records of it after its last step: its
    /// inbox, step history rows, provider calls, payment references and any fault (default 30 days). Then they are
    /// deleted; the order's row stays, so its status document (with the history its state keeps) still answers.
    /// After that a webhook naming its payment finds no order and is ignored, and a retried signal is decided again
    /// (a finished order absorbs or refuses every input) instead of being answered as a duplicate. An order with a
    /// signal or a provider call still pending is never pruned. <c>00:00:00</c> keeps everything.
    /// </summary>
    public TimeSpan FinishedOrderRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// How long an applied signal is kept, for every order, so that a retry with the same dedupe key is answered as a
    /// duplicate (default 7 days). Older applied signals are deleted; signals not applied yet never are. The trade-off:
    /// a retry that comes later than this is recorded as new and decided again by the workflow, which is idempotent by
    /// shipment, refund and attempt id (a repeated one changes nothing) and takes a provider notification as a hint to
    /// read the payment, so nothing is done twice. <c>00:00:00</c> keeps every signal.
    /// </summary>
    public TimeSpan SignalDedupeWindow { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often an idle dispatcher prunes what the retention settings let go (default 10 min, on the runtime's clock).</summary>
    public TimeSpan PruneInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The most finished orders, or applied signals, deleted in one transaction (default 200), so pruning holds the
    /// file's write lock only briefly; the dispatcher steps due orders between two such transactions.
    /// </summary>
    public int PruneBatchSize { get; set; } = 200;
}
