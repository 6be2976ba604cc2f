using System.Security.Cryptography;
using System.Text;

namespace OrderPayments.Api;

/// <summary>
/// The API keys by role (<see cref="ApiOptions.ApiKeys"/>), checked in constant time. Outside Development every key is
/// configured, at least 16 characters long, used by one role only, and each role has at most two (the current one and
/// the next, during a rotation).
/// </summary>
internal sealed class ApiKeys
{
    /// <summary>The keys a role may have at once.</summary>
    public const int MaxPerRole = 2;

    /// <summary>The shortest key accepted outside Development.</summary>
    public const int MinLength = 16;

    private readonly List<(byte[] Key, ApiCaller Caller)> _keys;

    private ApiKeys(List<(byte[] Key, ApiCaller Caller)> keys) => _keys = keys;

    /// <summary>Development defaults, for roles with no key configured there.</summary>
    public static IReadOnlyDictionary<ApiRole, string> DevelopmentKeys { get; } = new Dictionary<ApiRole, string>
    {
        [ApiRole.Storefront] = "dev-storefront-key",
        [ApiRole.Fulfillment] = "dev-fulfillment-key",
        [ApiRole.Operator] = ApiApp.DevelopmentApiKey,
    };

    /// <summary>Whether the Development defaults are in use for some role.</summary>
    public bool UsesDevelopmentKeys { get; private init; }

    /// <summary>The keys from the settings; in Development, the default keys for roles with none.</summary>
    /// <exception cref="InvalidOperationException">The settings break a rule above; the message names the setting.</exception>
    public static ApiKeys From(ApiOptions options, bool development)
    {
        var configured = new Dictionary<ApiRole, List<string>>
        {
            [ApiRole.Storefront] = Clean(options.ApiKeys.Storefront),
            [ApiRole.Fulfillment] = Clean(options.ApiKeys.Fulfillment),
            [ApiRole.Operator] = Clean(options.ApiKeys.Operator),
        };
        if (!string.IsNullOrWhiteSpace(options.ApiKey))
        {
            // The single key of earlier versions: the operator's (every route), kept so existing deployments still start.
            configured[ApiRole.Operator].Add(options.ApiKey.Trim());
        }

        var usesDevelopmentKeys = false;
        if (development)
        {
            foreach (var (role, keys) in configured.Where(pair => pair.Value.Count == 0))
            {
                keys.Add(DevelopmentKeys[role]);
                usesDevelopmentKeys = true;
            }
        }
        else if (configured.Values.All(keys => keys.Count == 0))
        {
            throw new InvalidOperationException(
                $"Set API keys: {Setting(ApiRole.Storefront)}, {Setting(ApiRole.Fulfillment)} and {Setting(ApiRole.Operator)} " +
                $"(environment variables {ApiOptions.SectionName}__ApiKeys__Storefront__0, …). Outside Development the API does not start without them.");
        }

        var all = new List<(byte[], ApiCaller)>();
        var seen = new Dictionary<string, ApiRole>(StringComparer.Ordinal);
        foreach (var (role, keys) in configured)
        {
            if (keys.Count > MaxPerRole)
            {
                throw new InvalidOperationException($"{Setting(role)} has {keys.Count} keys; a role has at most {MaxPerRole} (the current one and the next, while rotating).");
            }

            for (var i = 0; i < keys.Count; i++)
            {
                if (!development && keys[i].Length < MinLength)
                {
                    throw new InvalidOperationException($"{Setting(role)}:{i} is shorter than {MinLength} characters; use a random key (e.g. openssl rand -base64 32).");
                }

                if (!seen.TryAdd(keys[i], role))
                {
                    throw new InvalidOperationException($"The same key is set for {seen[keys[i]]} and {role}; every role needs its own keys.");
                }

                all.Add((Encoding.UTF8.GetBytes(keys[i]), new ApiCaller(role, $"{role.ToString().ToLowerInvariant()}/{i + 1}")));
            }
        }

        return new ApiKeys(all) { UsesDevelopmentKeys = usesDevelopmentKeys };
    }

    /// <summary>The caller whose key <paramref name="given"/> is, or null. Every key is compared (in constant time each).</summary>
    public ApiCaller? Find(string? given)
    {
        if (string.IsNullOrEmpty(given))
        {
            return null;
        }

        var bytes = Encoding.UTF8.GetBytes(given);
        ApiCaller? found = null;
        foreach (var (key, caller) in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(bytes, key))
            {
                found = caller;
            }
        }

        return found;
    }

    /// <summary>The setting that holds a role's keys.</summary>
    public static string Setting(ApiRole role) => $"{ApiOptions.SectionName}:ApiKeys:{role}";

    private static List<string> Clean(IEnumerable<string>? keys) =>
        [.. (keys ?? []).Where(key => !string.IsNullOrWhiteSpace(key)).Select(key => key.Trim())];
}
