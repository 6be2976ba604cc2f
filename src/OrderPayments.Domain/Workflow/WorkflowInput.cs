using System.Text.Json.Serialization;

namespace OrderPayments.Domain.Workflow;

/// <summary>
/// Something that happened to an order: a provider observation or hint, an activity's outcome, a signal
/// from the storefront or fulfillment system, or a timer firing. Fed one at a time to
/// <see cref="OrderPaymentWorkflow.Decide"/>. Every input may arrive twice; the second time changes nothing.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(ProviderObserved), "providerObserved")]
[JsonDerivedType(typeof(ProviderNotified), "providerNotified")]
[JsonDerivedType(typeof(ActivitySucceeded), "activitySucceeded")]
[JsonDerivedType(typeof(ActivityFailed), "activityFailed")]
[JsonDerivedType(typeof(FulfillmentSignalled), "fulfillment")]
[JsonDerivedType(typeof(CancelRequested), "cancel")]
[JsonDerivedType(typeof(RefundRequested), "refund")]
[JsonDerivedType(typeof(NewAttemptRequested), "newAttempt")]
[JsonDerivedType(typeof(WokenUp), "wokenUp")]
public abstract record WorkflowInput
{
    /// <summary>Who sent it, when a caller did (e.g. <c>fulfillment/1</c>: the API key's role and which of its keys); named in the history.</summary>
    public string? By { get; init; }
}
