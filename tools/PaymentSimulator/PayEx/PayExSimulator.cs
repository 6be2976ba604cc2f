using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using PaymentSimulator.Faults;
using PaymentSimulator.Persistence;
using PaymentSimulator.Vipps;

namespace PaymentSimulator.PayEx;

/// <summary>
/// The PayEx (Swedbank Pay) Vipps payment instrument: create (Purchase / Authorization), direct authorization with
/// the payer's phone number, capture, cancellation (the whole remainder), reversal, abort; <c>operations</c> that
/// change with the payment's state; <c>payeeReference</c> unique per operation (the same request again is replayed,
/// another with the same reference refused); callbacks on every transaction. The control API plays the payer's
/// Vipps app. Shares no code with the client it tests. With a <see cref="SimulatorStore"/> file every change to a
/// payment is written before it is answered, so a restarted simulator carries on where it stopped.
/// </summary>
internal sealed partial class PayExSimulator
{
    private const string NumberCounter = "payex.numbers";
    private const string GuidCounter = "payex.guids";

    private readonly Lock _lock = new();
    private readonly ChangeSet _changes;
    private readonly Dictionary<string, PayExPayment> _payments = [];
    private readonly SimulatorOptions _options;
    private readonly SimulatorClock _time;
    private long _numbers = 1000;
    private long _guids;

    public PayExSimulator(IOptions<SimulatorOptions> options, SimulatorClock time, PayExCallbacks callbacks, SimulatorStore store)
    {
        _options = options.Value;
        _time = time;
        Callbacks = callbacks;
        Faults = new FaultInjector(Options.Create(new SimulatorOptions()));
        _changes = new ChangeSet(store);
        foreach (var (guid, payment) in StoredJson.ReadAll<PayExPayment>(store, StoreKinds.PayExPayment))
        {
            _payments[guid] = payment;
        }

        var counters = StoredJson.ReadAll<long>(store, StoreKinds.Counter).ToDictionary(c => c.Key, c => c.Value);
        _numbers = counters.GetValueOrDefault(NumberCounter, _numbers);
        _guids = counters.GetValueOrDefault(GuidCounter, _guids);
    }

    public SimulatorStats Stats { get; } = new();

    public FaultInjector Faults { get; }

    public PayExCallbacks Callbacks { get; }

    public SimResponse? Authenticate(string? authorization) =>
        authorization == $"Bearer {_options.PayExAccessToken}"
            ? null
            : Problem(401, "unauthorized", "Unauthorized", "The merchant token is missing or wrong.");

