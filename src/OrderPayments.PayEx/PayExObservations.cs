using OrderPayments.Domain;
using OrderPayments.Domain.Workflow;

namespace OrderPayments.PayEx;

/// <summary>
/// A PayEx payment as the workflow's observation. The payment state says nothing about money reserved, so the totals
/// are the sums of the completed transactions: authorizations, captures, cancellations, reversals. Authorized once an
/// authorization completed; Aborted when the payment was aborted or failed with nothing authorized; otherwise still
/// waiting (Created).
/// </summary>
internal static class PayExObservations
{
    public static PaymentObservation From(PaymentReference reference, PayExPaymentResponse response)
    {
        var payment = response.Payment;
        var currency = Enum.TryParse<Currency>(payment.Currency, out var parsed) && Enum.IsDefined(parsed) ? parsed : Currency.NOK;
        Money Sum(IReadOnlyList<PayExTransactionItem>? items) =>
            new((items ?? []).Where(i => i.Transaction is { State: "Completed" }).Sum(i => i.Transaction!.Amount), currency);

        var authorized = Sum(payment.Authorizations?.AuthorizationList);
        var state = !authorized.IsZero
            ? ProviderPaymentState.Authorized
            : payment.State is "Aborted" or "Failed" ? ProviderPaymentState.Aborted : ProviderPaymentState.Created;
        return new PaymentObservation(
            reference,
            state,
            new PaymentAggregate(authorized, Sum(payment.Captures?.CaptureList), Sum(payment.Cancellations?.CancellationList), Sum(payment.Reversals?.ReversalList)));
    }
}
