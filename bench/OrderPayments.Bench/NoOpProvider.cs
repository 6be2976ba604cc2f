using OrderPayments.Application.Payments;
using OrderPayments.Domain;
using OrderPayments.Domain.Workflow;

namespace OrderPayments.Bench;

/// <summary>A provider that answers at once: every payment is authorized when read, every capture succeeds.</summary>
internal sealed class NoOpProvider : IPaymentProvider
{
    private static readonly Money Amount = new(1000, Currency.NOK);
    private static readonly Money Zero = Money.Zero(Currency.NOK);

    public PaymentProvider Provider => PaymentProvider.Vipps;

    public Task<CreatedPayment> CreateAsync(CreatePayment action, CancellationToken cancellationToken) =>
        Task.FromResult(new CreatedPayment("https://landing.example/pay"));

    public Task<PaymentObservation> QueryAsync(QueryPayment action, CancellationToken cancellationToken) =>
        Task.FromResult(new PaymentObservation(action.Reference, ProviderPaymentState.Authorized, new PaymentAggregate(Amount, Zero, Zero, Zero)));

    public Task<PaymentObservation> CaptureAsync(CapturePayment action, CancellationToken cancellationToken) =>
        Task.FromResult(new PaymentObservation(action.Reference, ProviderPaymentState.Authorized, new PaymentAggregate(Amount, action.Amount, Zero, Zero)));

    public Task<PaymentObservation> CancelAsync(CancelPayment action, CancellationToken cancellationToken) =>
        Task.FromResult(new PaymentObservation(action.Reference, ProviderPaymentState.Authorized, new PaymentAggregate(Amount, Zero, Amount, Zero)));

    public Task<PaymentObservation> RefundAsync(RefundPayment action, CancellationToken cancellationToken) =>
        Task.FromResult(new PaymentObservation(action.Reference, ProviderPaymentState.Authorized, new PaymentAggregate(Amount, Amount, Zero, action.Amount)));

    public Task<PaymentObservation> AbortAsync(AbortPayment action, CancellationToken cancellationToken) =>
        Task.FromException<PaymentObservation>(new PaymentProviderException("not-supported", "No abort.", isTransient: false));
}