    public SimResponse Create(JsonNode? body, string apiBase)
    {
        Stats.Call("create");
        var payment = body?["payment"] as JsonObject;
        var problems = new List<(string Name, string Description)>();
        void Check(bool ok, string name, string description)
        {
            if (!ok)
            {
                problems.Add((name, description));
            }
        }

        Check(Text(payment, "operation") == "Purchase", "payment.operation", "must be Purchase.");
        Check(Text(payment, "intent") == "Authorization", "payment.intent", "must be Authorization (Vipps is two-phase).");
        Check(Text(payment, "currency") == "NOK", "payment.currency", "must be NOK for the Vipps instrument.");
        var price = (payment?["prices"] as JsonArray)?.FirstOrDefault() as JsonObject;
        var amount = Number(price, "amount");
        Check(Text(price, "type") == "Vipps" && amount > 0, "payment.prices", "needs one price of type Vipps with an amount above zero.");
        var description = Text(payment, "description");
        Check(description is { Length: > 0 and <= 40 }, "payment.description", "is required, at most 40 characters.");
        Check(!string.IsNullOrEmpty(Text(payment, "userAgent")), "payment.userAgent", "is required.");
        Check(Text(payment, "language") is "nb-NO" or "en-US" or "sv-SE", "payment.language", "must be nb-NO, en-US or sv-SE.");
        var urls = payment?["urls"] as JsonObject;
        Check(Uri.TryCreate(Text(urls, "completeUrl"), UriKind.Absolute, out _), "payment.urls.completeUrl", "must be an absolute URL.");
        Check(urls?["hostUrls"] is JsonArray { Count: > 0 }, "payment.urls.hostUrls", "needs at least one host URL.");
        var callback = Text(urls, "callbackUrl");
        Check(callback is null || Uri.TryCreate(callback, UriKind.Absolute, out _), "payment.urls.callbackUrl", "must be an absolute URL.");
        var payee = payment?["payeeInfo"] as JsonObject;
        Check(Text(payee, "payeeId") == _options.PayExPayeeId, "payment.payeeInfo.payeeId", "is not a merchant of this token.");
        var payeeReference = Text(payee, "payeeReference");
        Check(payeeReference is not null && PayeeReference().IsMatch(payeeReference), "payment.payeeInfo.payeeReference", "must be 1 to 30 letters and digits.");
        if (problems.Count > 0)
        {
            return Problem(400, "inputerror", "Error in input data", "Input validation failed, error description in problems node!", problems);
        }

        var fingerprint = payment!.ToJsonString();
        return Locked(() =>
        {
            if (_payments.Values.FirstOrDefault(p => p.PayeeReference == payeeReference) is { } existing)
            {
                if (existing.CreateFingerprint != fingerprint)
                {
                    return Problem(409, "inputerror", "Conflict", $"payeeReference {payeeReference} was used for another payment.", [("payment.payeeInfo.payeeReference", "must be unique per operation.")]);
                }

                Stats.Replayed(payeeReference!);
                return SimResponse.Json(200, Resource(existing, apiBase, expand: false));
            }

            var now = _time.GetUtcNow();
            var created = new PayExPayment
            {
                Guid = NextGuid(),
                Number = ++_numbers,
                Currency = "NOK",
                Amount = amount,
                Description = description!,
                PayeeReference = payeeReference!,
                CreateFingerprint = fingerprint,
                CallbackUrl = callback,
                CompleteUrl = Text(urls, "completeUrl"),
                Msisdn = Text(payment["prefillInfo"] as JsonObject, "msisdn"),
                Created = now,
                Updated = now,
            };
            _payments[created.Guid] = created;
            Changed(created);
            Stats.Applied(payeeReference!);
            return SimResponse.Json(200, Resource(created, apiBase, expand: false));
        });
    }

    public SimResponse Get(string guid, bool expand, string apiBase)
    {
        Stats.Call("get");
        lock (_lock)
        {
            return _payments.TryGetValue(guid, out var payment) ? SimResponse.Json(200, Resource(payment, apiBase, expand)) : NotFound(guid);
        }
    }

    /// <summary>The direct API: the payer's phone gets a push; the authorization waits for the payer (AwaitingActivity).</summary>
    public SimResponse Authorize(string guid, JsonNode? body)
    {
        Stats.Call("authorize");
        var msisdn = Text(body?["transaction"] as JsonObject, "msisdn");
        if (msisdn is null || !Msisdn().IsMatch(msisdn))
        {
            return Problem(400, "inputerror", "Error in input data", "transaction.msisdn must be +47 and 8 digits.", [("transaction.msisdn", "must be a Norwegian number, +47XXXXXXXX.")]);
        }

        return Locked(() =>
        {
            if (!_payments.TryGetValue(guid, out var payment))
            {
                return NotFound(guid);
            }

            if (!CanAuthorize(payment))
            {
                return NotOffered(payment, "create-authorization");
            }

            var authorization = Transaction(payment, "authorizations", "Authorization", payment.Amount, 0, "Vipps authorization", null, msisdn, "AwaitingActivity");
            payment.Authorizations.Add(authorization);
            payment.State = "Pending";
            payment.Msisdn = msisdn;
            Changed(payment);
            Callbacks.Enqueue(payment, authorization);
            return SimResponse.Json(200, new JsonObject
            {
                ["payment"] = payment.Id,
                ["authorization"] = new JsonObject
                {
                    ["id"] = authorization.Id(payment),
                    ["vippsTransactionId"] = $"sim{authorization.Number}",
                    ["mobileNumber"] = msisdn,
                    ["transaction"] = authorization.ToJson(payment),
                },
            });
        });
    }

    public SimResponse Capture(string guid, JsonNode? body) => Financial(guid, body, "captures", "Capture", requireAmount: true, (p, amount) =>
        amount > p.RemainingCapture ? $"The amount {amount} is more than the {p.RemainingCapture} that can be captured." : null);

