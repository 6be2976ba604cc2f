using OrderPayments.Domain;

namespace OrderPayments.Vipps.EPayment;

/// <summary>The ePayment <c>GetPaymentResponse</c> (fields this project reads; unknown ones are ignored).</summary>
/// <param name="Aggregate">The running totals.</param>
/// <param name="Amount">The payment's amount.</param>
/// <param name="State">The state.</param>
/// <param name="PaymentMethod">How it is paid.</param>
/// <param name="PspReference">The PSP's reference.</param>
/// <param name="RedirectUrl">The landing page, when there is one.</param>
/// <param name="Reference">The merchant's reference.</param>
public sealed record VippsPayment(
    VippsAggregate Aggregate,
    Money Amount,
    VippsPaymentState State,
    VippsPaymentMethod? PaymentMethod,
    string? PspReference,
    string? RedirectUrl,
    string Reference);
