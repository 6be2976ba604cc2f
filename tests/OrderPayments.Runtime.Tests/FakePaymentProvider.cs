using System.Collections.Concurrent;
using OrderPayments.Application.Payments;
using OrderPayments.Domain;
using OrderPayments.Domain.Workflow;

namespace OrderPayments.Runtime.Tests;

/// <summary>
/// An in-memory provider: idempotent by key like Vipps (a repeated key returns the first outcome and applies nothing),
/// recording every call, with knobs for transient failures and refusals.
/// </summary>
internal sealed class FakePaymentProvider : IPaymentProvider
{
    private readonly Lock _lock = new();
    private readonly Dictionary<PaymentReference, PaymentObservation> _payments = [];
    private readonly Dictionary<PaymentReference, Money> _amounts = [];
    private readonly Dictionary<IdempotencyKey, object> _outcomes = [];
    private readonly ConcurrentDictionary<ActionKind, int> _transientFailuresLeft = new();
    private readonly ConcurrentDictionary<ActionKind, string> _refusals = new();

    public ConcurrentQueue<WorkflowAction> Calls { get; } = new();

    public ConcurrentDictionary<IdempotencyKey, int> Applied { get; } = new();

    public PaymentProvider Provider => PaymentProvider.Vipps;

    /// <summary>Authorize every payment as soon as it is created.</summary>
    public bool AutoAuthorize { get; set; }

    /// <summary>Captures wait for this before answering (to hold a call in flight).</summary>
    public Task CaptureGate { get; set; } = Task.CompletedTask;

    /// <summary>Completes when a capture call has reached the provider.</summary>
    public TaskCompletionSource CaptureStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void FailTransiently(ActionKind kind, int times) => _transientFailuresLeft[kind] = times;

    public void Refuse(ActionKind kind, string code) => _refusals[kind] = code;

    public void Approve(PaymentReference reference)
    {
        lock (_lock)
        {
            var payment = _payments[reference];
            _payments[reference] = payment with { State = ProviderPaymentState.Authorized, Aggregate = payment.Aggregate with { Authorized = _amounts[reference] } };
        }
    }

    public int CallsFor(ActionKind kind) => Calls.Count(c => c.Kind == kind);

    public Task<CreatedPayment> CreateAsync(CreatePayment action, CancellationToken cancellationToken) =>
        Run(action, () =>
        {
            _amounts[action.Reference] = action.Amount;
            var zero = PaymentAggregate.Zero(action.Amount.Currency);
            _payments[action.Reference] = AutoAuthorize
                ? new PaymentObservation(action.Reference, ProviderPaymentState.Authorized, zero with { Authorized = action.Amount })
                : new PaymentObservation(action.Reference, ProviderPaymentState.Created, zero);
            return new CreatedPayment($"https://landing.example/{action.Reference}");
        });

    public Task<PaymentObservation> QueryAsync(QueryPayment query, CancellationToken cancellationToken)
    {
        var reference = query.Reference;
        Calls.Enqueue(query);
        return Fail<PaymentObservation>(query) ?? Task.FromResult(Payment(reference));
    }

    public async Task<PaymentObservation> CaptureAsync(CapturePayment action, CancellationToken cancellationToken)
    {
        CaptureStarted.TrySetResult();
        await CaptureGate.WaitAsync(cancellationToken);
        return await Run(action, () => Change(action.Reference, a => a with { Captured = a.Captured + action.Amount }));
    }

    public Task<PaymentObservation> CancelAsync(CancelPayment action, CancellationToken cancellationToken) =>
        Run(action, () =>
        {
            var payment = Payment(action.Reference);
            return payment.State == ProviderPaymentState.Created
                ? Save(payment with { State = ProviderPaymentState.Terminated, Aggregate = payment.Aggregate with { Cancelled = _amounts[action.Reference] } })
                : Change(action.Reference, a => a with { Cancelled = a.Cancelled + a.Remaining });
        });

    public Task<PaymentObservation> RefundAsync(RefundPayment action, CancellationToken cancellationToken) =>
        Run(action, () => Change(action.Reference, a => a with { Refunded = a.Refunded + action.Amount }));

    public Task<PaymentObservation> AbortAsync(AbortPayment action, CancellationToken cancellationToken) =>
        Task.FromException<PaymentObservation>(new PaymentProviderException("not-supported", "No abort.", isTransient: false));

    private PaymentObservation Payment(PaymentReference reference)
    {
        lock (_lock)
        {
            return _payments[reference];
        }
    }

    private PaymentObservation Change(PaymentReference reference, Func<PaymentAggregate, PaymentAggregate> change) =>
        Save(Payment(reference) with { Aggregate = change(Payment(reference).Aggregate) });

    private PaymentObservation Save(PaymentObservation payment)
    {
        _payments[payment.Reference] = payment;
        return payment;
    }

    private Task<T>? Fail<T>(WorkflowAction action)
    {
        if (_transientFailuresLeft.TryGetValue(action.Kind, out var left) && left > 0)
        {
            _transientFailuresLeft[action.Kind] = left - 1;
            return Task.FromException<T>(new PaymentProviderException("503", "Service unavailable", isTransient: true));
        }

        return _refusals.TryGetValue(action.Kind, out var code)
            ? Task.FromException<T>(new PaymentProviderException(code, $"Refused with {code}", isTransient: false))
            : null;
    }

    private Task<T> Run<T>(WorkflowAction action, Func<T> apply)
        where T : class
    {
        Calls.Enqueue(action);
        if (Fail<T>(action) is { } failure)
        {
            return failure;
        }

        lock (_lock)
        {
            if (!_outcomes.TryGetValue(action.Key, out var outcome))
            {
                outcome = apply();
                _outcomes[action.Key] = outcome;
                Applied.AddOrUpdate(action.Key, 1, (_, n) => n + 1);
            }

            return Task.FromResult((T)outcome);
        }
    }
}
