namespace OrderPayments.Application.Reports;

/// <summary>Activity per hour (<c>GET /api/reports/hourly</c>): every hour from <see cref="From"/> to <see cref="To"/>, oldest first.</summary>
/// <param name="From">The start of the first hour (UTC).</param>
/// <param name="To">The end of the last hour (exclusive; the current hour's end when it is included).</param>
/// <param name="Hours">One entry per hour, empty hours included.</param>
public sealed record HourlyReport(DateTimeOffset From, DateTimeOffset To, IReadOnlyList<HourlyActivity> Hours)
{
    /// <summary>The most hours one report covers (a week).</summary>
    public const int MaxHours = 168;
}
