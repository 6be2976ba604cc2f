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
    /// <summary>
    /// The delivery's notifications, each marked with <paramref name="provider"/>, or the problem to answer (no intake for
    /// the provider: 404; not authentic: 401; source not allowed: 403; unreadable: 400).
    /// </summary>
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
        if (read.Refusal is { } refusal)
        {
            var problem = read.SourceNotAllowed ? ApiProblem.SourceNotAllowed(refusal)
                : read.Unauthenticated ? ApiProblem.NotAuthentic(refusal)
                : ApiProblem.MalformedJson(refusal);
            return (ApiResponse.Problem(problem), []);
        }

        return (null, [.. read.Notifications.Select(n => n with { Provider = provider })]);
    }

    /// <summary>
    /// Raises the notification to the order one of whose payments it names, when that order pays through the provider
    /// the notification came from; <see cref="SignalResult.NotFound"/> when no such order does (a PayEx callback naming a
    /// Vipps order's reference, or the reverse, reaches nothing and records nothing).
    /// </summary>
    public static async Task<SignalOutcome> RecordAsync(IOrderPaymentClient client, ProviderNotification notification, CancellationToken cancellationToken)
    {
        if (await client.FindByReferenceAsync(notification.Reference, cancellationToken).ConfigureAwait(false) is not { } orderId)
        {
            return new SignalOutcome(SignalResult.NotFound);
        }

        if (notification.Provider is { } provider
            && (await client.GetAsync(orderId, cancellationToken).ConfigureAwait(false))?.State.Request.Provider != provider)
        {
            return new SignalOutcome(SignalResult.NotFound);
        }

        return await client.RaiseAsync(orderId, notification.Input, notification.DedupeKey, cancellationToken).ConfigureAwait(false);
    }
}
