using System.ComponentModel;
using OrderPayments.Application.Http;
using OrderPayments.Application.Reports;

namespace OrderPayments.Api;

/// <summary>The operator reports (operators only): the console's filtered listing, its totals and the hourly chart.</summary>
public static partial class ApiApp
{
    private static void MapReports(WebApplication app, ApiKeys keys)
    {
        var reports = app.MapGroup("/api/reports").WithTags("Reports");
        reports.MapGet("/orders", async (
                    [AsParameters] ReportFilterParameters filter,
                    [Description("The previous page's next, with the same filter.")] string? after,
                    [Description("Orders per page: 1 to 200 (50 by default).")] string? limit,
                    OrderReportRequests api,
                    CancellationToken ct) =>
                Write(await api.ListAsync(filter.ToQuery(), after, limit, ct)))
            .Produces<OrderSummaryPage>().ProducesProblems(400)
            .WithName("ListReportOrders")
            .WithSummary("Orders matching a search and filters, newest first (by start time); page with 'after'.")
            .RequireRoles(keys, ApiRole.Operator);
        reports.MapGet("/totals", async ([AsParameters] ReportFilterParameters filter, OrderReportRequests api, CancellationToken ct) =>
                Write(await api.TotalsAsync(filter.ToQuery(), ct)))
            .Produces<OrderTotals>().ProducesProblems(400)
            .WithName("GetReportTotals")
            .WithSummary("Totals per currency (orders, requested, authorized, captured, refunded) over every order the filter matches.")
            .RequireRoles(keys, ApiRole.Operator);
        reports.MapGet("/hourly", async (
                    [Description("How many hours, the current one last: 1 to 168 (24 by default).")] string? hours,
                    OrderReportRequests api,
                    CancellationToken ct) =>
                Write(await api.HourlyAsync(hours, ct)))
            .Produces<HourlyReport>().ProducesProblems(400)
            .WithName("GetHourlyReport")
            .WithSummary("Orders started and amounts captured per hour (UTC) for the last hours, every hour present.")
            .RequireRoles(keys, ApiRole.Operator);
    }
}
