using System.Text.Json;
using OrderPayments.Application.Notifications;
using OrderPayments.Domain;
using OrderPayments.Domain.Workflow;

namespace OrderPayments.Vipps.Webhooks;

/// <summary>
/// The Vipps webhook intake: verifies the HMAC signature over the raw body against the registered URL, then says
/// what the event means. Events that carry the facts become observations (AUTHORIZED with its amount; ABORTED and
/// EXPIRED, which end the payment with nothing reserved), so the happy path needs no query; the others, and any
/// event reporting a failure, are hints the workflow follows with a query, unless they echo one of its own calls.
/// </summary>
public sealed class VippsNotifications : IProviderNotifications
{
    private readonly VippsWebhookSubscription _subscription;

    /// <summary>Creates the intake over this deployment's registration.</summary>
    public VippsNotifications(VippsWebhookSubscription subscription) => _subscription = subscription;

    /// <inheritdoc />
    public PaymentProvider Provider => PaymentProvider.Vipps;

    /// <inheritdoc />
    public Task<NotificationIntake> ReadAsync(NotificationDelivery delivery, CancellationToken cancellationToken)
    {
        if (_subscription.Verifier is not { } verifier)
        {
            return Task.FromResult(NotificationIntake.NotAuthentic("No Vipps webhook is registered yet, so no delivery can be verified; Vipps retries."));
        }

        (WebhookVerificationResult Result, VippsWebhookEvent? Event) read;
        try
        {
            read = verifier.VerifyAndParse(
                delivery.Body.Span,
                delivery.Header(VippsWebhookVerifier.Headers.Date),
                delivery.Header(VippsWebhookVerifier.Headers.ContentSha256),
                delivery.Header(VippsWebhookVerifier.Headers.Authorization));
        }
        catch (JsonException exception)
        {
            // Only parsed after the signature verified: an authentic body that is not a webhook event.
            return Task.FromResult(NotificationIntake.Unreadable($"The signed body is not a Vipps webhook event: {exception.Message}"));
        }

        return Task.FromResult(read.Result switch
        {
            WebhookVerificationResult.Valid => NotificationIntake.Verified(Translate(read.Event!)),
            WebhookVerificationResult.MissingHeaders => NotificationIntake.NotAuthentic("The x-ms-date, x-ms-content-sha256 and Authorization headers are required."),
            WebhookVerificationResult.ContentHashMismatch => NotificationIntake.NotAuthentic("x-ms-content-sha256 does not match the body."),
            WebhookVerificationResult.MalformedAuthorization => NotificationIntake.NotAuthentic("Authorization must be 'HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=…'."),
            WebhookVerificationResult.DateNotCurrent => NotificationIntake.NotAuthentic($"x-ms-date is not within {VippsOptions.SectionName}:{nameof(VippsOptions.WebhookMaxClockSkew)} of this host's clock: a replayed or delayed delivery is not taken."),
            _ => NotificationIntake.NotAuthentic("The signature does not match."),
        });
    }

    /// <summary>What one verified event means for the workflow; empty when it means nothing (e.g. not our reference).</summary>
    public static IReadOnlyList<ProviderNotification> Translate(VippsWebhookEvent webhook)
    {
        if (string.IsNullOrEmpty(webhook.Reference) || string.IsNullOrEmpty(webhook.Name))
        {
            return [];
        }

        PaymentReference reference;
        try
        {
            reference = PaymentReference.Parse(webhook.Reference);
        }
        catch (FormatException)
        {
            return [];
        }

        var name = webhook.Name.ToUpperInvariant();
        var dedupe = $"vipps:{reference}:{name}:{webhook.PspReference ?? webhook.Timestamp?.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture)}";
        WorkflowInput? input = (name, webhook.Success, webhook.Amount) switch
        {
            ("CREATED", _, _) => null,
            ("AUTHORIZED", true, { IsZero: false } amount) => Observed(reference, ProviderPaymentState.Authorized, amount, authorized: true),
            ("ABORTED", true, { } amount) => Observed(reference, ProviderPaymentState.Aborted, amount, authorized: false),
            ("EXPIRED", true, { } amount) => Observed(reference, ProviderPaymentState.Expired, amount, authorized: false),
            _ => new ProviderNotified(reference, name, Key(webhook.IdempotencyKey)),
        };
        return input is null ? [] : [new ProviderNotification(reference, input, dedupe)];
    }

    private static ProviderObserved Observed(PaymentReference reference, ProviderPaymentState state, Money amount, bool authorized)
    {
        var zero = Money.Zero(amount.Currency);
        return new ProviderObserved(new PaymentObservation(reference, state, new PaymentAggregate(authorized ? amount : zero, zero, zero, zero)));
    }

    private static IdempotencyKey? Key(string? value)
    {
        try
        {
            return string.IsNullOrEmpty(value) ? null : IdempotencyKey.Parse(value);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
