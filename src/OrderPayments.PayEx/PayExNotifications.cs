using System.Text.Json;
using OrderPayments.Application.Notifications;
using OrderPayments.Domain;
using OrderPayments.Domain.Workflow;

namespace OrderPayments.PayEx;

/// <summary>
/// The PayEx callback intake. Callbacks are unsigned, so the body is only a trigger: the payment reference comes from
/// the callback URL this deployment gave the payment (<c>?reference=</c>), and the workflow answers with a query
/// through the authenticated API. A forged callback can therefore cause a read, never move any state. Each
/// transaction's callback is recorded once (PayEx retries; a new transaction is a new hint).
/// </summary>
public sealed class PayExNotifications : IProviderNotifications
{
    /// <inheritdoc />
    public PaymentProvider Provider => PaymentProvider.PayEx;

    /// <inheritdoc />
    public Task<NotificationIntake> ReadAsync(NotificationDelivery delivery, CancellationToken cancellationToken)
    {
        var referenceText = delivery.QueryValue("reference");
        PaymentReference reference;
        try
        {
            reference = PaymentReference.Parse(referenceText ?? "");
        }
        catch (FormatException)
        {
            return Task.FromResult(NotificationIntake.Unreadable("The callback URL must carry the payment's reference (?reference=…) as this deployment set it."));
        }

        string? transaction = null;
        try
        {
            using var body = JsonDocument.Parse(delivery.Body);
            if (body.RootElement.ValueKind == JsonValueKind.Object)
            {
                transaction = Text(body.RootElement, "transaction", "id") ?? Text(body.RootElement, "transaction", "number") ?? Text(body.RootElement, "payment", "number");
            }
        }
        catch (JsonException)
        {
            return Task.FromResult(NotificationIntake.Unreadable("The callback body is not JSON."));
        }

        var input = new ProviderNotified(reference, "CALLBACK");
        return Task.FromResult(NotificationIntake.Verified(new ProviderNotification(reference, input, $"payex:{reference}:{transaction ?? "payment"}")));
    }

    private static string? Text(JsonElement root, string parent, string name) =>
        root.TryGetProperty(parent, out var node) && node.ValueKind == JsonValueKind.Object && node.TryGetProperty(name, out var value)
            ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.ToString()
            : null;
}
