using OrderPayments.Domain.Workflow;

namespace OrderPayments.Application.Workflows;

/// <summary>The outcome of <see cref="IOrderPaymentClient.RaiseAsync"/>.</summary>
/// <param name="Result">What happened.</param>
/// <param name="Rejection">Why it was refused, when <see cref="SignalResult.Rejected"/>.</param>
public sealed record SignalOutcome(SignalResult Result, InputRejection? Rejection = null);
