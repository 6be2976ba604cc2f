namespace OrderPayments.Application.Reports;

/// <summary>
/// What the operator console asks of the store about many orders at once: a filtered listing, totals over the whole
/// filtered set, and hourly activity. Implemented by the embedded runtime from columns and indexes kept beside each
/// order's state (never by reading every state); a separate port from the workflow client, which drives orders.
/// </summary>
/// <remarks>
/// Every method answers for the whole store as of one read: totals and series are computed by the store over every
/// matching order, not over a page the caller happens to hold.
/// </remarks>
public interface IOrderReports
{
    /// <summary>
    /// Orders matching <paramref name="filter"/>, newest first (by when the payment was started, then by order id
    /// descending), after <paramref name="after"/> (exclusive), at most <paramref name="limit"/>.
    /// </summary>
    /// <returns>The orders and, when the page is full, the cursor of its last order (more may follow).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is not 1 to 1000.</exception>
    Task<OrderSummaryPage> ListAsync(OrderFilter filter, OrderCursor? after, int limit, CancellationToken cancellationToken);

    /// <summary>Totals per currency over every order matching <paramref name="filter"/>.</summary>
    Task<OrderTotals> TotalsAsync(OrderFilter filter, CancellationToken cancellationToken);

    /// <summary>
    /// Orders started and amounts captured in each whole hour (UTC) from <paramref name="from"/>, for
    /// <paramref name="hours"/> hours; every hour is present, empty ones with zeros.
    /// </summary>
    /// <param name="from">The start of the first hour; must be on a whole hour.</param>
    /// <param name="hours">How many hours: 1 to <see cref="HourlyReport.MaxHours"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ArgumentException"><paramref name="from"/> is not on a whole hour.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="hours"/> is out of range.</exception>
    Task<HourlyReport> HourlyAsync(DateTimeOffset from, int hours, CancellationToken cancellationToken);
}
