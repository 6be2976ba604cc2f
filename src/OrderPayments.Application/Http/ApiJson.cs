using System.Text.Json;
using System.Text.Json.Serialization;
using OrderPayments.Domain.Serialization;

namespace OrderPayments.Application.Http;

/// <summary>The JSON settings of the HTTP contract: camelCase, enums as strings, nulls left out.</summary>
public static class ApiJson
{
    /// <summary>The options every host writes responses with.</summary>
    public static JsonSerializerOptions Options { get; } = new(OrderPaymentsJson.Options)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
