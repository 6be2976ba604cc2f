using OrderPayments.Application.Reports;
using OrderPayments.Runtime.Storage;

namespace OrderPayments.Runtime;

/// <summary>
/// The operator reports over the SQLite file (<see cref="IOrderReports"/>): each call is one read session on the
/// report columns and covering indexes of schema version 8, so its cost grows with the orders it matches (a total) or
/// the page it returns (a listing), never with the size of the orders' states.
/// </summary>
public sealed class EmbeddedOrderReports : IOrderReports
{
    /// <summary>The largest page a listing returns.</summary>
    public const int MaxPageSize = 1000;

    private readonly RuntimeStore _store;

    /// <summary>Creates the reports over <paramref name="store"/>.</summary>
    public EmbeddedOrderReports(RuntimeStore store) => _store = store;

    /// <inheritdoc />
    public Task<OrderSummaryPage> ListAsync(OrderFilter filter, OrderCursor? after, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxPageSize);
        using var session = StoreSession.Read(_store);
        var items = session.ListSummaries(filter, after, limit);
        var next = items.Count == limit ? new OrderCursor(items[^1].StartedAt, items[^1].OrderId).ToString() : null;
        return Task.FromResult(new OrderSummaryPage(items, next));
    }

    /// <inheritdoc />
    public Task<OrderTotals> TotalsAsync(OrderFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        using var session = StoreSession.Read(_store);
        var currencies = session.Totals(filter);
        return Task.FromResult(new OrderTotals(currencies.Sum(c => c.Orders), currencies));
    }

    /// <inheritdoc />
    public Task<HourlyReport> HourlyAsync(DateTimeOffset from, int hours, CancellationToken cancellationToken)
    {
        if (from.UtcTicks % TimeSpan.TicksPerHour != 0)
        {
            throw new ArgumentException("The first hour must start on a whole hour.", nameof(from));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(hours, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(hours, HourlyReport.MaxHours);
        var to = from.AddHours(hours);
        using var session = StoreSession.Read(_store);
        var orders = session.OrdersPerHour(from, to);
        var captured = session.CapturedPerHour(from, to).ToLookup(c => c.HourMs);
        var series = new List<HourlyActivity>(hours);
        for (var hour = from; hour < to; hour = hour.AddHours(1))
        {
            var ms = StoreSession.Ms(hour);
            series.Add(new HourlyActivity(
                hour.ToUniversalTime(),
                orders.GetValueOrDefault(ms),
                [.. captured[ms].OrderBy(c => c.Currency).Select(c => new CurrencyAmount(c.Currency, c.Captured))]));
        }

        return Task.FromResult(new HourlyReport(from.ToUniversalTime(), to.ToUniversalTime(), series));
    }
}
