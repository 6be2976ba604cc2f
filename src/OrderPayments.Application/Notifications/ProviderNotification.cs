using OrderPayments.Domain;
using OrderPayments.Domain.Workflow;

namespace OrderPayments.Application.Notifications;

/// <summary>One verified notification, translated into the input it means for the workflow.</summary>
/// <param name="Reference">The provider payment it is about (the order is looked up by it).</param>
/// <param name="Input">What the workflow is told: an observation when the notification carries the facts, else a hint.</param>
/// <param name="DedupeKey">
/// The notification's identity: a redelivery carries the same key and is recorded once. Never taken from content an
/// attacker can vary (an unsigned callback's body).
/// </param>
public sealed record ProviderNotification(PaymentReference Reference, WorkflowInput Input, string DedupeKey)
{
    /// <summary>
    /// The provider whose intake read it: it reaches only an order paying through that provider (set by
    /// <see cref="Http.NotificationHandling.ReadAsync"/>; null only in a message queued before this field existed, which is not checked).
    /// </summary>
    public PaymentProvider? Provider { get; init; }
}
