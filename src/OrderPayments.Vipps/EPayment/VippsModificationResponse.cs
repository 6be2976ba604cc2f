using OrderPayments.Domain;

namespace OrderPayments.Vipps.EPayment;

/// <summary>The ePayment <c>ModificationResponse</c> of capture, cancel and refund.</summary>
/// <param name="Amount">The payment's amount.</param>
/// <param name="State">The state after the operation (AUTHORIZED after capture, cancel and refund).</param>
/// <param name="Aggregate">The totals after the operation.</param>
/// <param name="PspReference">The PSP's reference.</param>
/// <param name="Reference">The merchant's reference.</param>
public sealed record VippsModificationResponse(Money Amount, VippsPaymentState State, VippsAggregate Aggregate, string? PspReference, string Reference);