    public SimResponse Cancel(string guid, JsonNode? body) => Financial(guid, body, "cancellations", "Cancellation", requireAmount: false, (p, _) =>
        p.RemainingCapture == 0 ? "Nothing is left to cancel." : null);

    public SimResponse Reverse(string guid, JsonNode? body) => Financial(guid, body, "reversals", "Reversal", requireAmount: true, (p, amount) =>
        amount > p.RemainingReversal ? $"The amount {amount} is more than the {p.RemainingReversal} that can be reversed." : null);

    public SimResponse Abort(string guid, JsonNode? body, string apiBase)
    {
        Stats.Call("abort");
        var payment = body?["payment"] as JsonObject;
        if (Text(payment, "operation") != "Abort")
        {
            return Problem(400, "inputerror", "Error in input data", "payment.operation must be Abort.", [("payment.operation", "must be Abort.")]);
        }

        return Locked(() =>
        {
            if (!_payments.TryGetValue(guid, out var found))
            {
                return NotFound(guid);
            }

            if (found.State == "Aborted")
            {
                return SimResponse.Json(200, Resource(found, apiBase, expand: false));
            }

            if (found.Authorized > 0 || found.State == "Failed")
            {
                return NotOffered(found, "update-payment-abort");
            }

            if (found.PendingAuthorization is { } pending)
            {
                pending.State = "Failed";
                pending.FailedReason = "Aborted by the merchant";
            }

            found.State = "Aborted";
            found.Updated = _time.GetUtcNow();
            Changed(found);
            Stats.Applied($"abort:{found.Guid}");
            return SimResponse.Json(200, Resource(found, apiBase, expand: false));
        });
    }

    /// <summary>The payer approves in the Vipps app (or on the landing page for the redirect flow).</summary>
    public SimResponse Approve(string guid) => Decide(guid, approve: true, "Approved");

    /// <summary>The payer rejects.</summary>
    public SimResponse Reject(string guid) => Decide(guid, approve: false, "Rejected by the payer in Vipps");

    /// <summary>The payer never answers: the authorization times out.</summary>
    public SimResponse Expire(string guid) => Decide(guid, approve: false, "The payer did not answer in time");

    public (string Description, long Amount, string State, string? CompleteUrl)? Landing(string guid)
    {
        lock (_lock)
        {
            return _payments.TryGetValue(guid, out var p) ? (p.Description, p.Amount, p.Authorized > 0 ? "Authorized" : p.State, p.CompleteUrl) : null;
        }
    }

    public JsonObject StatsJson() => Stats.ToJson(Faults.ToJson());

    private SimResponse Decide(string guid, bool approve, string reason)
    {
        Stats.Call(approve ? "approve" : "reject");
        return Locked(() =>
        {
            if (!_payments.TryGetValue(guid, out var payment))
            {
                return NotFound(guid);
            }

            if (payment.State is "Aborted" or "Failed" || payment.Authorized > 0)
            {
                return Problem(409, "inputerror", "Conflict", $"Payment {guid} is {payment.State}; the payer cannot decide now.");
            }

            var authorization = payment.PendingAuthorization;
            if (authorization is null)
            {
                // Redirect flow: the payer confirms on the payment page; the authorization starts and ends here.
                authorization = Transaction(payment, "authorizations", "Authorization", payment.Amount, 0, "Vipps authorization", null, payment.Msisdn, "AwaitingActivity");
                payment.Authorizations.Add(authorization);
            }

            authorization.State = approve ? "Completed" : "Failed";
            authorization.FailedReason = approve ? null : reason;
            payment.State = approve ? "Ready" : "Failed";
            payment.Updated = _time.GetUtcNow();
            Changed(payment);
            Callbacks.Enqueue(payment, authorization);
            return SimResponse.Json(200, new JsonObject { ["state"] = approve ? "Authorized" : "Failed" });
        });
    }

