using OrderPayments.Domain;
using OrderPayments.Domain.Workflow;

namespace OrderPayments.Application.Notifications;

/// <summary>One verified notification, translated into the input it means for the workflow.</summary>
/// <param name="Reference">The provider payment it is about (the order is looked up by it).</param>
/// <param name="Input">What the workflow is told: an observation when the notification carries the facts, else a hint.</param>
/// <param name="DedupeKey">The notification's identity: a redelivery carries the same key and is recorded once.</param>
public sealed record ProviderNotification(PaymentReference Reference, WorkflowInput Input, string DedupeKey);
