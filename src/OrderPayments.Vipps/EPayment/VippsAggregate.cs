using OrderPayments.Domain;

namespace OrderPayments.Vipps.EPayment;

/// <summary>The ePayment <c>Aggregate</c>: the payment's running totals.</summary>
public sealed record VippsAggregate(Money AuthorizedAmount, Money CancelledAmount, Money CapturedAmount, Money RefundedAmount);
