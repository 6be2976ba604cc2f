using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrderPayments.Vipps.Http;

/// <summary>The JSON conventions of the Vipps APIs: camelCase, nulls left out, unknown fields ignored.</summary>
internal static class VippsJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
