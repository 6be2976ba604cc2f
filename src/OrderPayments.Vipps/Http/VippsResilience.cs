using System.Net;
using Polly;
using Polly.Timeout;

namespace OrderPayments.Vipps.Http;

/// <summary>
/// What the resilience handler of every Vipps client (token, ePayment, webhooks; see
/// <c>OrderPayments.Http.HttpResilience</c>) treats as transient: retried, and counted by the client's circuit breaker.
/// Kept by hand because it is Vipps's classification, not HTTP's: the library's default predicate knows status codes,
/// not the "try again" error codes a Vipps 4xx may carry. Business rejections are never retried here: the idempotency
/// key makes a retried mutation the same mutation, and the caller decides what a refusal means.
/// </summary>
internal static class VippsResilience
{
    /// <summary>
    /// Transient: a connection failure, an attempt timeout, a status <see cref="VippsErrorClassifier"/> calls transient,
    /// or a 4xx (but 401, the authentication handler's) whose problem carries a "try again" error code.
    /// </summary>
    public static async ValueTask<bool> IsTransientAsync(Outcome<HttpResponseMessage> outcome, CancellationToken cancellationToken)
    {
        if (outcome.Exception is not null)
        {
            return outcome.Exception is HttpRequestException or TimeoutRejectedException;
        }

        var response = outcome.Result!;
        if (response.IsSuccessStatusCode)
        {
            return false;
        }

        if (VippsErrorClassifier.IsTransient(response.StatusCode, null))
        {
            return true;
        }

        // A 4xx may still carry a "try again" code (6160, 6250, 6280); 401 is the authentication handler's.
        return response.StatusCode != HttpStatusCode.Unauthorized
            && VippsErrorClassifier.IsTransient(response.StatusCode, await VippsProblemReader.PeekErrorCodeAsync(response, cancellationToken).ConfigureAwait(false));
    }
}
