using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;

namespace OrderPayments.Http;

/// <summary>
/// Builds the pipeline every provider client uses: total budget → retry of transient failures (jittered exponential
/// back-off, honouring <c>Retry-After</c> up to the maximum) → circuit breaker → per-attempt timeout. What counts as
/// transient is the provider's to say.
/// </summary>
internal static class HttpResilience
{
    public static ResiliencePipeline<HttpResponseMessage> Build(
        HttpResilienceOptions settings,
        TimeProvider timeProvider,
        Func<Outcome<HttpResponseMessage>, CancellationToken, ValueTask<bool>> isTransient,
        Action<int, int?, string?, TimeSpan> onRetry,
        Action<TimeSpan> onOpened)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = timeProvider }
            .AddTimeout(settings.TotalTimeout);
        if (settings.MaxRetryAttempts > 0)
        {
            // Polly requires at least one retry; zero means no retry strategy at all.
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = args => isTransient(args.Outcome, args.Context.CancellationToken),
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
                    onRetry(args.AttemptNumber + 1, (int?)args.Outcome.Result?.StatusCode, args.Outcome.Exception?.GetType().Name, args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            });
        }

        return builder
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = args => isTransient(args.Outcome, args.Context.CancellationToken),
                FailureRatio = settings.CircuitBreakerFailureRatio,
                MinimumThroughput = settings.CircuitBreakerMinimumThroughput,
                SamplingDuration = settings.CircuitBreakerSamplingDuration,
                BreakDuration = settings.CircuitBreakerBreakDuration,
                OnOpened = args =>
                {
                    onOpened(args.BreakDuration);
                    return ValueTask.CompletedTask;
                },
            })
            .AddTimeout(settings.AttemptTimeout)
            .Build();
    }
}

/// <summary>
/// Runs each request through a resilience pipeline, sending a fresh copy of it per attempt (a request message can
/// be sent only once; the body is buffered so every attempt carries the same bytes and headers).
/// </summary>
internal class ResilienceHandler : DelegatingHandler
{
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;

    public ResilienceHandler(ResiliencePipeline<HttpResponseMessage> pipeline) => _pipeline = pipeline;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var snapshot = await HttpRequestSnapshot.CaptureAsync(request, cancellationToken).ConfigureAwait(false);
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        try
        {
            var outcome = await _pipeline.ExecuteOutcomeAsync(
                static async (context, state) =>
                {
                    try
                    {
                        var response = await state.Handler.SendOnceAsync(state.Snapshot.Create(), context.CancellationToken).ConfigureAwait(false);
                        return Outcome.FromResult(response);
                    }
                    catch (Exception e)
                    {
                        return Outcome.FromException<HttpResponseMessage>(e);
                    }
                },
                context,
                (Handler: this, Snapshot: snapshot)).ConfigureAwait(false);
            outcome.ThrowIfException();
            return outcome.Result!;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private Task<HttpResponseMessage> SendOnceAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        base.SendAsync(request, cancellationToken);
}
