using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace PaymentSimulator.PayEx;

/// <summary>A simulated PayEx Vipps payment and its transactions (guarded by the simulator's lock); stored as JSON (its settable properties are its stored form).</summary>
internal sealed class PayExPayment
{
    public required string Guid { get; init; }

    [JsonIgnore]
    public string Id => $"/psp/vipps/payments/{Guid}";

    public required long Number { get; init; }

    public string State { get; set; } = "Ready";

    public required string Currency { get; init; }

    public required long Amount { get; init; }

    public required string Description { get; init; }

    public required string PayeeReference { get; init; }

    public required string CreateFingerprint { get; init; }

    public string? CallbackUrl { get; init; }

    public string? CompleteUrl { get; init; }

    public string? Msisdn { get; set; }

    public required DateTimeOffset Created { get; init; }

    public DateTimeOffset Updated { get; set; }

    public List<PayExTransaction> Authorizations { get; init; } = [];

    public List<PayExTransaction> Captures { get; init; } = [];

    public List<PayExTransaction> Cancellations { get; init; } = [];

    public List<PayExTransaction> Reversals { get; init; } = [];

    [JsonIgnore]
    public long Authorized => Completed(Authorizations);

    [JsonIgnore]
    public long Captured => Completed(Captures);

    [JsonIgnore]
    public long Cancelled => Completed(Cancellations);

    [JsonIgnore]
    public long Reversed => Completed(Reversals);

    [JsonIgnore]
    public long RemainingCapture => Math.Max(0, Authorized - Captured - Cancelled);

    [JsonIgnore]
    public long RemainingReversal => Captured - Reversed;

    [JsonIgnore]
    public PayExTransaction? PendingAuthorization => Authorizations.Find(a => a.State is "AwaitingActivity" or "Initialized");

    [JsonIgnore]
    public IEnumerable<PayExTransaction> Transactions => Authorizations.Concat(Captures).Concat(Cancellations).Concat(Reversals);

    private static long Completed(List<PayExTransaction> transactions) => transactions.Where(t => t.State == "Completed").Sum(t => t.Amount);
}

/// <summary>A simulated transaction.</summary>
internal sealed class PayExTransaction
{
    public required string Guid { get; init; }

    public required string Kind { get; init; }

    public required string Type { get; init; }

    public required long Number { get; init; }

    public string State { get; set; } = "Completed";

    public required long Amount { get; init; }

    public long VatAmount { get; init; }

    public string? Description { get; init; }

    public string? PayeeReference { get; init; }

    public string? FailedReason { get; set; }

    public string? Msisdn { get; init; }

    public string? Fingerprint { get; init; }

    public required DateTimeOffset Created { get; init; }

    public string Id(PayExPayment payment) => $"{payment.Id}/{Kind}/{Guid}";

    public JsonObject ToJson(PayExPayment payment) => new()
    {
        ["id"] = Id(payment),
        ["created"] = Created.ToString("O"),
        ["updated"] = Created.ToString("O"),
        ["type"] = Type,
        ["state"] = State,
        ["number"] = Number,
        ["amount"] = Amount,
        ["vatAmount"] = VatAmount,
        ["description"] = Description,
        ["payeeReference"] = PayeeReference,
        ["failedReason"] = FailedReason,
        ["isOperational"] = State is "AwaitingActivity" or "Initialized",
    };
}
