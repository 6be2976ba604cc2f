using OrderPayments.Domain;

namespace OrderPayments.Application.Reports;

/// <summary>The sums over the orders of one currency (minor units).</summary>
/// <param name="Currency">The currency.</param>
/// <param name="Orders">How many orders.</param>
/// <param name="Amount">Requested.</param>
/// <param name="Authorized">Reserved by customers (current attempts).</param>
/// <param name="Captured">Charged.</param>
/// <param name="Refunded">Paid back.</param>
public sealed record CurrencyTotals(Currency Currency, long Orders, long Amount, long Authorized, long Captured, long Refunded);
