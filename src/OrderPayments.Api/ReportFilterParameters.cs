using System.ComponentModel;
using Microsoft.AspNetCore.Mvc;
using OrderPayments.Application.Http;

namespace OrderPayments.Api;

/// <summary>The query parameters of the reports' filter, as the OpenAPI document names and describes them (<c>[Description]</c>: the document reads no XML comments of this assembly's internal types).</summary>
internal sealed class ReportFilterParameters
{
    /// <summary>The start of an order id or of the current payment reference, case-insensitive: 1 to 64 of A-Z a-z 0-9 -.</summary>
    [Description("The start of an order id or of the current payment reference, case-insensitive: 1 to 64 of A-Z a-z 0-9 -.")]
    [FromQuery(Name = "q")]
    public string? Q { get; init; }

    /// <summary>Only orders of this status: Creating, AwaitingCustomer, Authorized, Captured, Unpaid, Failed, Cancelled or Completed.</summary>
    [Description("Only orders of this status: Creating, AwaitingCustomer, Authorized, Captured, Unpaid, Failed, Cancelled or Completed.")]
    [FromQuery(Name = "status")]
    public string? Status { get; init; }

    /// <summary>true: only orders that need attention; false: only orders that do not.</summary>
    [Description("true: only orders that need attention; false: only orders that do not.")]
    [FromQuery(Name = "needsAttention")]
    public string? NeedsAttention { get; init; }

    /// <summary>Only orders started at or after this time: RFC 3339 with an offset, e.g. 2026-05-01T00:00:00Z.</summary>
    [Description("Only orders started at or after this time: RFC 3339 with an offset, e.g. 2026-05-01T00:00:00Z.")]
    [FromQuery(Name = "from")]
    public string? From { get; init; }

    /// <summary>Only orders started before this time: RFC 3339 with an offset, later than from.</summary>
    [Description("Only orders started before this time: RFC 3339 with an offset, later than from.")]
    [FromQuery(Name = "to")]
    public string? To { get; init; }

    /// <summary>The filter as the shared handlers take it.</summary>
    public OrderFilterQuery ToQuery() => new(Q, Status, NeedsAttention, From, To);
}
