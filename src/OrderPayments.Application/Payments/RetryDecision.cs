using OrderPayments.Domain.Workflow;

namespace OrderPayments.Application.Payments;

/// <summary>What follows a transient failure (<see cref="ActivityRetryPolicy.AfterTransientFailure"/>): the next attempt's time, or giving up.</summary>
/// <param name="RetryAt">When to make the call again with the same key; null when giving up.</param>
/// <param name="GiveUp">The input to feed the workflow instead (a query whose attempts are spent); null when retrying.</param>
public sealed record RetryDecision(DateTimeOffset? RetryAt, WorkflowInput? GiveUp);
