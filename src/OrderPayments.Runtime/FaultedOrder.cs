using OrderPayments.Application.Workflows;
using OrderPayments.Domain.Workflow;

namespace OrderPayments.Runtime;

/// <summary>
/// An order the dispatcher cannot step (see <see cref="OrderPaymentFault"/>), as the operator listing shows it: read
/// without the order's stored state, so it is listed even when that state is what cannot be read.
/// </summary>
/// <param name="OrderId">The order.</param>
/// <param name="Status">Its status as of its last committed step.</param>
/// <param name="Fault">How often stepping it failed, when it is tried next, and the last error.</param>
public sealed record FaultedOrder(string OrderId, PaymentStatus Status, OrderPaymentFault Fault);
