using OrderPayments.Domain.Workflow;

namespace OrderPayments.Runtime.Storage;

/// <summary>
/// What the operator reports read of an order that a step may change, kept in the <c>instances</c> row beside the
/// state (schema version 8). The order's provider, currency and amount never change and are written once, at insert.
/// </summary>
/// <param name="Status">The status name.</param>
/// <param name="Reference">The current attempt's payment reference.</param>
/// <param name="NeedsAttention">1 when a provider call of the current attempt failed permanently, else 0.</param>
/// <param name="Authorized">Reserved (minor units, current attempt).</param>
/// <param name="Captured">Charged.</param>
/// <param name="Refunded">Paid back.</param>
internal readonly record struct ReportColumns(string Status, string Reference, int NeedsAttention, long Authorized, long Captured, long Refunded)
{
    public static ReportColumns Of(OrderPaymentState state) => new(
        state.Status.ToString(),
        state.Reference.Value,
        state.NeedsAttention ? 1 : 0,
        state.Aggregate.Authorized.Value,
        state.Aggregate.Captured.Value,
        state.Aggregate.Refunded.Value);
}
