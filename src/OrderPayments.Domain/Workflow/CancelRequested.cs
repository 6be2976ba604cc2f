namespace OrderPayments.Domain.Workflow;

/// <summary>The storefront cancels the order: end the payment before authorization, or release what is reserved.</summary>
/// <param name="Reason">Why, for the history.</param>
public sealed record CancelRequested(string? Reason = null) : WorkflowInput;
