namespace OrderPayments.Http;

/// <summary>
/// What a request is, for the rate limit: the payment reference it is about and the kind of call. A client puts it on
/// the request (<see cref="Key"/>); a request without it (an access token, a webhook registration) is not limited.
/// </summary>
/// <param name="Reference">The payment the provider counts the call against.</param>
/// <param name="Kind">Query or mutation.</param>
internal readonly record struct ProviderCall(string Reference, ProviderCallKind Kind)
{
    /// <summary>The request option that carries the call.</summary>
    public static readonly HttpRequestOptionsKey<ProviderCall> Key = new("OrderPayments.ProviderCall");

    /// <summary>Marks <paramref name="request"/> as this call.</summary>
    public void ApplyTo(HttpRequestMessage request) => request.Options.Set(Key, this);
}
