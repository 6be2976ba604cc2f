using OrderPayments.Application.Hosting;

namespace OrderPayments.Functions;

/// <summary>
/// The Functions app keeps no host values: a scaled-out app has no local store, so the webhook's secret is an app
/// setting (<see cref="WebhookSecretSetting"/>, a Key Vault reference) and the registration is made once per
/// deployment, outside the app. Reads find nothing; writes are refused.
/// </summary>
public sealed class ConfiguredHostValues : IHostValueStore
{
    /// <summary>The setting holding the secret Vipps returned when the webhook was registered (<c>Vipps__WebhookSecret</c>).</summary>
    public const string WebhookSecretSetting = "Vipps:WebhookSecret";

    /// <inheritdoc />
    public Task<string?> GetAsync(string name, CancellationToken cancellationToken) => Task.FromResult<string?>(null);

    /// <inheritdoc />
    /// <exception cref="NotSupportedException">Always: configuration is not written by the app.</exception>
    public Task SetAsync(string name, string value, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The Functions app does not write host values; set them as app settings.");
}
