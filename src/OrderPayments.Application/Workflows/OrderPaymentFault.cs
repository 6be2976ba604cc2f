namespace OrderPayments.Application.Workflows;

/// <summary>
/// The runtime could not step the order: its stored state or a recorded signal could not be read, or the workflow
/// threw. Nothing of the failed step was written and other orders are not held up; the order's work stays due and
/// is tried again at <paramref name="NextRetryAt"/>, with a pause that doubles per failure (capped). The first step
/// that succeeds clears the fault. Until then the order does not move: an operator should look at
/// <paramref name="LastError"/>.
/// </summary>
/// <param name="Attempts">Failed attempts in a row.</param>
/// <param name="FirstFailedAt">When the first of them failed.</param>
/// <param name="LastFailedAt">When the last one failed.</param>
/// <param name="NextRetryAt">When the order is tried again.</param>
/// <param name="LastError">The last failure: exception type and message (no stored data).</param>
public sealed record OrderPaymentFault(int Attempts, DateTimeOffset FirstFailedAt, DateTimeOffset LastFailedAt, DateTimeOffset NextRetryAt, string LastError);
