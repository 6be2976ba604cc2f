using OrderPayments.Domain;
using OrderPayments.Domain.Workflow;

namespace OrderPayments.Application.Reports;

/// <summary>
/// One order as a listing shows it (<c>GET /api/reports/orders</c>), read from the store's report columns without the
/// order's state. Amounts are minor units in <see cref="Currency"/>; the status document has the rest.
/// </summary>
/// <param name="OrderId">The order.</param>
/// <param name="Reference">The payment reference of the current attempt.</param>
/// <param name="Provider">vipps or payex.</param>
/// <param name="Status">Where the payment stands.</param>
/// <param name="NeedsAttention">A provider call of the current attempt failed permanently.</param>
/// <param name="Currency">The currency of every amount.</param>
/// <param name="Amount">The amount requested.</param>
/// <param name="Authorized">Reserved by the customer (current attempt).</param>
/// <param name="Captured">Charged.</param>
/// <param name="Refunded">Paid back.</param>
/// <param name="StartedAt">When the payment was started.</param>
public sealed record OrderSummary(
    string OrderId,
    string Reference,
    string Provider,
    PaymentStatus Status,
    bool NeedsAttention,
    Currency Currency,
    long Amount,
    long Authorized,
    long Captured,
    long Refunded,
    DateTimeOffset StartedAt);
