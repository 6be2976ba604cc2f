using System.Globalization;
using System.Net;
using Polly;

namespace OrderPayments.Http;

/// <summary>
/// The rate limit as a step of a provider client's resilience pipeline, inside the retry (so every attempt counts, as
/// it does at the provider) and outside the circuit breaker (so a call it holds back is not a provider failure). A call
/// marked with a <see cref="ProviderCall"/> that <see cref="ProviderRateLimiter"/> refuses is answered with a
/// <see cref="RateLimitedResponse"/> at once, without a request; a provider <c>429</c> with <c>Retry-After</c> pauses
/// the call's reference and kind for that long.
/// </summary>
internal sealed class RateLimitStrategy : ResilienceStrategy<HttpResponseMessage>
{
    private readonly ProviderRateLimiter _limiter;
    private readonly ProviderRateLimitOptions _options;
    private readonly TimeProvider _time;

    /// <summary>Creates the step over <paramref name="limiter"/>, whose limits <paramref name="options"/> are (for messages).</summary>
    public RateLimitStrategy(ProviderRateLimiter limiter, ProviderRateLimitOptions options, TimeProvider time)
    {
        _limiter = limiter;
        _options = options;
        _time = time;
    }

    /// <inheritdoc />
    protected override ValueTask<Outcome<HttpResponseMessage>> ExecuteCore<TState>(
        Func<ResilienceContext, TState, ValueTask<Outcome<HttpResponseMessage>>> callback,
        ResilienceContext context,
        TState state)
    {
        if (context.GetRequestMessage() is not { } request || !request.Options.TryGetValue(ProviderCall.Key, out var call))
        {
            return callback(context, state);
        }

        if (!_limiter.TryAcquire(call.Reference, call.Kind, out var wait, out var paused))
        {
            return ValueTask.FromResult(Outcome.FromResult<HttpResponseMessage>(new RateLimitedResponse(request, wait, Reason(call.Kind, paused))));
        }

        return SendAsync(callback, context, state, call);
    }

    private async ValueTask<Outcome<HttpResponseMessage>> SendAsync<TState>(
        Func<ResilienceContext, TState, ValueTask<Outcome<HttpResponseMessage>>> callback,
        ResilienceContext context,
        TState state,
        ProviderCall call)
    {
        var outcome = await callback(context, state).ConfigureAwait(context.ContinueOnCapturedContext);
        if (outcome.Result is { StatusCode: HttpStatusCode.TooManyRequests } response)
        {
            // Refused: not one of the reference's calls of the minute (a burst of 429s would otherwise use them up and
            // hold the reference for a minute after the provider is ready again); the provider's Retry-After governs.
            _limiter.Refund(call.Reference, call.Kind);
            if (RetryAfter.From(response, _time.GetUtcNow()) is { } asked && asked > TimeSpan.Zero)
            {
                _limiter.Pause(call.Reference, call.Kind, asked);
            }
        }

        return outcome;
    }

    private string Reason(ProviderCallKind kind, bool paused)
    {
        var what = kind == ProviderCallKind.Query ? "queries" : "mutations";
        return paused
            ? $"the provider asked to wait (429 with Retry-After) before more {what} for this payment reference"
            : string.Create(
                CultureInfo.InvariantCulture,
                $"this payment reference has made its {(kind == ProviderCallKind.Query ? _options.QueriesPerMinute : _options.MutationsPerMinute)} {what} of the last minute");
    }
}
