using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace PaymentSimulator.Vipps;

/// <summary>What the simulator answers: a status and a JSON body (problem+json for errors).</summary>
internal sealed record SimResponse(int Status, JsonNode? Body, string ContentType = "application/json")
{
    /// <summary>A <c>Retry-After</c> header to send, in seconds.</summary>
    public int? RetryAfterSeconds { get; init; }

    [JsonIgnore]
    public bool IsSuccess => Status is >= 200 and < 300;

    public static SimResponse Json(int status, JsonNode? body) => new(status, body);

    /// <summary>RFC 7807 with Vipps' <c>extraDetails</c>; <paramref name="code"/> becomes the <c>ErrorCode</c> entry.</summary>
    public static SimResponse Problem(int status, string title, string detail, string? code = null, string? field = null, string? instance = null)
    {
        var extra = new JsonArray();
        if (code is not null)
        {
            extra.Add(new JsonObject { ["name"] = "ErrorCode", ["reason"] = code });
        }

        if (field is not null)
        {
            extra.Add(new JsonObject { ["name"] = field, ["reason"] = detail });
        }

        var body = new JsonObject
        {
            ["type"] = code is null ? "https://developer.vippsmobilepay.com/docs/APIs/epayment-api/api-guide/errors" : $"https://developer.vippsmobilepay.com/docs/APIs/epayment-api/api-guide/errors#{code}",
            ["title"] = title,
            ["status"] = status,
            ["detail"] = detail,
            ["instance"] = instance ?? "",
            ["traceId"] = $"sim-{Interlocked.Increment(ref _traces):D8}",
            ["extraDetails"] = extra,
        };
        return new SimResponse(status, body, "application/problem+json");
    }

    private static long _traces;
}
