using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
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
        var settings = options.Value;
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = timeProvider }
            .AddTimeout(settings.TotalTimeout);
        if (settings.MaxRetryAttempts > 0)
        {
            // Polly requires at least one retry; zero means no retry strategy at all.
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = args => IsTransientAsync(args.Outcome, args.Context.CancellationToken),
                MaxRetryAttempts = settings.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = settings.RetryBaseDelay,
                MaxDelay = settings.MaxRetryDelay,
                DelayGenerator = args =>
                    ValueTask.FromResult(RetryAfter.From(args.Outcome.Result, timeProvider.GetUtcNow()) is { } wait
                        ? (TimeSpan?)(wait > settings.MaxRetryDelay ? settings.MaxRetryDelay : wait)
                        : null),
                OnRetry = args =>
                {
                    VippsLogs.Retrying(logger, args.AttemptNumber + 1, (int?)args.Outcome.Result?.StatusCode, args.Outcome.Exception?.GetType().Name, args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            });
        }

        Pipeline = builder
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = args => IsTransientAsync(args.Outcome, args.Context.CancellationToken),
                FailureRatio = settings.CircuitBreakerFailureRatio,
                MinimumThroughput = settings.CircuitBreakerMinimumThroughput,
                SamplingDuration = settings.CircuitBreakerSamplingDuration,
                BreakDuration = settings.CircuitBreakerBreakDuration,
                OnOpened = args =>
                {
                    VippsLogs.CircuitOpened(logger, args.BreakDuration);
                    return ValueTask.CompletedTask;
                },
            })
            .AddTimeout(settings.AttemptTimeout)
            .Build();
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
