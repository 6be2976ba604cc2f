namespace OrderPayments.Domain.Workflow;

/// <summary>The storefront refunds part or all of what was captured.</summary>
/// <param name="RefundId">The refund's id; the same refund is made once however often it is requested.</param>
/// <param name="Amount">The amount; never more than captured minus refunded.</param>
public sealed record RefundRequested(string RefundId, Money Amount) : WorkflowInput;
