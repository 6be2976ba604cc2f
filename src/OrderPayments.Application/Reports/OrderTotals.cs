namespace OrderPayments.Application.Reports;

/// <summary>Totals over every order a filter matches (<c>GET /api/reports/totals</c>).</summary>
/// <param name="Orders">How many orders match, in all currencies.</param>
/// <param name="Currencies">The sums per currency, by currency; only currencies with matching orders.</param>
public sealed record OrderTotals(long Orders, IReadOnlyList<CurrencyTotals> Currencies);
