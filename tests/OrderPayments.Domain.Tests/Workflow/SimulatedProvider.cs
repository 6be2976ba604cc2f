using OrderPayments.Domain.Workflow;

namespace OrderPayments.Domain.Tests.Workflow;

/// <summary>
/// A minimal model of Vipps ePayment for property tests: the real state machine and totals, idempotent by key,
/// and a record of every request that a real provider would have to refuse (the workflow must never make one).
/// </summary>
internal sealed class SimulatedProvider
{
    private readonly Dictionary<PaymentReference, PaymentObservation> _payments = [];
    private readonly Dictionary<IdempotencyKey, WorkflowInput> _outcomes = [];

    /// <summary>Every observation the provider ever showed, for replaying stale and reordered ones.</summary>
    public List<PaymentObservation> Snapshots { get; } = [];

    /// <summary>Requests the workflow should never have made (over-capture, capture before authorization, …).</summary>
    public List<string> Violations { get; } = [];

    public IEnumerable<PaymentObservation> Payments => _payments.Values;

    public PaymentObservation? Find(PaymentReference reference) => _payments.GetValueOrDefault(reference);

    /// <summary>Runs an action as the provider would; the same key always gives the same outcome.</summary>
    public WorkflowInput Run(WorkflowAction action)
    {
        if (_outcomes.TryGetValue(action.Key, out var earlier))
        {
            return earlier;
        }

        var outcome = Execute(action);
        if (action.IsMutating)
        {
            _outcomes[action.Key] = outcome;
        }

        return outcome;
    }

    /// <summary>The customer (or the provider's clock) decides a payment that is still waiting.</summary>
    public void Decide(PaymentReference reference, ProviderPaymentState decision)
    {
        if (Find(reference) is { State: ProviderPaymentState.Created } payment)
        {
            var totals = decision == ProviderPaymentState.Authorized
                ? payment.Aggregate with { Authorized = Amounts[reference] }
                : payment.Aggregate;
            Save(payment with { State = decision, Aggregate = totals });
        }
    }

    private Dictionary<PaymentReference, Money> Amounts { get; } = [];

    private WorkflowInput Execute(WorkflowAction action)
    {
        var payment = Find(action.Reference);
        if (action is CreatePayment create)
        {
            if (payment is not null)
            {
                Violations.Add($"Second create for {create.Reference} with a new key {create.Key}.");
                return new ActivityFailed(action.Key, "4150", "Reference already exists");
            }

            Amounts[create.Reference] = create.Amount;
            Save(new PaymentObservation(create.Reference, ProviderPaymentState.Created, PaymentAggregate.Zero(create.Amount.Currency)));
            return new ActivitySucceeded(action.Key, RedirectUrl: $"https://landing.example/{create.Reference}");
        }

        if (payment is null)
        {
            return new ActivityFailed(action.Key, "404", "Unknown reference");
        }

        var totals = payment.Aggregate;
        switch (action)
        {
            case QueryPayment:
                return new ActivitySucceeded(action.Key, payment);

            case CapturePayment capture when payment.State != ProviderPaymentState.Authorized:
                Violations.Add($"Capture {capture.Key} before authorization ({payment.State}).");
                return new ActivityFailed(action.Key, "6080", "Capture before reservation");

            case CapturePayment capture when capture.Amount > totals.Remaining:
                Violations.Add($"Capture {capture.Key} of {capture.Amount} above the remaining {totals.Remaining}.");
                return new ActivityFailed(action.Key, "6090", "Capture amount too high");

            case CapturePayment capture:
                return Modified(payment with { Aggregate = totals with { Captured = totals.Captured + capture.Amount } }, action);

            case RefundPayment refund when refund.Amount > totals.Captured - totals.Refunded:
                Violations.Add($"Refund {refund.Key} of {refund.Amount} above captured minus refunded.");
                return new ActivityFailed(action.Key, "6150", "Not enough refundable");

            case RefundPayment refund:
                return Modified(payment with { Aggregate = totals with { Refunded = totals.Refunded + refund.Amount } }, action);

            case CancelPayment or AbortPayment when payment.State == ProviderPaymentState.Created:
                // As in Vipps' example: TERMINATED with the whole amount cancelled and nothing authorized.
                return Modified(payment with
                {
                    State = action is AbortPayment ? ProviderPaymentState.Aborted : ProviderPaymentState.Terminated,
                    Aggregate = totals with { Cancelled = Amounts[action.Reference] },
                }, action);

            case CancelPayment { CancelTransactionOnly: true } when payment.State == ProviderPaymentState.Authorized:
                return new ActivityFailed(action.Key, "6060", "Cannot cancel an authorized payment");

            case CancelPayment when payment.State == ProviderPaymentState.Authorized && totals.Remaining.IsZero:
                return new ActivityFailed(action.Key, "6040", "Nothing left to cancel");

            case CancelPayment when payment.State == ProviderPaymentState.Authorized:
                return Modified(payment with { Aggregate = totals with { Cancelled = totals.Cancelled + totals.Remaining } }, action);

            default:
                return new ActivityFailed(action.Key, "6050", $"Cannot {action.Kind} a payment that is {payment.State}");
        }
    }

    private ActivitySucceeded Modified(PaymentObservation after, WorkflowAction action)
    {
        Save(after);
        return new ActivitySucceeded(action.Key, after);
    }

    private void Save(PaymentObservation observation)
    {
        _payments[observation.Reference] = observation;
        Snapshots.Add(observation);
    }
}
