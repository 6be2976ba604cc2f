using OrderPayments.Application.Payments;
using OrderPayments.Domain;
using OrderPayments.Domain.Workflow;
using OrderPayments.Vipps.EPayment;
using OrderPayments.Vipps.Http;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace OrderPayments.Vipps;

/// <summary>
/// The Vipps ePayment API behind the workflow's provider port: workflow actions become ePayment calls with the
/// workflow's idempotency key, answers become provider-neutral observations, and failures become
/// <see cref="PaymentProviderException"/>s classified transient or permanent. No Vipps type leaves this class.
/// </summary>
public sealed class VippsPaymentProvider : IPaymentProvider
{
    private readonly VippsEPaymentClient _client;

    /// <summary>Creates the adapter.</summary>
    public VippsPaymentProvider(VippsEPaymentClient client) => _client = client;

    /// <inheritdoc />
    public PaymentProvider Provider => PaymentProvider.Vipps;

    /// <inheritdoc />
    public Task<CreatedPayment> CreateAsync(CreatePayment action, CancellationToken cancellationToken) =>
        CallAsync(async () =>
        {
            var request = new VippsCreatePaymentRequest(
                action.Amount,
                new VippsPaymentMethod(VippsPaymentMethod.Wallet),
                action.Reference.Value,
                action.UserFlow,
                action.ReturnUrl,
                action.Description,
                action.PhoneNumber is null ? null : new VippsCustomer(action.PhoneNumber));
            var created = await _client.CreatePaymentAsync(request, action.Key, cancellationToken).ConfigureAwait(false);
            return new CreatedPayment(created.RedirectUrl);
        });

    /// <inheritdoc />
    public Task<PaymentObservation> QueryAsync(QueryPayment action, CancellationToken cancellationToken) =>
        CallAsync(async () =>
        {
            var reference = action.Reference;
            var payment = await _client.GetPaymentAsync(reference, cancellationToken).ConfigureAwait(false);
            return Observe(reference, payment.State, payment.Aggregate);
        });

    /// <inheritdoc />
    public Task<PaymentObservation> CaptureAsync(CapturePayment action, CancellationToken cancellationToken) =>
        CallAsync(async () => Observe(action.Reference, await _client.CaptureAsync(action.Reference, action.Amount, action.Key, cancellationToken).ConfigureAwait(false)));

    /// <inheritdoc />
    public Task<PaymentObservation> CancelAsync(CancelPayment action, CancellationToken cancellationToken) =>
        CallAsync(async () => Observe(action.Reference, await _client.CancelAsync(action.Reference, action.CancelTransactionOnly, action.Key, cancellationToken).ConfigureAwait(false)));

    /// <inheritdoc />
    public Task<PaymentObservation> RefundAsync(RefundPayment action, CancellationToken cancellationToken) =>
        CallAsync(async () => Observe(action.Reference, await _client.RefundAsync(action.Reference, action.Amount, action.Key, cancellationToken).ConfigureAwait(false)));

    /// <summary>Vipps has no abort; the workflow cancels Vipps payments instead. Always a permanent refusal.</summary>
    public Task<PaymentObservation> AbortAsync(AbortPayment action, CancellationToken cancellationToken) =>
        Task.FromException<PaymentObservation>(new PaymentProviderException(
            "not-supported", "The Vipps ePayment API has no abort; use cancel with cancelTransactionOnly.", isTransient: false));

    private static PaymentObservation Observe(PaymentReference reference, VippsModificationResponse response) =>
        Observe(reference, response.State, response.Aggregate);

    private static PaymentObservation Observe(PaymentReference reference, VippsPaymentState state, VippsAggregate totals) => new(
        reference,
        state switch
        {
            VippsPaymentState.Created => ProviderPaymentState.Created,
            VippsPaymentState.Authorized => ProviderPaymentState.Authorized,
            VippsPaymentState.Aborted => ProviderPaymentState.Aborted,
            VippsPaymentState.Expired => ProviderPaymentState.Expired,
            VippsPaymentState.Terminated => ProviderPaymentState.Terminated,
            _ => throw new PaymentProviderException("unknown-state", $"Vipps reported an unknown state {state}.", isTransient: false),
        },
        new PaymentAggregate(totals.AuthorizedAmount, totals.CapturedAmount, totals.CancelledAmount, totals.RefundedAmount));

    private static async Task<T> CallAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (VippsApiException e)
        {
            throw new PaymentProviderException(e.ErrorCode ?? ((int)e.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture), e.Message, e.IsTransient, e.RetryAfter, e);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException or BrokenCircuitException)
        {
            throw new PaymentProviderException("unavailable", $"Vipps could not be reached: {e.Message}", isTransient: true, innerException: e);
        }
    }
}
