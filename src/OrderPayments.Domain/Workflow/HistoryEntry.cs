namespace OrderPayments.Domain.Workflow;

/// <summary>One line of an order's history: an input, a decision, a status change or a problem.</summary>
/// <param name="At">The step's time.</param>
/// <param name="Kind">What it records.</param>
/// <param name="Text">What happened, for people (no secrets; amounts and keys only).</param>
public sealed record HistoryEntry(DateTimeOffset At, HistoryEntryKind Kind, string Text);
