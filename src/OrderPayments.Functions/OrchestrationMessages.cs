using System.Text.Json;
using OrderPayments.Domain;
using OrderPayments.Domain.Serialization;
using OrderPayments.Domain.Workflow;
using OrderPayments.Functions.Signals;

namespace OrderPayments.Functions;

/// <summary>
/// What the orchestrator carries from one generation to the next (<c>ContinueAsNew</c>): the workflow state and the
/// outcomes of signals applied since the inbox was last drained. Exchanged as JSON text (<see cref="OrderPaymentsJson"/>),
/// so the Durable Task serializer never has to know the workflow's polymorphic types.
/// </summary>
/// <param name="Request">The start request (first generation only).</param>
/// <param name="State">The state (later generations).</param>
/// <param name="Version">Steps taken in earlier generations.</param>
/// <param name="Applied">Outcomes of applied signals not yet recorded in the inbox (the next drain records them).</param>
/// <param name="By">Who asked for the start (first generation only), named in the history.</param>
/// <param name="Notify">Record storefront events of this order's steps (fixed at its start, so a replay never differs).</param>
internal sealed record OrchestratorInput(PaymentRequest? Request, OrderPaymentState? State, long Version = 0, IReadOnlyList<AppliedSignal>? Applied = null, string? By = null, bool Notify = false)
{
    public string ToJson() => JsonSerializer.Serialize(this, OrderPaymentsJson.Options);

    public static OrchestratorInput FromJson(string json) =>
        JsonSerializer.Deserialize<OrchestratorInput>(json, OrderPaymentsJson.Options) ?? throw new JsonException("The orchestrator input is empty.");
}

/// <summary>A signal for an order, as recorded in its inbox (<see cref="Signals.ISignalInbox"/>).</summary>
/// <param name="Signal">The workflow input.</param>
/// <param name="DedupeKey">The signal's identity: the same key again is applied once.</param>
internal sealed record SignalEnvelope(WorkflowInput Signal, string DedupeKey);

/// <summary>The input of an activity: which provider, which call.</summary>
/// <param name="Provider">The order's provider.</param>
/// <param name="Action">The call, with the workflow's idempotency key.</param>
internal sealed record ActivityRequest(PaymentProvider Provider, WorkflowAction Action)
{
    public string ToJson() => JsonSerializer.Serialize(this, OrderPaymentsJson.Options);

    public static ActivityRequest FromJson(string json) =>
        JsonSerializer.Deserialize<ActivityRequest>(json, OrderPaymentsJson.Options) ?? throw new JsonException("The activity input is empty.");
}

/// <summary>
/// The order's state as published in the orchestration's custom status (at most 16 KB): the workflow state with as
/// much of the newest history as fits, the step count, and when it was set.
/// </summary>
/// <param name="State">The state (history possibly trimmed to its newest entries).</param>
/// <param name="Version">Steps taken so far.</param>
/// <param name="UpdatedAt">The orchestration time of the last step.</param>
internal sealed record PublishedStatus(OrderPaymentState State, long Version, DateTimeOffset UpdatedAt)
{
    /// <summary>
    /// The custom status limit is 16 KB of UTF-16 text (8,192 characters) for the value as the framework serializes it,
    /// i.e. this JSON text once more as a JSON string (quotes escaped); stay below it.
    /// </summary>
    public const int MaxChars = 7_500;

    public static string Create(OrderPaymentState state, long version, DateTimeOffset updatedAt)
    {
        var published = new PublishedStatus(state, version, updatedAt);
        var json = JsonSerializer.Serialize(published, OrderPaymentsJson.Options);
        while (JsonSerializer.Serialize(json).Length > MaxChars && published.State.History.Count > 0)
        {
            var keep = published.State.History.Count / 2;
            var dropped = published.State.History.Count - keep;
            published = published with
            {
                State = published.State with
                {
                    History = published.State.History.RemoveRange(0, dropped),
                    HistoryDropped = published.State.HistoryDropped + dropped,
                },
            };
            json = JsonSerializer.Serialize(published, OrderPaymentsJson.Options);
        }

        return json;
    }

    public static PublishedStatus FromJson(string json) =>
        JsonSerializer.Deserialize<PublishedStatus>(json, OrderPaymentsJson.Options) ?? throw new JsonException("The published status is empty.");
}

/// <summary>Names shared by the orchestrator, the activities and the clients.</summary>
internal static class OrchestrationNames
{
    public const string Orchestrator = "OrderPaymentOrchestrator";

    /// <summary>The doorbell: raised after a signal is recorded in the order's inbox (its payload, the dedupe key, is informative only).</summary>
    public const string SignalEvent = "signal";

    /// <summary>The activity that records applied signals' outcomes and answers those still to apply.</summary>
    public const string DrainSignals = nameof(SignalInboxFunctions.DrainSignals);

    /// <summary>The activity that records a step's storefront events (<see cref="Notifications.StorefrontFunctions"/>).</summary>
    public const string RecordStorefrontEvents = "RecordStorefrontEvents";

    public const string NotificationsQueue = "payment-notifications";

    /// <summary>The fulfillment system's shipments (the contract both hosts read: <see cref="Application.Queues.FulfillmentMessage"/>).</summary>
    public const string FulfillmentsQueue = Application.Queues.FulfillmentMessage.DefaultQueueName;

    /// <summary>Every provider-call activity (one per action kind).</summary>
    public static IReadOnlyList<string> PaymentActivities { get; } =
    [
        nameof(PaymentActivityFunctions.CreatePayment),
        nameof(PaymentActivityFunctions.QueryPayment),
        nameof(PaymentActivityFunctions.CapturePayment),
        nameof(PaymentActivityFunctions.CancelPayment),
        nameof(PaymentActivityFunctions.RefundPayment),
        nameof(PaymentActivityFunctions.AbortPayment),
    ];

    /// <summary>The activity for an action.</summary>
    public static string Activity(WorkflowAction action) => action switch
    {
        CreatePayment => nameof(PaymentActivityFunctions.CreatePayment),
        QueryPayment => nameof(PaymentActivityFunctions.QueryPayment),
        CapturePayment => nameof(PaymentActivityFunctions.CapturePayment),
        CancelPayment => nameof(PaymentActivityFunctions.CancelPayment),
        RefundPayment => nameof(PaymentActivityFunctions.RefundPayment),
        AbortPayment => nameof(PaymentActivityFunctions.AbortPayment),
        _ => throw new ArgumentException($"No activity for {action.GetType().Name}.", nameof(action)),
    };
}
