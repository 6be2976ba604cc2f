using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace PaymentSimulator.Vipps;

/// <summary>One simulated payment. Only touched under <see cref="VippsSimulator"/>'s lock; stored as JSON (its properties are its stored form).</summary>
internal sealed class SimPayment
{
    public required string Reference { get; init; }

    public required string Currency { get; init; }

    public required long Amount { get; init; }

    public required string UserFlow { get; init; }

    public string? ReturnUrl { get; init; }

    public string? Description { get; init; }

    public required string PspReference { get; init; }

    public required string LandingToken { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset ExpiresAt { get; set; }

    public string State { get; set; } = "CREATED";

    public long Authorized { get; set; }

    public long Captured { get; set; }

    public long Cancelled { get; set; }

    public long Refunded { get; set; }

    public string? RedirectUrl { get; set; }

    public List<JsonObject> Events { get; init; } = [];

    [JsonIgnore]
    public long Remaining => Authorized - Captured - Cancelled;

    public JsonObject Money(long value) => new() { ["currency"] = Currency, ["value"] = value };

    public JsonObject Aggregate() => new()
    {
        ["authorizedAmount"] = Money(Authorized),
        ["cancelledAmount"] = Money(Cancelled),
        ["capturedAmount"] = Money(Captured),
        ["refundedAmount"] = Money(Refunded),
    };
}
