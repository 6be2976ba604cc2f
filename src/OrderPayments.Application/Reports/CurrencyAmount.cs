using OrderPayments.Domain;

namespace OrderPayments.Application.Reports;

/// <summary>An amount in minor units of one currency.</summary>
/// <param name="Currency">The currency.</param>
/// <param name="Value">Minor units.</param>
public sealed record CurrencyAmount(Currency Currency, long Value);
