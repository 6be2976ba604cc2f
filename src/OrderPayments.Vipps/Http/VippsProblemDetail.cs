namespace OrderPayments.Vipps.Http;

/// <summary>One entry of a Vipps problem's <c>extraDetails</c> (e.g. <c>{ "name": "ErrorCode", "reason": "6090" }</c>).</summary>
/// <param name="Name">The detail's name.</param>
/// <param name="Reason">Its value.</param>
public sealed record VippsProblemDetail(string? Name, string? Reason);
