using OrderPayments.Application.Reports;
using OrderPayments.Domain;
using OrderPayments.Domain.Workflow;

namespace OrderPayments.Runtime.Storage;

/// <summary>
/// The operator reports' queries (schema version 8): they read the report columns through covering indexes, never an
/// order's state. The SQL is built from the filter's conditions that are present, so each variant is planned (and
/// prepared, per connection) on its own and every condition can use an index.
/// </summary>
internal sealed partial class StoreSession
{
    private const long HourMs = 3_600_000;

    /// <summary>A page of the orders <paramref name="filter"/> matches, newest first, after <paramref name="after"/>.</summary>
    public List<OrderSummary> ListSummaries(OrderFilter filter, OrderCursor? after, int limit)
    {
        var (sql, parameters) = ListQuery(filter, after, limit);
        using var reader = Query(sql, parameters);
        var page = new List<OrderSummary>();
        while (reader.Read())
        {
            page.Add(new OrderSummary(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetString(2).ToLowerInvariant(),
                Enum.Parse<PaymentStatus>(reader.GetString(3)),
                reader.GetInt64(4) != 0,
                Enum.Parse<Currency>(reader.GetString(5)),
                reader.GetInt64(6),
                reader.GetInt64(7),
                reader.GetInt64(8),
                reader.GetInt64(9),
                Time(reader.GetInt64(10))));
        }

        return page;
    }

    /// <summary>Sums per currency over every order <paramref name="filter"/> matches, by currency.</summary>
    public List<CurrencyTotals> Totals(OrderFilter filter)
    {
        var (sql, parameters) = TotalsQuery(filter);
        using var reader = Query(sql, parameters);
        var totals = new List<CurrencyTotals>();
        while (reader.Read())
        {
            totals.Add(new CurrencyTotals(Enum.Parse<Currency>(reader.GetString(0)), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5)));
        }

        totals.Sort((a, b) => a.Currency.CompareTo(b.Currency));
        return totals;
    }

    /// <summary>The listing's SQL and parameters (for the query plan tests too).</summary>
    internal static (string Sql, (string Name, object? Value)[] Parameters) ListQuery(OrderFilter filter, OrderCursor? after, int limit)
    {
        var (where, parameters) = ReportConditions(filter);
        if (after is not null)
        {
            where.Add("(created_at, id) < ($afterAt, $afterId)");
            parameters.Add(("$afterAt", Ms(after.StartedAt)));
            parameters.Add(("$afterId", after.OrderId));
        }

        parameters.Add(("$limit", limit));
        return (
            $"""
            SELECT id, reference, provider, status, needs_attention, currency, amount, authorized, captured, refunded, created_at
            FROM instances WHERE {string.Join(" AND ", where)}
            ORDER BY created_at DESC, id DESC LIMIT $limit
            """,
            [.. parameters]);
    }

    /// <summary>The totals' SQL and parameters (for the query plan tests too).</summary>
    internal static (string Sql, (string Name, object? Value)[] Parameters) TotalsQuery(OrderFilter filter)
    {
        var (where, parameters) = ReportConditions(filter);
        return (
            $"""
            SELECT currency, COUNT(*), SUM(amount), SUM(authorized), SUM(captured), SUM(refunded)
            FROM instances WHERE {string.Join(" AND ", where)}
            GROUP BY currency
            """,
            [.. parameters]);
    }

    /// <summary>Orders started per whole hour (UTC) in [<paramref name="from"/>, <paramref name="to"/>), by the hour's start in ms.</summary>
    public Dictionary<long, long> OrdersPerHour(DateTimeOffset from, DateTimeOffset to)
    {
        using var reader = Query(
            "SELECT created_at / $hour, COUNT(*) FROM instances INDEXED BY ix_instances_created WHERE created_at >= $from AND created_at < $to AND currency IS NOT NULL GROUP BY 1",
            ("$hour", HourMs), ("$from", Ms(from)), ("$to", Ms(to)));
        var counts = new Dictionary<long, long>();
        while (reader.Read())
        {
            counts[reader.GetInt64(0) * HourMs] = reader.GetInt64(1);
        }

        return counts;
    }

    /// <summary>Amounts captured per whole hour (UTC) and currency in [<paramref name="from"/>, <paramref name="to"/>), from the money log.</summary>
    public List<(long HourMs, Currency Currency, long Captured)> CapturedPerHour(DateTimeOffset from, DateTimeOffset to)
    {
        using var reader = Query(
            "SELECT at / $hour, currency, SUM(captured) FROM money_movements WHERE at >= $from AND at < $to AND captured > 0 GROUP BY 1, 2",
            ("$hour", HourMs), ("$from", Ms(from)), ("$to", Ms(to)));
        var sums = new List<(long, Currency, long)>();
        while (reader.Read())
        {
            sums.Add((reader.GetInt64(0) * HourMs, Enum.Parse<Currency>(reader.GetString(1)), reader.GetInt64(2)));
        }

        return sums;
    }

    /// <summary>
    /// The WHERE conditions of <paramref name="filter"/> and their parameters. The search compares case-insensitively on
    /// the NOCASE indexes, as a range: ids and references are <c>A-Z a-z 0-9 -</c>, all below <c>~</c>, so everything
    /// that starts with the text sorts from the text up to the text followed by <c>~</c>. A literal
    /// <c>needs_attention = 1</c> lets the planner take that partial index.
    /// </summary>
    private static (List<string> Where, List<(string Name, object? Value)> Parameters) ReportConditions(OrderFilter filter)
    {
        // Orders whose state could not be read when the file was upgraded have no report columns yet.
        var where = new List<string> { "currency IS NOT NULL" };
        var parameters = new List<(string Name, object? Value)>();
        if (filter.Search is { } search)
        {
            where.Add(
                """
                ((id COLLATE NOCASE >= $search AND id COLLATE NOCASE < $searchEnd)
                 OR (reference COLLATE NOCASE >= $search AND reference COLLATE NOCASE < $searchEnd))
                """);
            parameters.Add(("$search", search));
            parameters.Add(("$searchEnd", search + "~"));
        }

        if (filter.Status is { } status)
        {
            where.Add("status = $status");
            parameters.Add(("$status", status.ToString()));
        }

        if (filter.NeedsAttention is { } attention)
        {
            where.Add(attention ? "needs_attention = 1" : "needs_attention = 0");
        }

        if (filter.From is { } from)
        {
            where.Add("created_at >= $from");
            parameters.Add(("$from", Ms(from)));
        }

        if (filter.To is { } to)
        {
            where.Add("created_at < $to");
            parameters.Add(("$to", Ms(to)));
        }

        return (where, parameters);
    }
}
