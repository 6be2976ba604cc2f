using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace OrderPayments.Domain.Workflow;

/// <summary>
/// Everything the workflow knows about one order's payment. Produced only by <see cref="OrderPaymentWorkflow"/>;
/// interpreters persist it as JSON (<see cref="Serialization.OrderPaymentsJson"/>) and hand it back unchanged.
/// Fields are only ever added, with defaults, so in-flight orders survive upgrades.
/// </summary>
public sealed record OrderPaymentState
{
    /// <summary>What the storefront asked for.</summary>
    public required PaymentRequest Request { get; init; }

    /// <summary>Where the payment stands.</summary>
    public required PaymentStatus Status { get; init; }

    /// <summary>The current attempt, from 1.</summary>
    public int Attempt { get; init; } = 1;

    /// <summary>The current attempt's payment reference.</summary>
    public required PaymentReference Reference { get; init; }

    /// <summary>When the order's payment was started.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>When the current attempt was started.</summary>
    public required DateTimeOffset AttemptStartedAt { get; init; }

    /// <summary>Where to send the customer, once the provider has created the payment (none for push messages).</summary>
    public string? RedirectUrl { get; init; }

    /// <summary>The provider's state of the current attempt, as last observed; only moves forward.</summary>
    public ProviderPaymentState ProviderState { get; init; } = ProviderPaymentState.Created;

    /// <summary>The provider's totals for the current attempt, as observed; each only increases.</summary>
    public required PaymentAggregate Aggregate { get; init; }

    /// <summary>Actions emitted whose outcome has not come back yet.</summary>
    public ImmutableList<WorkflowAction> InFlight { get; init; } = [];

    /// <summary>The last sequence number used per key operation (see <see cref="KeyOperations"/>), across attempts.</summary>
    public ImmutableSortedDictionary<string, int> Sequences { get; init; } = ImmutableSortedDictionary<string, int>.Empty;

    /// <summary>The storefront asked to cancel; the workflow cancels as soon as it safely can.</summary>
    public bool CancelRequested { get; init; }

    /// <summary>The current attempt's cancel (or abort) before authorization was issued.</summary>
    public bool PreAuthorizationCancelIssued { get; init; }

    /// <summary>The release of the remaining reservation was issued.</summary>
    public bool ReleaseIssued { get; init; }

    /// <summary>A query is wanted as soon as none is in flight (a hint came, or a cancel needs confirming).</summary>
    public bool QueryWanted { get; init; }

    /// <summary>When the last query of the current attempt was issued.</summary>
    public DateTimeOffset? LastQueryIssuedAt { get; init; }

    /// <summary>
    /// Payments (this attempt's or an earlier one's) a notification asked to read and that are not read yet, oldest
    /// first, each at most once: however many hints arrive, they coalesce into one pending read per payment.
    /// </summary>
    public ImmutableList<PaymentReference> HintedReferences { get; init; } = [];

    /// <summary>When the last read prompted by a notification was issued (any attempt); see <see cref="WorkflowOptions.MinHintQueryInterval"/>.</summary>
    public DateTimeOffset? LastHintQueryAt { get; init; }

    /// <summary>When the next poll is due, while waiting for the customer.</summary>
    public DateTimeOffset? NextPollAt { get; init; }

    /// <summary>The current poll interval (grows by the backoff factor).</summary>
    public TimeSpan PollInterval { get; init; }

    /// <summary>When the workflow stops waiting for the customer and cancels on its own.</summary>
    public DateTimeOffset? AuthorizationDeadline { get; init; }

    /// <summary>When the authorization was first seen.</summary>
    public DateTimeOffset? AuthorizedAt { get; init; }

    /// <summary>When the reservation is released if not fully captured by then.</summary>
    public DateTimeOffset? FulfillmentDeadline { get; init; }

    /// <summary>When a capture was first seen.</summary>
    public DateTimeOffset? FirstCapturedAt { get; init; }

