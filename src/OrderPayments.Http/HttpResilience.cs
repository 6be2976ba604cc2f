using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Telemetry;

namespace OrderPayments.Http;

/// <summary>
/// Gives a provider's HTTP client its resilience handler from <c>Microsoft.Extensions.Http.Resilience</c>, outermost
/// first: a total time budget → retries of transient failures (jittered exponential back-off, honouring
/// <c>Retry-After</c>) → the rate limit per payment reference (<see cref="RateLimitStrategy"/>, unless switched off) →
/// circuit breaker → per-attempt timeout. What counts as transient is the provider's to say. Two answers are not retried
/// here but handed to the caller at once, whose interpreter retries the activity durably after the wait they carry: a
/// call the rate limit held back, and a <c>Retry-After</c> longer than the maximum retry delay (sending again sooner would
/// only be refused, and would hold the caller's activity slot meanwhile). The library keeps one pipeline per HTTP client
/// (named <c>{client}-resilience</c>, so one circuit and one rate limiter per client), builds it once from the options as
/// they are then, re-sends the same request message on each attempt, and reports every attempt, retry, break and timeout
/// through Polly's telemetry (metrics, and logs: a successful attempt at Debug, see <see cref="QuietResilienceTelemetry"/>).
/// </summary>
internal static class HttpResilience
{
    /// <summary>The pipeline's name within its client (the full name is <c>{client}-resilience</c>).</summary>
    public const string PipelineName = "resilience";

    /// <summary>Adds the resilience handler, configured from <typeparamref name="TOptions"/> when the pipeline is built.</summary>
    public static IHttpResiliencePipelineBuilder AddProviderResilience<TOptions>(
        this IHttpClientBuilder builder,
        Func<Outcome<HttpResponseMessage>, CancellationToken, ValueTask<bool>> isTransient)
        where TOptions : HttpResilienceOptions
    {
        ArgumentNullException.ThrowIfNull(builder);
        // Once per container, however many clients are added: successful attempts log at Debug (QuietResilienceTelemetry).
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<TelemetryOptions>, QuietResilienceTelemetry>());
        return builder.AddResilienceHandler(PipelineName, (pipeline, context) =>
        {
            var settings = context.ServiceProvider.GetRequiredService<IOptions<TOptions>>().Value;
            // Polly.Extensions already sets the registered TimeProvider on the builders it makes; set here as well so
            // that the strategies and the Retry-After reading below share one clock whatever the registration order.
            var time = context.ServiceProvider.GetRequiredService<TimeProvider>();
            pipeline.TimeProvider = time;
            Configure(pipeline, settings, time, isTransient);
        });
    }

    private static void Configure(
        ResiliencePipelineBuilder<HttpResponseMessage> pipeline,
        HttpResilienceOptions settings,
        TimeProvider time,
        Func<Outcome<HttpResponseMessage>, CancellationToken, ValueTask<bool>> isTransient)
    {
        pipeline.AddTimeout(new HttpTimeoutStrategyOptions { Name = "TotalTimeout", Timeout = settings.TotalTimeout });

        // Compared with an HTTP-date Retry-After read now; the delay generator reads it again a moment later.
        ValueTask<bool> ShouldRetry(Outcome<HttpResponseMessage> outcome, CancellationToken cancellationToken) =>
            outcome.Result is RateLimitedResponse
            || RetryAfter.From(outcome.Result, time.GetUtcNow()) > settings.MaxRetryDelay
                ? ValueTask.FromResult(false)
                : isTransient(outcome, cancellationToken);

        if (settings.MaxRetryAttempts > 0)
        {
            // Polly requires at least one retry; zero means no retry strategy at all.
            pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                Name = "Retry",
                ShouldHandle = args => ShouldRetry(args.Outcome, args.Context.CancellationToken),
                MaxRetryAttempts = settings.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = settings.RetryBaseDelay,
                MaxDelay = settings.MaxRetryDelay,
                // Not the library's ShouldRetryAfterHeader: it reads an HTTP-date Retry-After against TimeProvider.System
                // rather than the pipeline's clock, and Polly caps only its own back-off by MaxDelay, not a generated
                // delay. So the header is read here (RetryAfter) on the injected clock; one above MaxRetryDelay is not
                // retried here at all (ShouldRetry), the cap only guards against a clock that moved in between.
                ShouldRetryAfterHeader = false,
                DelayGenerator = args =>
                    ValueTask.FromResult(RetryAfter.From(args.Outcome.Result, time.GetUtcNow()) is { } wait
                        ? (TimeSpan?)(wait > settings.MaxRetryDelay ? settings.MaxRetryDelay : wait)
                        : null),
            });
        }

        if (settings.RateLimits.Enabled)
        {
            // Inside the retry, so each attempt is counted as the provider counts it; outside the circuit breaker, so a
            // call held back here is no provider failure. One limiter for the life of the pipeline (built once per client).
            var limits = settings.RateLimits;
            pipeline.AddStrategy(_ => new RateLimitStrategy(new ProviderRateLimiter(limits, time), limits, time));
        }

        pipeline
            .AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
            {
                Name = "CircuitBreaker",
                ShouldHandle = args => isTransient(args.Outcome, args.Context.CancellationToken),
                FailureRatio = settings.CircuitBreakerFailureRatio,
                MinimumThroughput = settings.CircuitBreakerMinimumThroughput,
                SamplingDuration = settings.CircuitBreakerSamplingDuration,
                BreakDuration = settings.CircuitBreakerBreakDuration,
            })
            .AddTimeout(new HttpTimeoutStrategyOptions { Name = "AttemptTimeout", Timeout = settings.AttemptTimeout });
    }
}
