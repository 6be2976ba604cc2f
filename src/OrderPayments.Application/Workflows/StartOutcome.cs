using OrderPayments.Domain.Workflow;

namespace OrderPayments.Application.Workflows;

/// <summary>The outcome of <see cref="IOrderPaymentClient.StartAsync(OrderPayments.Domain.Workflow.PaymentRequest, string?, CancellationToken)"/>.</summary>
/// <param name="Result">What happened.</param>
/// <param name="Snapshot">The order, unless the request was invalid.</param>
/// <param name="Errors">Why the request was refused (invalid fields, or the conflict).</param>
public sealed record StartOutcome(StartResult Result, OrderPaymentSnapshot? Snapshot, IReadOnlyList<InputRejection> Errors);
