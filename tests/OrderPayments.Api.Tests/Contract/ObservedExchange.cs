namespace OrderPayments.Api.Tests.Contract;

/// <summary>One request to the API and its answer, as the contract check sees them.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The path, unescaped as routing sees it (e.g. <c>/api/orders/o-1/payment</c>).</param>
/// <param name="Query">The query string, with its <c>?</c> (or empty).</param>
/// <param name="RequestContentType">The request's Content-Type, if any.</param>
/// <param name="RequestBody">The request's body (empty when none).</param>
/// <param name="Status">The answer's status.</param>
/// <param name="ResponseContentType">The answer's Content-Type, if any.</param>
/// <param name="ResponseBody">The answer's body (empty when none).</param>
internal sealed record ObservedExchange(
    string Method,
    string Path,
    string Query,
    string? RequestContentType,
    byte[] RequestBody,
    int Status,
    string? ResponseContentType,
    byte[] ResponseBody);
