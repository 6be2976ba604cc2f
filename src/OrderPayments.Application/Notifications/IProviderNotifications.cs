using OrderPayments.Domain;

namespace OrderPayments.Application.Notifications;

/// <summary>
/// A provider's webhook or callback intake: checks that a delivery is authentic and says what it means for the
/// workflow. Implemented per provider (Vipps: HMAC signature over the raw body; PayEx: unsigned, a hint only).
/// </summary>
public interface IProviderNotifications
{
    /// <summary>The provider whose deliveries this reads.</summary>
    PaymentProvider Provider { get; }

    /// <summary>Verifies and translates one delivery. Never throws for bad input; it refuses instead.</summary>
    Task<NotificationIntake> ReadAsync(NotificationDelivery delivery, CancellationToken cancellationToken);
}
