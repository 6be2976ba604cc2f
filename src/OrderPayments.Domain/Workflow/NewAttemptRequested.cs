namespace OrderPayments.Domain.Workflow;

/// <summary>After an unpaid end (aborted, expired, refused), start attempt n+1 with a new reference.</summary>
/// <param name="RequestId">The request's id; repeating the same request starts one attempt.</param>
public sealed record NewAttemptRequested(string RequestId) : WorkflowInput;
