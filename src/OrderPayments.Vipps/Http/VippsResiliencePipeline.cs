using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderPayments.Http;
using Polly;
using Polly.Timeout;

namespace OrderPayments.Vipps.Http;

/// <summary>
/// Polly v8 for every Vipps call, outermost first: a total time budget, retries of transient failures with
/// jittered exponential backoff that honour <c>Retry-After</c>, a circuit breaker, and a per-attempt timeout.
/// Business rejections are never retried here: the idempotency key makes a retried mutation the same mutation, and
/// the caller decides what a refusal means. One instance per process (a singleton), so the circuit breaker sees
/// every call, whichever pooled handler sends it.
/// </summary>
internal sealed class VippsResiliencePipeline
{
    public VippsResiliencePipeline(IOptions<VippsOptions> options, TimeProvider timeProvider, ILogger<VippsResiliencePipeline> logger)
    {
        Pipeline = HttpResilience.Build(
            options.Value,
            timeProvider,
            IsTransientAsync,
            (attempt, status, exception, delay) => VippsLogs.Retrying(logger, attempt, status, exception, delay),
            breakDuration => VippsLogs.CircuitOpened(logger, breakDuration));
    }

    public ResiliencePipeline<HttpResponseMessage> Pipeline { get; }

    private static async ValueTask<bool> IsTransientAsync(Outcome<HttpResponseMessage> outcome, CancellationToken cancellationToken)
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
