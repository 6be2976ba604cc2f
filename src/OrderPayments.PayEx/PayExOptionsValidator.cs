using Microsoft.Extensions.Options;

namespace OrderPayments.PayEx;

/// <summary>Names every bad PayEx setting at start (never a secret's value).</summary>
internal sealed class PayExOptionsValidator : IValidateOptions<PayExOptions>
{
    public ValidateOptionsResult Validate(string? name, PayExOptions options)
    {
        var errors = new List<string>();
        void Require(bool ok, string setting, string message)
        {
            if (!ok)
            {
                errors.Add($"{PayExOptions.SectionName}:{setting} {message}");
            }
        }

        Require(options.BaseUrl is { IsAbsoluteUri: true } url && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp), nameof(options.BaseUrl), "must be an absolute http(s) URL.");
        Require(!string.IsNullOrWhiteSpace(options.AccessToken), nameof(options.AccessToken), "is required (the merchant token).");
        Require(!string.IsNullOrWhiteSpace(options.PayeeId), nameof(options.PayeeId), "is required.");
        Require(options.CallbackUrl is null || options.CallbackUrl.IsAbsoluteUri, nameof(options.CallbackUrl), "must be an absolute URL.");
        Require(options.DefaultCompleteUrl is null || options.DefaultCompleteUrl.IsAbsoluteUri, nameof(options.DefaultCompleteUrl), "must be an absolute URL.");
        Require(options.Language is "nb-NO" or "en-US" or "sv-SE", nameof(options.Language), "must be nb-NO, en-US or sv-SE.");
        foreach (var source in options.CallbackAllowedSources)
        {
            Require(PayExNotifications.TryParseNetwork(source, out _), nameof(options.CallbackAllowedSources), $"has '{source}', which is not an address or a CIDR range (e.g. 20.91.170.120/29).");
        }

        errors.AddRange(options.ResilienceProblems().Select(p => $"{PayExOptions.SectionName}:{p.Setting} {p.Rule}"));
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
