using System.Globalization;

namespace OrderPayments.Domain.Workflow;

/// <summary>The working state of one transition: the state being built, the actions emitted, the time.</summary>
internal sealed class StepContext(OrderPaymentState state, DateTimeOffset now)
{
    private readonly List<WorkflowAction> _actions = [];

    public OrderPaymentState State { get; set; } = state;

    public DateTimeOffset Now { get; } = now;

    public IReadOnlyList<WorkflowAction> Actions => _actions;

    public Currency Currency => State.Request.Amount.Currency;

    /// <summary>The key for the next <paramref name="operation"/> of <paramref name="attempt"/>; consumes the sequence number.</summary>
    public IdempotencyKey NextKey(string operation, int? attempt = null)
    {
        var sequence = State.Sequences.GetValueOrDefault(operation) + 1;
        State = State with { Sequences = State.Sequences.SetItem(operation, sequence) };
        return IdempotencyKey.For(State.OrderId, attempt ?? State.Attempt, operation, sequence);
    }

    public void Issue(WorkflowAction action)
    {
        if (action.ProviderPaymentId is null && State.ProviderPaymentIds.TryGetValue(action.Reference.Value, out var providerId))
        {
            action = action with { ProviderPaymentId = providerId };
        }

        _actions.Add(action);
        State = State with
        {
            InFlight = State.InFlight.Add(action),
            LastQueryIssuedAt = action is QueryPayment && action.Reference == State.Reference ? Now : State.LastQueryIssuedAt,
        };
        Record(HistoryEntryKind.Action, Describe(action));
    }

    public void SetStatus(PaymentStatus status)
    {
        if (State.Status == status)
        {
            return;
        }

        Record(HistoryEntryKind.Status, $"{State.Status} → {status}");
        State = State with { Status = status };
    }

    public void AddProblem(WorkflowAction action, string errorCode, string? detail)
    {
        State = State with
        {
            Problems = State.Problems.Add(new PaymentProblem(Now, State.Attempt, action.Kind, action.Key, errorCode, detail)),
        };
        Record(HistoryEntryKind.Problem, $"{action.Kind} {action.Key} failed permanently: {errorCode}{(detail is null ? "" : " — " + detail)}");
    }

    public void Record(HistoryEntryKind kind, string text) =>
        State = State with { History = State.History.Add(new HistoryEntry(Now, kind, text)) };

    public bool IsInFlight(ActionKind kind, PaymentReference reference) =>
        State.InFlight.Exists(a => a.Kind == kind && a.Reference == reference);

    private static string Describe(WorkflowAction action) => action switch
    {
        CreatePayment c => $"Create {c.Reference} for {c.Amount} ({c.Provider}, {c.UserFlow}) key {c.Key}",
        CapturePayment c => $"Capture {c.Amount} for shipment {c.ShipmentId} key {c.Key}",
        RefundPayment r => $"Refund {r.Amount} for refund {r.RefundId} key {r.Key}",
        CancelPayment c => string.Create(
            CultureInfo.InvariantCulture,
            $"Cancel {c.Reference}{(c.CancelTransactionOnly ? " if not authorized" : " (release the remaining reservation)")} key {c.Key}"),
        _ => $"{action.Kind} {action.Reference} key {action.Key}",
    };
}
