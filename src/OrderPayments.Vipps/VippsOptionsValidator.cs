using Microsoft.Extensions.Options;

namespace OrderPayments.Vipps;

/// <summary>Checks <see cref="VippsOptions"/> and names every setting that is missing or out of range.</summary>
public sealed class VippsOptionsValidator : IValidateOptions<VippsOptions>
{
    /// <summary>The longest value of a <c>Vipps-System-*</c> header.</summary>
    public const int MaxSystemHeaderLength = 30;

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, VippsOptions options)
    {
        var errors = new List<string>();
        void Require(bool ok, string setting, string rule)
        {
            if (!ok)
            {
                errors.Add($"{VippsOptions.SectionName}:{setting} {rule}");
            }
        }

        Require(options.BaseUrl is { IsAbsoluteUri: true } url && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp), nameof(options.BaseUrl), "must be an absolute http(s) URL.");
        Require(!string.IsNullOrWhiteSpace(options.ClientId), nameof(options.ClientId), "is required.");
        Require(!string.IsNullOrWhiteSpace(options.ClientSecret), nameof(options.ClientSecret), "is required.");
        Require(!string.IsNullOrWhiteSpace(options.SubscriptionKey), nameof(options.SubscriptionKey), "is required.");
        Require(options.MerchantSerialNumber.Length is >= 4 and <= 10 && options.MerchantSerialNumber.All(char.IsAsciiDigit), nameof(options.MerchantSerialNumber), "must be 4 to 10 digits.");
        // The Webhooks API: "The URL must use HTTPS" (shared/vipps/webhooks/webhooks-swagger.yaml, RegisterRequest.url). A
        // simulator at an http base URL is not Vipps and may deliver over http.
        Require(
            options.WebhookUrl is null
                || (options.WebhookUrl.IsAbsoluteUri
                    && (options.WebhookUrl.Scheme == Uri.UriSchemeHttps || (options.WebhookUrl.Scheme == Uri.UriSchemeHttp && options.BaseUrl?.Scheme == Uri.UriSchemeHttp))),
            nameof(options.WebhookUrl),
            "must be an absolute https URL (Vipps delivers webhooks over HTTPS only; http only with a simulator at an http base URL).");
        foreach (var (setting, value) in new[]
        {
            (nameof(options.SystemName), options.SystemName),
            (nameof(options.SystemVersion), options.SystemVersion),
            (nameof(options.PluginName), options.PluginName),
            (nameof(options.PluginVersion), options.PluginVersion),
        })
        {
            Require(!string.IsNullOrWhiteSpace(value) && value.Length <= MaxSystemHeaderLength, setting, $"must be 1 to {MaxSystemHeaderLength} characters.");
        }

        Require(options.TokenRefreshMargin >= TimeSpan.Zero, nameof(options.TokenRefreshMargin), "must not be negative.");
        Require(options.WebhookMaxClockSkew > TimeSpan.Zero, nameof(options.WebhookMaxClockSkew), "must be positive.");
        errors.AddRange(options.ResilienceProblems().Select(p => $"{VippsOptions.SectionName}:{p.Setting} {p.Rule}"));

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
