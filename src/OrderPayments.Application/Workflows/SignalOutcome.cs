using OrderPayments.Domain.Workflow;

namespace OrderPayments.Application.Workflows;

/// <summary>The outcome of <see cref="IOrderPaymentClient.RaiseAsync"/>.</summary>
/// <param name="Result">What happened.</param>
/// <param name="Rejection">Why it was refused, when <see cref="SignalResult.Rejected"/>.</param>
/// <param name="Repeated">A signal with the same dedupe key was recorded before; the answer is that signal's outcome.</param>
public sealed record SignalOutcome(SignalResult Result, InputRejection? Rejection = null, bool Repeated = false);
