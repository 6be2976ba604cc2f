using System.Globalization;
using OrderPayments.Application.Reports;
using OrderPayments.Domain;

namespace OrderPayments.Application.Http;

/// <summary>
/// The request handlers of the operator reports (<c>/api/reports/…</c>): each validates the query string, asks
/// <see cref="IOrderReports"/> and answers an <see cref="ApiResponse"/>; a bad parameter is a 400 problem naming it.
/// </summary>
public sealed class OrderReportRequests
{
    /// <summary>The hours <c>GET /api/reports/hourly</c> covers when none are asked for.</summary>
    public const int DefaultHours = 24;

    private static readonly string[] LocalFormats = ["yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", "yyyy-MM-dd'T'HH:mmzzz"];
    private static readonly string[] UtcFormats = ["yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", "yyyy-MM-dd'T'HH:mm'Z'"];

    private readonly IOrderReports _reports;
    private readonly TimeProvider _time;

    /// <summary>Creates the handlers.</summary>
    /// <param name="reports">The store's reports.</param>
    /// <param name="time">The clock that says which hours are the last ones.</param>
    public OrderReportRequests(IOrderReports reports, TimeProvider time)
    {
        _reports = reports;
        _time = time;
    }

    /// <summary>
    /// <c>GET /api/reports/orders?q=&amp;status=&amp;needsAttention=&amp;from=&amp;to=&amp;after=&amp;limit=</c>: a page of the
    /// matching orders, newest first; pass <c>next</c> back as <c>after</c> with the same filter for the next page.
    /// </summary>
    public async Task<ApiResponse> ListAsync(OrderFilterQuery query, string? after, string? limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var errors = new List<ApiFieldError>();
        var filter = Filter(query, errors);
        OrderCursor? cursor = null;
        if (!string.IsNullOrEmpty(after) && !OrderCursor.TryParse(after, out cursor))
        {
            errors.Add(new ApiFieldError("after", "Not a cursor of this listing: pass the previous page's 'next' as it is."));
        }

        var size = OrderPaymentRequests.PageSize(limit, errors);
        if (errors.Count > 0)
        {
            return ApiResponse.Problem(ApiProblem.Invalid(errors));
        }

        return new ApiResponse(200, await _reports.ListAsync(filter, cursor, size, cancellationToken).ConfigureAwait(false));
    }

    /// <summary><c>GET /api/reports/totals?q=&amp;status=&amp;needsAttention=&amp;from=&amp;to=</c>: sums per currency over every matching order.</summary>
    public async Task<ApiResponse> TotalsAsync(OrderFilterQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var errors = new List<ApiFieldError>();
        var filter = Filter(query, errors);
        if (errors.Count > 0)
        {
            return ApiResponse.Problem(ApiProblem.Invalid(errors));
        }

        return new ApiResponse(200, await _reports.TotalsAsync(filter, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// <c>GET /api/reports/hourly?hours=</c>: orders started and amounts captured per hour (UTC) for the last
    /// <c>hours</c> hours (24 by default, at most <see cref="HourlyReport.MaxHours"/>), the current hour last.
    /// </summary>
    public async Task<ApiResponse> HourlyAsync(string? hours, CancellationToken cancellationToken)
    {
        var count = DefaultHours;
        if (!string.IsNullOrEmpty(hours)
            && !(int.TryParse(hours, NumberStyles.None, CultureInfo.InvariantCulture, out count) && count is >= 1 and <= HourlyReport.MaxHours))
        {
            return ApiResponse.Problem(ApiProblem.Invalid([new ApiFieldError("hours", $"Must be a whole number from 1 to {HourlyReport.MaxHours}.")]));
        }

        var now = _time.GetUtcNow();
        var currentHour = new DateTimeOffset(now.UtcDateTime.Ticks - (now.UtcDateTime.Ticks % TimeSpan.TicksPerHour), TimeSpan.Zero);
        var report = await _reports.HourlyAsync(currentHour.AddHours(1 - count), count, cancellationToken).ConfigureAwait(false);
        return new ApiResponse(200, report);
    }

    private static OrderFilter Filter(OrderFilterQuery query, List<ApiFieldError> errors)
    {
        var search = Search(query.Q, errors);
        var status = OrderPaymentRequests.Status(query.Status, errors);
        var needsAttention = NeedsAttention(query.NeedsAttention, errors);
        var from = Time(query.From, "from", errors);
        var to = Time(query.To, "to", errors);
        if (from is not null && to is not null && to <= from)
        {
            errors.Add(new ApiFieldError("to", "Must be later than from."));
        }

        return new OrderFilter(search, status, needsAttention, from, to);
    }

    /// <summary>Order ids and payment references are made of <c>A-Z a-z 0-9 -</c>: the start of one is too.</summary>
    private static string? Search(string? q, List<ApiFieldError> errors)
    {
        var text = q?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (text.Length <= PaymentReference.MaxLength && text.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
        {
            return text;
        }

        errors.Add(new ApiFieldError("q", $"Search by the start of an order id or payment reference: 1 to {PaymentReference.MaxLength} of A-Z a-z 0-9 -."));
        return null;
    }

    private static bool? NeedsAttention(string? value, List<ApiFieldError> errors)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (bool.TryParse(value, out var wanted) && value.Trim().Length == value.Length)
        {
            return wanted;
        }

        errors.Add(new ApiFieldError("needsAttention", "Must be true or false."));
        return null;
    }

    /// <summary>An RFC 3339 date and time with its offset (<c>Z</c> or <c>±hh:mm</c>): a time without one would mean a different instant on every server.</summary>
    private static DateTimeOffset? Time(string? value, string field, List<ApiFieldError> errors)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (DateTimeOffset.TryParseExact(value, UtcFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var utc))
        {
            return utc;
        }

        if (DateTimeOffset.TryParseExact(value, LocalFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            return time;
        }

        errors.Add(new ApiFieldError(field, "Must be a date and time with an offset (RFC 3339), e.g. 2026-05-01T00:00:00Z or 2026-05-01T00:00:00+02:00."));
        return null;
    }
}
