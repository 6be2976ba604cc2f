using Microsoft.Extensions.Options;
using OrderPayments.Application.Payments;
using OrderPayments.Domain;
using OrderPayments.Domain.Workflow;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace OrderPayments.PayEx;

/// <summary>
/// The PayEx Vipps instrument seen through the provider port. Payments are named by PayEx's own id (kept by the
/// workflow from the create); every mutation first reads the payment, skips the call when a transaction with the
/// operation's payee reference is already there (a retry of a call that went through), and otherwise runs the
/// operation the payment offers. Abort before authorization; cancellation releases the whole remainder; reversal is
/// the refund. Errors become <see cref="PaymentProviderException"/>s. No PayEx type leaves this class.
/// </summary>
public sealed class PayExPaymentProvider : IPaymentProvider
{
    private static readonly string[] AuthorizeRels = ["create-authorization", "direct-authorization"];
    private readonly PayExVippsClient _client;
    private readonly PayExOptions _options;

    /// <summary>Creates the adapter.</summary>
    public PayExPaymentProvider(PayExVippsClient client, IOptions<PayExOptions> options)
    {
        _client = client;
        _options = options.Value;
    }

    /// <inheritdoc />
    public PaymentProvider Provider => PaymentProvider.PayEx;

    /// <inheritdoc />
    /// <remarks>
    /// With a phone number and the push-message flow, the payer's phone is sent at once through the direct
    /// authorization the payment offers (<c>create-authorization</c> or <c>direct-authorization</c>): no redirect URL.
    /// Otherwise the redirect URL is the payment's <c>redirect-authorization</c> page.
    /// </remarks>
    public Task<CreatedPayment> CreateAsync(CreatePayment action, CancellationToken cancellationToken) =>
        CallAsync(async () =>
        {
            var complete = action.ReturnUrl ?? _options.DefaultCompleteUrl?.AbsoluteUri
                ?? throw new PayExApiException(null, null, "PayEx needs a complete URL: give the order a return URL or set PayEx:DefaultCompleteUrl.", isTransient: false);
            var created = await _client.CreatePaymentAsync(
                new PayExCreatePayment(
                    "Purchase",
                    "Authorization",
                    action.Amount.Currency.ToString(),
                    [new PayExPrice("Vipps", action.Amount.Value, 0)],
                    Describe(action.Description),
                    _options.UserAgent,
                    _options.Language,
                    new PayExUrls(
                        [new Uri(complete).GetLeftPart(UriPartial.Authority)],
                        complete,
                        complete,
                        _options.CallbackUrl is { } callback ? $"{callback.AbsoluteUri}?reference={Uri.EscapeDataString(action.Reference.Value)}" : null),
                    new PayExPayeeInfo(_options.PayeeId, PayExReferences.For(action.Key), _options.PayeeName),
                    action.PhoneNumber is { } phone ? new PayExPrefillInfo("+" + phone) : null),
                cancellationToken).ConfigureAwait(false);
            var id = created.Payment.Id;

            if (action.UserFlow != UserFlow.PushMessage || action.PhoneNumber is null)
            {
                return new CreatedPayment(created.Operation("redirect-authorization")?.Href, id);
            }

            // A retried create replays the payment: authorize only if no authorization was started yet.
            var current = await _client.GetPaymentAsync(id, cancellationToken).ConfigureAwait(false);
            if (current.Payment.Authorizations?.AuthorizationList is not { Count: > 0 })
            {
                var authorize = current.Operation(AuthorizeRels)
                    ?? throw new PayExApiException(null, null, "The payment offers no direct authorization (create-authorization or direct-authorization); the contract may not include the Vipps direct API.", isTransient: false);
                using var _ = await _client.ExecuteAsync(authorize, new { transaction = new { msisdn = "+" + action.PhoneNumber } }, cancellationToken).ConfigureAwait(false);
            }

            return new CreatedPayment(null, id);
        });

    /// <inheritdoc />
    public Task<PaymentObservation> QueryAsync(QueryPayment action, CancellationToken cancellationToken) =>
        CallAsync(async () => PayExObservations.From(action.Reference, await ReadAsync(action, cancellationToken).ConfigureAwait(false)));

    /// <inheritdoc />
    public Task<PaymentObservation> CaptureAsync(CapturePayment action, CancellationToken cancellationToken) =>
        OperateAsync(action, "create-capture", p => p.Captures?.CaptureList, new
        {
            transaction = new { amount = action.Amount.Value, vatAmount = 0L, description = Describe($"Shipment {action.ShipmentId}"), payeeReference = PayExReferences.For(action.Key) },
        }, cancellationToken);