    private SimResponse Financial(string guid, JsonNode? body, string kind, string type, bool requireAmount, Func<PayExPayment, long, string?> refuse)
    {
        Stats.Call(kind);
        var transaction = body?["transaction"] as JsonObject;
        var payeeReference = Text(transaction, "payeeReference");
        var amount = Number(transaction, "amount");
        var problems = new List<(string, string)>();
        if (payeeReference is null || !PayeeReference().IsMatch(payeeReference))
        {
            problems.Add(("transaction.payeeReference", "must be 1 to 30 letters and digits."));
        }

        if (requireAmount && amount <= 0)
        {
            problems.Add(("transaction.amount", "must be more than zero."));
        }

        if (problems.Count > 0)
        {
            return Problem(400, "inputerror", "Error in input data", "Input validation failed, error description in problems node!", problems);
        }

        return Locked(() =>
        {
            if (!_payments.TryGetValue(guid, out var payment))
            {
                return NotFound(guid);
            }

            var fingerprint = transaction!.ToJsonString();
            if (payment.Transactions.FirstOrDefault(t => t.PayeeReference == payeeReference) is { } existing)
            {
                if (existing.Fingerprint != fingerprint || existing.Kind != kind)
                {
                    return Problem(409, "inputerror", "Conflict", $"payeeReference {payeeReference} was used for another operation.", [("transaction.payeeReference", "must be unique per operation.")]);
                }

                Stats.Replayed(payeeReference!);
                return SimResponse.Json(200, TransactionResponse(payment, existing, kind));
            }

            if (payment.Authorized == 0)
            {
                return NotOffered(payment, $"create-{type.ToLowerInvariant()}");
            }

            var value = requireAmount ? amount : payment.RemainingCapture;
            if (refuse(payment, value) is { } reason)
            {
                return Problem(400, "inputerror", "Error in input data", reason, [("transaction.amount", reason)]);
            }

            var created = Transaction(payment, kind, type, value, Number(transaction, "vatAmount"), Text(transaction, "description"), payeeReference, null, "Completed", fingerprint);
            (kind switch { "captures" => payment.Captures, "cancellations" => payment.Cancellations, _ => payment.Reversals }).Add(created);
            payment.Updated = _time.GetUtcNow();
            Changed(payment);
            Stats.Applied(payeeReference!);
            Callbacks.Enqueue(payment, created);
            return SimResponse.Json(200, TransactionResponse(payment, created, kind));
        });
    }

    /// <summary>Runs <paramref name="action"/> under the lock and writes what it changed before the lock is let go.</summary>
    private T Locked<T>(Func<T> action) => _changes.Locked(_lock, action);

    /// <summary>The payment changed (under the lock): it is written, with the counters, when the operation ends.</summary>
    private void Changed(PayExPayment payment)
    {
        _changes.Put(StoreKinds.PayExPayment, payment.Guid, () => StoredJson.Write(payment));
        _changes.Put(StoreKinds.Counter, NumberCounter, () => StoredJson.Write(Interlocked.Read(ref _numbers)));
        _changes.Put(StoreKinds.Counter, GuidCounter, () => StoredJson.Write(Interlocked.Read(ref _guids)));
    }

    private static JsonObject TransactionResponse(PayExPayment payment, PayExTransaction transaction, string kind) => new()
    {
        ["payment"] = payment.Id,
        [kind.TrimEnd('s')] = new JsonObject { ["id"] = transaction.Id(payment), ["transaction"] = transaction.ToJson(payment) },
    };

    private PayExTransaction Transaction(PayExPayment payment, string kind, string type, long amount, long vat, string? description, string? payeeReference, string? msisdn, string state, string? fingerprint = null) => new()
    {
        Guid = NextGuid(),
        Kind = kind,
        Type = type,
        Number = ++_numbers,
        State = state,
        Amount = amount,
        VatAmount = vat,
        Description = description,
        PayeeReference = payeeReference,
        Msisdn = msisdn,
        Fingerprint = fingerprint,
        Created = _time.GetUtcNow(),
    };

    private static bool CanAuthorize(PayExPayment payment) =>
        payment.State == "Ready" && payment.Authorized == 0 && payment.PendingAuthorization is null;

