using System.Net.Http.Headers;

namespace OrderPayments.Vipps.Http;

/// <summary>The header names of the Vipps APIs, in one place.</summary>
public static class VippsHeaders
{
    /// <summary>Token call: the client id.</summary>
    public const string ClientId = "client_id";

    /// <summary>Token call: the client secret.</summary>
    public const string ClientSecret = "client_secret";

    /// <summary>Every call: the API Management subscription key.</summary>
    public const string SubscriptionKey = "Ocp-Apim-Subscription-Key";

    /// <summary>Every call: the merchant serial number.</summary>
    public const string MerchantSerialNumber = "Merchant-Serial-Number";

    /// <summary>Mutating calls: the caller's idempotency key.</summary>
    public const string IdempotencyKey = "Idempotency-Key";

    /// <summary>System identification for Vipps support.</summary>
    public const string SystemName = "Vipps-System-Name";

    /// <summary>System identification for Vipps support.</summary>
    public const string SystemVersion = "Vipps-System-Version";

    /// <summary>System identification for Vipps support.</summary>
    public const string SystemPluginName = "Vipps-System-Plugin-Name";

    /// <summary>System identification for Vipps support.</summary>
    public const string SystemPluginVersion = "Vipps-System-Plugin-Version";

    private static readonly string[] CommonHeaders = [SubscriptionKey, MerchantSerialNumber, SystemName, SystemVersion, SystemPluginName, SystemPluginVersion];

    /// <summary>Adds the subscription key, the MSN and the four system headers.</summary>
    internal static void AddCommon(HttpRequestHeaders headers, VippsOptions options)
    {
        foreach (var name in CommonHeaders)
        {
            headers.Remove(name);
        }

        headers.Add(SubscriptionKey, options.SubscriptionKey);
        headers.Add(MerchantSerialNumber, options.MerchantSerialNumber);
        headers.Add(SystemName, options.SystemName);
        headers.Add(SystemVersion, options.SystemVersion);
        headers.Add(SystemPluginName, options.PluginName);
        headers.Add(SystemPluginVersion, options.PluginVersion);
    }
}