    /// <inheritdoc />
    public Task<PaymentObservation> CancelAsync(CancelPayment action, CancellationToken cancellationToken) =>
        action.CancelTransactionOnly
            ? AbortAsync(new AbortPayment(action.Key, action.Reference) { ProviderPaymentId = action.ProviderPaymentId }, cancellationToken)
            : OperateAsync(action, "create-cancellation", p => p.Cancellations?.CancellationList, new
            {
                transaction = new { description = "Release of the rest of the reservation", payeeReference = PayExReferences.For(action.Key) },
            }, cancellationToken);

    /// <inheritdoc />
    public Task<PaymentObservation> RefundAsync(RefundPayment action, CancellationToken cancellationToken) =>
        OperateAsync(action, "create-reversal", p => p.Reversals?.ReversalList, new
        {
            transaction = new { amount = action.Amount.Value, vatAmount = 0L, description = Describe($"Refund {action.RefundId}"), payeeReference = PayExReferences.For(action.Key) },
        }, cancellationToken);

    /// <inheritdoc />
    public Task<PaymentObservation> AbortAsync(AbortPayment action, CancellationToken cancellationToken) =>
        CallAsync(async () =>
        {
            var payment = await ReadAsync(action, cancellationToken).ConfigureAwait(false);
            if (payment.Payment.State == "Aborted")
            {
                return PayExObservations.From(action.Reference, payment);
            }

            var abort = payment.Operation("update-payment-abort")
                ?? throw new PayExApiException(null, null, $"Payment {payment.Payment.Id} ({payment.Payment.State}) offers no abort: a financial transaction exists.", isTransient: false);
            using (await _client.ExecuteAsync(abort, new { payment = new { operation = "Abort", abortReason = "CancelledByConsumer" } }, cancellationToken).ConfigureAwait(false))
            {
            }

            return PayExObservations.From(action.Reference, await ReadAsync(action, cancellationToken).ConfigureAwait(false));
        });

    private Task<PaymentObservation> OperateAsync(
        WorkflowAction action,
        string rel,
        Func<PayExPayment, IReadOnlyList<PayExTransactionItem>?> transactions,
        object body,
        CancellationToken cancellationToken) =>
        CallAsync(async () =>
        {
            var payment = await ReadAsync(action, cancellationToken).ConfigureAwait(false);
            var payeeReference = PayExReferences.For(action.Key);
            bool Applied(PayExPaymentResponse read) =>
                transactions(read.Payment)?.Any(t => t.Transaction?.PayeeReference == payeeReference && t.Transaction.State != "Failed") == true;
            if (Applied(payment))
            {
                // This operation reached PayEx before (its answer was lost): do not send it again.
                return PayExObservations.From(action.Reference, payment);
            }

            var operation = payment.Operation(rel)
                ?? throw new PayExApiException(null, null, $"Payment {payment.Payment.Id} ({payment.Payment.State}) does not offer {rel} now.", isTransient: false);
            try
            {
                using (await _client.ExecuteAsync(operation, body, cancellationToken).ConfigureAwait(false))
                {
                }
            }
            catch (PayExApiException refused) when (!refused.IsTransient)
            {
                // An earlier attempt of this POST may have been applied with its answer lost (a timeout, then this
                // refusal of the retry): read before calling it failed, as before sending it.
                var after = await ReadAsync(action, cancellationToken).ConfigureAwait(false);
                if (!Applied(after))
                {
                    throw;
                }

                return PayExObservations.From(action.Reference, after);
            }

            return PayExObservations.From(action.Reference, await ReadAsync(action, cancellationToken).ConfigureAwait(false));
        });

    private Task<PayExPaymentResponse> ReadAsync(WorkflowAction action, CancellationToken cancellationToken) =>
        _client.GetPaymentAsync(
            action.ProviderPaymentId ?? throw new PayExApiException(null, null, $"No PayEx payment id is known for {action.Reference}.", isTransient: false),
            cancellationToken);

    // PayEx takes at most 40 characters. A start with a longer description is refused (PaymentRequest.Validate); orders
    // started before that rule, and the captures' and reversals' own texts, are cut to fit.
    private static string Describe(string text) =>
        text.Length > PaymentRequest.MaxPayExDescriptionLength ? text[..PaymentRequest.MaxPayExDescriptionLength] : text;

    private static async Task<T> CallAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (PayExApiException e)
        {
            throw new PaymentProviderException(e.ErrorCode, e.Message, e.IsTransient, e.RetryAfter, e);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException or BrokenCircuitException)
        {
            throw new PaymentProviderException("unavailable", $"PayEx could not be reached: {e.Message}", isTransient: true, innerException: e);
        }
    }
}
