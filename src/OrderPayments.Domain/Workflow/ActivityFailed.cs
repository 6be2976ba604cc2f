namespace OrderPayments.Domain.Workflow;

/// <summary>
/// An action failed permanently: the provider rejected it (a business error), or the interpreter gave up
/// retrying. Transient failures are retried by the interpreter and never reach the workflow.
/// </summary>
/// <param name="Key">The action's idempotency key.</param>
/// <param name="ErrorCode">The provider's error code (e.g. Vipps <c>6090</c>) or the interpreter's reason.</param>
/// <param name="Detail">A human-readable explanation, without secrets.</param>
public sealed record ActivityFailed(IdempotencyKey Key, string ErrorCode, string? Detail = null) : WorkflowInput;
