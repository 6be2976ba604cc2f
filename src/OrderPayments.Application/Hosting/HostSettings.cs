namespace OrderPayments.Application.Hosting;

/// <summary>
/// The names of the settings the hosts read (app settings in Azure, <c>local.settings.json</c> for the Functions
/// host, environment variables or <c>appsettings.json</c> for the self-hosted API). One place, so the sample
/// settings file, the infrastructure templates and the code cannot drift apart. Nested settings use <c>__</c>
/// as the section separator, which works on every platform.
/// </summary>
public static class HostSettings
{
    /// <summary>The Functions host's storage connection (Azurite locally: <c>UseDevelopmentStorage=true</c>).</summary>
    public const string AzureWebJobsStorage = "AzureWebJobsStorage";

    /// <summary>The Functions worker runtime; always <c>dotnet-isolated</c>.</summary>
    public const string FunctionsWorkerRuntime = "FUNCTIONS_WORKER_RUNTIME";

    /// <summary>The Durable Functions task hub name, referenced from <c>host.json</c> as <c>%TASKHUB_NAME%</c>.</summary>
    public const string TaskHubName = "TASKHUB_NAME";

    /// <summary>The configuration section of the Vipps ePayment client.</summary>
    public const string VippsSection = "Vipps";

    /// <summary>The Vipps settings, each the key under <see cref="VippsSection"/>.</summary>
    public static IReadOnlyList<string> VippsKeys { get; } =
    [
        "BaseUrl",
        "ClientId",
        "ClientSecret",
        "SubscriptionKey",
        "MerchantSerialNumber",
        "WebhookUrl",
        "SystemName",
        "SystemVersion",
        "PluginName",
        "PluginVersion",
    ];

    /// <summary>The Vipps settings that are secrets: never logged, kept in Key Vault in Azure.</summary>
    public static IReadOnlyList<string> VippsSecretKeys { get; } = ["ClientSecret", "SubscriptionKey", "WebhookSecret"];

    /// <summary>
    /// The secret Vipps returned when the webhook was registered; the Functions app verifies deliveries with it (the
    /// self-hosted API registers itself and keeps the secret in its store instead).
    /// </summary>
    public const string VippsWebhookSecret = "Vipps__WebhookSecret";

    /// <summary>The configuration section of the PayEx (Swedbank Pay) Vipps client; optional (PayEx is used when its token is set).</summary>
    public const string PayExSection = "PayEx";

    /// <summary>The PayEx settings, each the key under <see cref="PayExSection"/>.</summary>
    public static IReadOnlyList<string> PayExKeys { get; } =
        ["BaseUrl", "AccessToken", "PayeeId", "PayeeName", "CallbackUrl", "DefaultCompleteUrl", "Language"];

    /// <summary>The PayEx settings that are secrets.</summary>
    public static IReadOnlyList<string> PayExSecretKeys { get; } = ["AccessToken"];

    /// <summary>Every setting the Functions app reads, as flat names (<c>Vipps__ClientId</c>).</summary>
    public static IReadOnlyList<string> FunctionsApp { get; } =
        [AzureWebJobsStorage, FunctionsWorkerRuntime, TaskHubName, .. VippsKeys.Select(Flat), VippsWebhookSecret, .. PayExKeys.Select(PayExFlat)];

    /// <summary>The flat name of a PayEx setting (<c>AccessToken</c> → <c>PayEx__AccessToken</c>).</summary>
    public static string PayExFlat(string payExKey) => $"{PayExSection}__{payExKey}";

    /// <summary>The flat name of a Vipps setting (<c>ClientId</c> → <c>Vipps__ClientId</c>).</summary>
    public static string Flat(string vippsKey) => $"{VippsSection}__{vippsKey}";
}
