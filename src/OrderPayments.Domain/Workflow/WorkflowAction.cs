using System.Text.Json.Serialization;

namespace OrderPayments.Domain.Workflow;

/// <summary>
/// A provider call the workflow wants made (an activity). The interpreter runs it with
/// <see cref="Key"/> as the idempotency key, as often as it takes, and reports the outcome as an
/// <see cref="ActivitySucceeded"/> or <see cref="ActivityFailed"/> input carrying the same key.
/// The workflow never emits two different actions with the same key.
/// </summary>
/// <param name="Key">The idempotency key, which also identifies the action's result.</param>
/// <param name="Reference">The payment the call is about.</param>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(CreatePayment), "create")]
[JsonDerivedType(typeof(QueryPayment), "query")]
[JsonDerivedType(typeof(CapturePayment), "capture")]
[JsonDerivedType(typeof(CancelPayment), "cancel")]
[JsonDerivedType(typeof(RefundPayment), "refund")]
[JsonDerivedType(typeof(AbortPayment), "abort")]
public abstract record WorkflowAction(IdempotencyKey Key, PaymentReference Reference)
{
    /// <summary>The operation asked for.</summary>
    [JsonIgnore]
    public abstract ActionKind Kind { get; }

    /// <summary>
    /// The provider's own id of the payment, for providers that assign one at creation (PayEx's payment path); null
    /// for Vipps, whose payment is named by the reference. Filled in by the workflow from what the create returned.
    /// </summary>
    public string? ProviderPaymentId { get; init; }

    /// <summary>Whether the call changes the payment (everything but a query).</summary>
    [JsonIgnore]
    public bool IsMutating => Kind != ActionKind.Query;
}
