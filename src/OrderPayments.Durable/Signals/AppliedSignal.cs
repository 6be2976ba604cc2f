using OrderPayments.Domain.Workflow;

namespace OrderPayments.Durable.Signals;

/// <summary>What applying a signal came to, recorded with it in the inbox so that a retry is answered with it.</summary>
/// <param name="DedupeKey">The signal's identity.</param>
/// <param name="Outcome">Applied, unchanged or rejected.</param>
/// <param name="Rejection">Why it was rejected, when it was.</param>
/// <param name="Sequence">Its place in the inbox (0 when not known: outcomes carried from before sequences existed).</param>
internal sealed record AppliedSignal(string DedupeKey, InputOutcome Outcome, InputRejection? Rejection = null, long Sequence = 0);
