namespace OrderPayments.Application.Reports;

/// <summary>What happened in one hour.</summary>
/// <param name="Start">The start of the hour (UTC).</param>
/// <param name="Orders">Payments started in it.</param>
/// <param name="Captured">Captured in it, per currency (only currencies with captures), by currency.</param>
public sealed record HourlyActivity(DateTimeOffset Start, long Orders, IReadOnlyList<CurrencyAmount> Captured);
