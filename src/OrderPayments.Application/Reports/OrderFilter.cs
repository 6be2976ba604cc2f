using OrderPayments.Domain.Workflow;

namespace OrderPayments.Application.Reports;

/// <summary>Which orders a listing or a total covers; every condition given must hold (null: any).</summary>
/// <param name="Search">The start of the order id or of the current attempt's payment reference, case-insensitive.</param>
/// <param name="Status">Only orders of this status.</param>
/// <param name="NeedsAttention">Only orders that need attention (true) or that do not (false).</param>
/// <param name="From">Only orders whose payment was started at or after this time.</param>
/// <param name="To">Only orders whose payment was started before this time.</param>
public sealed record OrderFilter(
    string? Search = null,
    PaymentStatus? Status = null,
    bool? NeedsAttention = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null)
{
    /// <summary>Every order.</summary>
    public static OrderFilter All { get; } = new();
}
