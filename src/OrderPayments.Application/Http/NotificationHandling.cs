using OrderPayments.Application.Notifications;
using OrderPayments.Application.Workflows;
using OrderPayments.Domain;

namespace OrderPayments.Application.Http;

/// <summary>
/// The two halves of a webhook or callback, shared by the hosts: reading a delivery (verify, translate, or the problem
/// to answer) and recording one notification for its order. The self-hosted API does both in the request; the
/// Functions app reads in the request and records from a queue.
/// </summary>
public static class NotificationHandling
{
    /// <summary>The delivery's notifications, or the problem to answer (no intake for the provider: 404; not authentic: 401; unreadable: 400).</summary>
    public static async Task<(ApiResponse? Refusal, IReadOnlyList<ProviderNotification> Notifications)> ReadAsync(
        IEnumerable<IProviderNotifications> intakes,
        PaymentProvider provider,
        NotificationDelivery delivery,
        CancellationToken cancellationToken)
    {
        if (intakes.FirstOrDefault(n => n.Provider == provider) is not { } intake)
        {
            return (ApiResponse.Problem(ApiProblem.NotFound($"This deployment takes no notifications from {OrderPaymentDocument.ProviderName(provider)}.")), []);
        }

        var read = await intake.ReadAsync(delivery, cancellationToken).ConfigureAwait(false);
        return read.Refusal is { } refusal
            ? (ApiResponse.Problem(read.Unauthenticated ? ApiProblem.NotAuthentic(refusal) : ApiProblem.MalformedJson(refusal)), [])
            : (null, read.Notifications);
    }

    /// <summary>Raises the notification to the order one of whose payments it names; <see cref="SignalResult.NotFound"/> when none does.</summary>
    public static async Task<SignalOutcome> RecordAsync(IOrderPaymentClient client, ProviderNotification notification, CancellationToken cancellationToken) =>
        await client.FindByReferenceAsync(notification.Reference, cancellationToken).ConfigureAwait(false) is { } orderId
            ? await client.RaiseAsync(orderId, notification.Input, notification.DedupeKey, cancellationToken).ConfigureAwait(false)
            : new SignalOutcome(SignalResult.NotFound);
}