    /// <summary>The payment resource with the operations its state allows now.</summary>
    private static JsonObject Resource(PayExPayment payment, string apiBase, bool expand)
    {
        JsonObject List(string kind, List<PayExTransaction> items) => expand
            ? new JsonObject
            {
                ["id"] = $"{payment.Id}/{kind}",
                [$"{kind.TrimEnd('s')}List"] = new JsonArray([.. items.Select(t => (JsonNode)new JsonObject
                {
                    ["id"] = t.Id(payment),
                    ["msisdn"] = t.Msisdn,
                    ["transaction"] = t.ToJson(payment),
                })]),
            }
            : new JsonObject { ["id"] = $"{payment.Id}/{kind}" };

        var href = $"{apiBase}{payment.Id}";
        var operations = new JsonArray();
        void Offer(string method, string target, string rel, string contentType = "application/json") =>
            operations.Add(new JsonObject { ["method"] = method, ["href"] = target, ["rel"] = rel, ["contentType"] = contentType });

        if (payment.State is "Ready" or "Pending" && payment.Authorized == 0)
        {
            Offer("PATCH", href, "update-payment-abort");
        }

        if (CanAuthorize(payment))
        {
            Offer("GET", $"{apiBase}/landing/{payment.Guid}", "redirect-authorization", "text/html");
            Offer("POST", $"{href}/authorizations", "create-authorization");
        }

        if (payment.Authorized > 0)
        {
            if (payment.RemainingCapture > 0)
            {
                Offer("POST", $"{href}/captures", "create-capture");
                Offer("POST", $"{href}/cancellations", "create-cancellation");
            }

            if (payment.RemainingReversal > 0)
            {
                Offer("POST", $"{href}/reversals", "create-reversal");
            }

            Offer("GET", $"{href}/paid", "paid-payment");
        }
        else if (payment.State == "Failed")
        {
            Offer("GET", $"{href}/failed", "failed-payment");
        }

        return new JsonObject
        {
            ["payment"] = new JsonObject
            {
                ["id"] = payment.Id,
                ["number"] = payment.Number,
                ["created"] = payment.Created.ToString("O"),
                ["updated"] = payment.Updated.ToString("O"),
                ["instrument"] = "Vipps",
                ["operation"] = "Purchase",
                ["intent"] = "Authorization",
                ["state"] = payment.State,
                ["currency"] = payment.Currency,
                ["amount"] = payment.Amount,
                ["remainingCaptureAmount"] = payment.RemainingCapture,
                ["remainingCancellationAmount"] = payment.RemainingCapture,
                ["remainingReversalAmount"] = payment.RemainingReversal,
                ["description"] = payment.Description,
                ["payeeInfo"] = new JsonObject { ["id"] = $"{payment.Id}/payeeinfo" },
                ["authorizations"] = List("authorizations", payment.Authorizations),
                ["captures"] = List("captures", payment.Captures),
                ["cancellations"] = List("cancellations", payment.Cancellations),
                ["reversals"] = List("reversals", payment.Reversals),
            },
            ["operations"] = operations,
        };
    }

    private static SimResponse NotOffered(PayExPayment payment, string rel) =>
        Problem(400, "inputerror", "Operation not allowed", $"The operation {rel} is not available for payment {payment.Guid} in state {payment.State}.");

    private static SimResponse NotFound(string guid) =>
        Problem(404, "notfound", "Not found", $"Payment {guid} was not found.");

    internal static SimResponse Problem(int status, string kind, string title, string detail, IEnumerable<(string Name, string Description)>? problems = null) =>
        new(status, new JsonObject
        {
            ["type"] = $"https://api.payex.com/psp/errordetail/{kind}",
            ["title"] = title,
            ["status"] = status,
            ["detail"] = detail,
            ["instance"] = $"https://api.payex.com/psp/probleminstance/sim-{Interlocked.Increment(ref _problems)}",
            ["action"] = status >= 500 ? "Retry" : "RetryNewData",
            ["problems"] = new JsonArray([.. (problems ?? []).Select(p => (JsonNode)new JsonObject { ["name"] = p.Name, ["description"] = p.Description })]),
        }, "application/problem+json");

    private static long _problems;

    private string NextGuid() => $"5adc265f-f87f-4313-577e-{Interlocked.Increment(ref _guids):x12}";

    private static string? Text(JsonObject? node, string name) =>
        node?[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static long Number(JsonObject? node, string name) =>
        node?[name] is JsonValue value && value.TryGetValue<long>(out var number) ? number : 0;

    [GeneratedRegex("^[A-Za-z0-9]{1,30}$")]
    private static partial Regex PayeeReference();

    [GeneratedRegex(@"^\+47[0-9]{8}$")]
    private static partial Regex Msisdn();
}
