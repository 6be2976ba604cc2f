namespace OrderPayments.Functions.Notifications;

/// <summary>Names of the Functions app's storefront notification settings and clients.</summary>
internal static class StorefrontNotifications
{
    /// <summary>The setting that names the notifications table (default <see cref="TableNotificationStore.DefaultTableName"/>).</summary>
    public const string TableNameSetting = "Notifications:TableName";

    /// <summary>The setting that turns the recording of events off for orders started from then on (default on).</summary>
    public const string EnabledSetting = "Notifications:Enabled";

    /// <summary>The HTTP client that delivers events (no retry handler: the outbox retries).</summary>
    public const string HttpClientName = "storefront-notifications";
}
