namespace OrderPayments.Application.Notifications;

/// <summary>What reading a delivery gave: verified notifications (possibly none to act on) or the reason it was refused.</summary>
/// <param name="Notifications">The notifications to raise, when verified.</param>
/// <param name="Refusal">Why the delivery is refused (not authentic, or not readable); null when verified.</param>
/// <param name="Unauthenticated">True when the refusal is about authenticity (answered 401), false when the body is unreadable (400).</param>
public sealed record NotificationIntake(IReadOnlyList<ProviderNotification> Notifications, string? Refusal, bool Unauthenticated)
{
    /// <summary>True when the delivery came from a source address this deployment does not take notifications from (answered 403).</summary>
    public bool SourceNotAllowed { get; init; }

    /// <summary>A delivery from a source address outside the configured allow-list; nothing of it is read.</summary>
    public static NotificationIntake FromDisallowedSource(string reason) => new([], reason, false) { SourceNotAllowed = true };

    /// <summary>A verified delivery.</summary>
    public static NotificationIntake Verified(params IReadOnlyList<ProviderNotification> notifications) => new(notifications, null, false);

    /// <summary>A delivery whose authenticity could not be established; nothing of it is used.</summary>
    public static NotificationIntake NotAuthentic(string reason) => new([], reason, true);

    /// <summary>An authentic delivery whose body cannot be read.</summary>
    public static NotificationIntake Unreadable(string reason) => new([], reason, false);
}
