using OrderPayments.Domain;
using OrderPayments.Domain.Workflow;

namespace OrderPayments.Application.Payments;

/// <summary>
/// The one activity retry policy of both interpreters: how an attempt of a provider call is classified
/// (<see cref="AttemptAsync"/>) and what follows a transient failure (<see cref="AfterTransientFailure"/>). The embedded
/// runtime and the Durable orchestration both call these two methods, so an order retries the same way on either.
/// Transient faults inside one attempt (a 5xx, a 429 with <c>Retry-After</c>) are first retried by the provider's HTTP
/// resilience pipeline; what is left when it gives up comes here.
/// </summary>
public sealed class ActivityRetryPolicy
{
    private readonly ActivityRetryOptions _options;
    private readonly TimeProvider _time;

    /// <summary>Creates the policy.</summary>
    /// <exception cref="ArgumentException">The options are not usable (<see cref="ActivityRetryOptions.Problems"/>).</exception>
    public ActivityRetryPolicy(ActivityRetryOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Problems() is { Count: > 0 } problems)
        {
            throw new ArgumentException(string.Join(" ", problems), nameof(options));
        }

        _options = options;
        _time = time;
    }

    /// <summary>The settings in force.</summary>
    public ActivityRetryOptions Options => _options;

    /// <summary>
    /// Makes one attempt of <paramref name="action"/>, bounded by <see cref="ActivityRetryOptions.AttemptTimeout"/>. An
    /// answer (success or permanent refusal) comes back as its workflow input; a transient provider failure, no answer in
    /// time, or any other exception as a transient failure (the exception kept in <see cref="AttemptOutcome.Crash"/>).
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (the host stops).</exception>
    public async Task<AttemptOutcome> AttemptAsync(PaymentActivities activities, PaymentProvider provider, WorkflowAction action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activities);
        using var timeout = new CancellationTokenSource(_options.AttemptTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return new AttemptOutcome(await activities.ExecuteAsync(provider, action, linked.Token).ConfigureAwait(false));
        }
        catch (PaymentProviderException e) when (e.IsTransient)
        {
            return new AttemptOutcome(null, e.Message, e.RetryAfter);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new AttemptOutcome(null, $"No answer within {_options.AttemptTimeout}.");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new AttemptOutcome(null, e.GetType().Name) { Crash = e };
        }
    }

    /// <summary>
    /// After the <paramref name="attempt"/>-th transient failure of <paramref name="action"/> (from 1): a query whose
    /// attempts reached <see cref="ActivityRetryOptions.MaxQueryAttempts"/> is given up and reported to the workflow as
    /// <see cref="ActivityFailed"/> with <see cref="ActivityRetryOptions.ExhaustedErrorCode"/>; anything else is made
    /// again after <see cref="ActivityRetryOptions.BaseDelay"/> doubling per attempt up to
    /// <see cref="ActivityRetryOptions.MaxDelay"/>, or after the provider's <paramref name="retryAfter"/> when that is
    /// longer. Mutations are never given up on.
    /// </summary>
    public RetryDecision AfterTransientFailure(WorkflowAction action, int attempt, string error, TimeSpan? retryAfter, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(action);
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        if (action is QueryPayment && attempt >= _options.MaxQueryAttempts)
        {
            return new RetryDecision(null, new ActivityFailed(action.Key, ActivityRetryOptions.ExhaustedErrorCode, error));
        }

        return new RetryDecision(now + Delay(attempt, retryAfter), null);
    }

    /// <summary>The wait after the <paramref name="attempt"/>-th transient failure (from 1).</summary>
    public TimeSpan Delay(int attempt, TimeSpan? retryAfter)
    {
        var backoff = TimeSpan.FromTicks((long)Math.Min(
            _options.BaseDelay.Ticks * Math.Pow(2, Math.Min(attempt - 1, 30)),
            _options.MaxDelay.Ticks));
        return retryAfter > backoff ? retryAfter.Value : backoff;
    }
}
