namespace OrderPayments.Domain.Workflow;

/// <summary>A provider call that failed permanently: kept on the order so that a person sees it.</summary>
/// <param name="At">When the failure was reported.</param>
/// <param name="Attempt">The attempt the order was on.</param>
/// <param name="Action">What was asked for.</param>
/// <param name="Key">The call's idempotency key.</param>
/// <param name="ErrorCode">The provider's error code or the interpreter's reason.</param>
/// <param name="Detail">An explanation, when there is one.</param>
public sealed record PaymentProblem(
    DateTimeOffset At,
    int Attempt,
    ActionKind Action,
    IdempotencyKey Key,
    string ErrorCode,
    string? Detail);
