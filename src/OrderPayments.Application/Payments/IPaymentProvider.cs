using OrderPayments.Domain;
using OrderPayments.Domain.Workflow;

namespace OrderPayments.Application.Payments;

/// <summary>
/// A payment provider seen from the workflow: every call is made with the workflow's idempotency key, returns
/// provider-neutral results, and fails with a <see cref="PaymentProviderException"/> that says whether a retry
/// can help. Implemented by the Vipps and PayEx adapters; called only by <see cref="PaymentActivities"/>.
/// </summary>
public interface IPaymentProvider
{
    /// <summary>Which provider this is.</summary>
    PaymentProvider Provider { get; }

    /// <summary>Creates the payment; the same key and body give the same payment.</summary>
    /// <returns>The redirect URL for the customer (none for push messages).</returns>
    /// <exception cref="PaymentProviderException">The provider refused, or the call could not be completed.</exception>
    Task<CreatedPayment> CreateAsync(CreatePayment action, CancellationToken cancellationToken);

    /// <summary>Reads the payment's state and totals.</summary>
    /// <exception cref="PaymentProviderException">The provider refused, or the call could not be completed.</exception>
    Task<PaymentObservation> QueryAsync(QueryPayment action, CancellationToken cancellationToken);

    /// <summary>Captures the amount, idempotently by the action's key.</summary>
    /// <returns>The payment after the capture.</returns>
    /// <exception cref="PaymentProviderException">The provider refused, or the call could not be completed.</exception>
    Task<PaymentObservation> CaptureAsync(CapturePayment action, CancellationToken cancellationToken);

    /// <summary>Cancels (before authorization) or releases the rest of the reservation, idempotently by the action's key.</summary>
    /// <returns>The payment after the cancel.</returns>
    /// <exception cref="PaymentProviderException">The provider refused, or the call could not be completed.</exception>
    Task<PaymentObservation> CancelAsync(CancelPayment action, CancellationToken cancellationToken);

    /// <summary>Refunds the amount, idempotently by the action's key.</summary>
    /// <returns>The payment after the refund.</returns>
    /// <exception cref="PaymentProviderException">The provider refused, or the call could not be completed.</exception>
    Task<PaymentObservation> RefundAsync(RefundPayment action, CancellationToken cancellationToken);

    /// <summary>Aborts a payment that is not authorized (providers without an abort refuse permanently).</summary>
    /// <returns>The payment after the abort.</returns>
    /// <exception cref="PaymentProviderException">The provider refused, or the call could not be completed.</exception>
    Task<PaymentObservation> AbortAsync(AbortPayment action, CancellationToken cancellationToken);
}