    /// <summary>When refunds stop being accepted and the order completes.</summary>
    public DateTimeOffset? RefundWindowClosesAt { get; init; }

    /// <summary>Shipments signalled and their captures.</summary>
    public ImmutableList<ShipmentRecord> Shipments { get; init; } = [];

    /// <summary>Refunds requested.</summary>
    public ImmutableList<RefundRecord> Refunds { get; init; } = [];

    /// <summary>The ids of new-attempt requests already acted on.</summary>
    public ImmutableList<string> AttemptRequestIds { get; init; } = [];

    /// <summary>The provider's own payment ids by payment reference, for providers that assign one (PayEx).</summary>
    public ImmutableSortedDictionary<string, string> ProviderPaymentIds { get; init; } = ImmutableSortedDictionary<string, string>.Empty;

    /// <summary>References of earlier attempts whose leftover reservation the workflow released.</summary>
    public ImmutableList<PaymentReference> ReleasedReferences { get; init; } = [];

    /// <summary>
    /// Provider calls that failed permanently, oldest first; never dropped. A failed read is not permanent (the next
    /// poll or notification reads again): it is recorded once per attempt and does not make the order need attention.
    /// </summary>
    public ImmutableList<PaymentProblem> Problems { get; init; } = [];

    /// <summary>Inputs and decisions, oldest first (at most <see cref="WorkflowOptions.MaxHistoryEntries"/>).</summary>
    public ImmutableList<HistoryEntry> History { get; init; } = [];

    /// <summary>How many of the oldest history entries were dropped to keep the history bounded.</summary>
    public int HistoryDropped { get; init; }

    /// <summary>When the workflow wants <see cref="WokenUp"/> if nothing else happens; null for never.</summary>
    public DateTimeOffset? WakeAt { get; init; }

    /// <summary>The order id (also the workflow instance id).</summary>
    [JsonIgnore]
    public OrderId OrderId => Request.OrderId;

    /// <summary>Whether the order can no longer change status (<see cref="PaymentStatus.Cancelled"/> or <see cref="PaymentStatus.Completed"/>).</summary>
    [JsonIgnore]
    public bool IsFinal => Status is PaymentStatus.Cancelled or PaymentStatus.Completed;

    /// <summary>Whether a provider call (other than a read) of the current attempt failed permanently and a person should look.</summary>
    [JsonIgnore]
    public bool NeedsAttention => !IsFinal && Problems.Exists(p => p.Attempt == Attempt && p.Action != ActionKind.Query);

    /// <summary>Captures asked for whose outcome has not come back.</summary>
    [JsonIgnore]
    public Money PendingCaptures => Sum(Shipments.Where(s => s.Outcome == OperationOutcome.Pending).Select(s => s.Amount));

    /// <summary>Refunds asked for whose outcome has not come back.</summary>
    [JsonIgnore]
    public Money PendingRefunds => Sum(Refunds.Where(r => r.Outcome == OperationOutcome.Pending).Select(r => r.Amount));

    /// <summary>What a new capture may take: the remaining reservation less captures in flight.</summary>
    [JsonIgnore]
    public Money Capturable => Status == PaymentStatus.Authorized && Aggregate.Remaining >= PendingCaptures
        ? Aggregate.Remaining - PendingCaptures
        : Money.Zero(Request.Amount.Currency);

    /// <summary>What a new refund may take: captured less refunded less refunds in flight.</summary>
    [JsonIgnore]
    public Money Refundable => Aggregate.Captured - Aggregate.Refunded >= PendingRefunds
        ? Aggregate.Captured - Aggregate.Refunded - PendingRefunds
        : Money.Zero(Request.Amount.Currency);

    private Money Sum(IEnumerable<Money> amounts) =>
        amounts.Aggregate(Money.Zero(Request.Amount.Currency), (total, amount) => total + amount);
}
