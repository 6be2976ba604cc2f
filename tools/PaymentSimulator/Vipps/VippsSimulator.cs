using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using PaymentSimulator.Faults;
using PaymentSimulator.Persistence;
using PaymentSimulator.Webhooks;

namespace PaymentSimulator.Vipps;

/// <summary>
/// The simulated Vipps ePayment service: payments, their state machine and totals, idempotency, tokens and the event
/// log, in memory behind one lock (safe under many concurrent requests). With a <see cref="SimulatorStore"/> file every
/// change is written before it is answered, the change and its idempotency record in one transaction, and a restarted
/// simulator carries on where it stopped; without one it is gone with the process.
/// </summary>
internal sealed partial class VippsSimulator
{
    private static readonly Dictionary<long, string> RefusedAmounts = new()
    {
        [151] = "insufficient funds",
        [182] = "refused by issuer",
        [183] = "suspected fraud",
        [184] = "withdrawal limit exceeded",
        [186] = "expired card",
        [187] = "invalid card",
        [197] = "3-D Secure denied",
        [202] = "strong customer authentication required",
    };

    private static readonly Dictionary<string, long> MinimumAmounts = new() { ["NOK"] = 100, ["DKK"] = 1, ["EUR"] = 1 };
    private static readonly string[] UserFlows = ["WEB_REDIRECT", "NATIVE_REDIRECT", "PUSH_MESSAGE", "QR"];

    private const string SequenceCounter = "vipps.sequence";

    private readonly Lock _lock = new();
    private readonly ChangeSet _changes;
    private readonly Dictionary<string, SimPayment> _payments = [];
    private readonly Dictionary<string, IdempotencyRecord> _idempotency = [];
    private readonly Dictionary<string, DateTimeOffset> _tokens = [];
    private readonly SimulatorOptions _options;
    private readonly TimeProvider _time;
    private long _sequence;

    private readonly WebhookHub _webhooks;

    public VippsSimulator(IOptions<SimulatorOptions> options, SimulatorClock time, WebhookHub webhooks, FaultInjector faults, SimulatorStore store)
    {
        _options = options.Value;
        _time = time;
        _webhooks = webhooks;
        Faults = faults;
        _changes = new ChangeSet(store);
        foreach (var (reference, payment) in StoredJson.ReadAll<SimPayment>(store, StoreKinds.VippsPayment))
        {
            _payments[reference] = payment;
        }

        foreach (var (key, record) in StoredJson.ReadAll<IdempotencyRecord>(store, StoreKinds.VippsIdempotency))
        {
            _idempotency[key] = record;
        }

        foreach (var (token, expires) in StoredJson.ReadAll<DateTimeOffset>(store, StoreKinds.VippsToken))
        {
            _tokens[token] = expires;
        }

        _sequence = StoredJson.ReadAll<long>(store, StoreKinds.Counter).FirstOrDefault(c => c.Key == SequenceCounter).Value;
    }

    public SimulatorStats Stats { get; } = new();

    public FaultInjector Faults { get; }

    // ---- Access token ----

    public SimResponse IssueToken(string? clientId, string? clientSecret, string? subscriptionKey)
    {
        Stats.Call("accesstoken");
        if (subscriptionKey != _options.SubscriptionKey)
        {
            return InvalidSubscriptionKey();
        }

        if (clientId != _options.ClientId || clientSecret != _options.ClientSecret)
        {
            return SimResponse.Json(401, new JsonObject { ["error"] = "unauthorized_client", ["error_description"] = "AADSTS7000215: Invalid client secret provided." });
        }

        var now = _time.GetUtcNow();
        var expires = now + _options.TokenLifetime;
        var token = Locked(() =>
        {
            var issued = $"sim-token-{Interlocked.Increment(ref _sequence):D8}";
            _tokens[issued] = expires;
            _changes.Put(StoreKinds.VippsToken, issued, () => StoredJson.Write(expires));
            CountersChanged();
            return issued;
        });

        // Every field is a string, as in the real API.
        var seconds = ((long)_options.TokenLifetime.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        return SimResponse.Json(200, new JsonObject
        {
            ["token_type"] = "Bearer",
            ["expires_in"] = seconds,
            ["ext_expires_in"] = seconds,
            ["expires_on"] = expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            ["not_before"] = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            ["resource"] = "00000002-0000-0000-c000-000000000000",
            ["access_token"] = token,
        });
    }

    /// <summary>The real 401 shapes for a bad subscription key or token; 400 for another MSN; null when the caller may proceed.</summary>
    public SimResponse? Authenticate(string? authorization, string? subscriptionKey, string? merchantSerialNumber)
    {
        if (subscriptionKey != _options.SubscriptionKey)
        {
            return InvalidSubscriptionKey();
        }

        var token = authorization is not null && authorization.StartsWith("Bearer ", StringComparison.Ordinal) ? authorization[7..] : null;
        bool valid;
        lock (_lock)
        {
            valid = token is not null && _tokens.TryGetValue(token, out var expires) && _time.GetUtcNow() < expires;
        }

        if (!valid)
        {
            return SimResponse.Json(401, new JsonObject { ["statusCode"] = 401, ["message"] = "Something went wrong, please try again later" });
        }

        return merchantSerialNumber == _options.MerchantSerialNumber
            ? null
            : SimResponse.Problem(400, "Bad Request", $"Merchant-Serial-Number '{merchantSerialNumber}' is not a sales unit of this subscription key.", field: "Merchant-Serial-Number");
    }

    // ---- ePayment ----

    public SimResponse Create(string? key, JsonNode? body, string landingBase)
    {
        Stats.Call("create");
        return WithIdempotency("create", Text(body, "reference") ?? "", key, required: true, body, () =>
        {
            if (ValidateCreate(body) is { } invalid)
            {
                return invalid;
            }

            var reference = Text(body, "reference")!;
            if (_payments.ContainsKey(reference))
            {
                return SimResponse.Problem(409, "Conflict", $"Reference {reference} already exists.", "4150");
            }

            var now = _time.GetUtcNow();
            var flow = Text(body, "userFlow")!;
            var amount = Property(body, "amount");
            var payment = new SimPayment
            {
                Reference = reference,
                Currency = Text(amount, "currency")!,
                Amount = Property(amount, "value")!.GetValue<long>(),
                UserFlow = flow,
                ReturnUrl = Text(body, "returnUrl"),
                Description = Text(body, "paymentDescription"),
                PspReference = NextId("psp"),
                LandingToken = NextId("landing"),
                CreatedAt = now,
                ExpiresAt = now + _options.PaymentWindow,
            };
            payment.RedirectUrl = flow == "PUSH_MESSAGE" ? null : $"{landingBase}/landing/{reference}?token={payment.LandingToken}";
            _payments[reference] = payment;
            AddEvent(payment, "CREATED", payment.Amount, key);
            var response = new JsonObject { ["reference"] = reference };
            if (payment.RedirectUrl is not null)
            {
                response["redirectUrl"] = payment.RedirectUrl;
            }

            return SimResponse.Json(201, response);
        });
    }

    public SimResponse Get(string reference)
    {
        Stats.Call("get");
        return Locked(() =>
        {
            if (Find(reference) is not { } payment)
            {
                return NotFound(reference);
            }

            var body = new JsonObject
            {
                ["aggregate"] = payment.Aggregate(),
                ["amount"] = payment.Money(payment.Amount),
                ["state"] = payment.State,
                ["paymentMethod"] = new JsonObject { ["type"] = "WALLET" },
                ["profile"] = new JsonObject(),
                ["pspReference"] = payment.PspReference,
                ["reference"] = payment.Reference,
            };
            if (payment.RedirectUrl is not null)
            {
                body["redirectUrl"] = payment.RedirectUrl;
            }

            return SimResponse.Json(200, body);
        });
    }

    public SimResponse Events(string reference)
    {
        Stats.Call("events");
        return Locked(() => Find(reference) is { } payment
            ? SimResponse.Json(200, new JsonArray(payment.Events.Select(e => (JsonNode)e.DeepClone()).ToArray()))
            : NotFound(reference));
    }

    public SimResponse Capture(string reference, string? key, JsonNode? body)
    {
        Stats.Call("capture");
        return WithIdempotency("capture", reference, key, required: true, body, () =>
        {
            if (Find(reference) is not { } payment)
            {
                return NotFound(reference);
            }

            if (ModificationAmount(body, payment, out var amount) is { } invalid)
            {
                return invalid;
            }

            if (payment.State != "AUTHORIZED")
            {
                return SimResponse.Problem(400, "Capture before reservation", $"The payment is {payment.State}; only an authorized payment can be captured.", "6080");
            }

            if (payment.Remaining == 0 && payment.Cancelled > 0)
            {
                return SimResponse.Problem(400, "Cannot capture cancelled", "The reservation was cancelled.", "6070");
            }

            if (amount > payment.Remaining)
            {
                return SimResponse.Problem(400, "Capture amount too high", $"Cannot capture {amount}; {payment.Remaining} is left of the reservation.", "6090");
            }

            payment.Captured += amount;
            AddEvent(payment, "CAPTURED", amount, key);
            return Modification(payment);
        });
    }

    public SimResponse Cancel(string reference, string? key, JsonNode? body)
    {
        Stats.Call("cancel");
        return WithIdempotency("cancel", reference, key, required: false, body, () =>
        {
            if (Find(reference) is not { } payment)
            {
                return NotFound(reference);
            }

            var flag = Property(body, "cancelTransactionOnly");
            if (body is not (null or JsonObject) || (flag is not null && flag.GetValueKind() is not (System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False)))
            {
                return SimResponse.Problem(400, "Bad Request", "The body must be { \"cancelTransactionOnly\": true|false } or empty.", field: "cancelTransactionOnly");
            }

            var transactionOnly = flag?.GetValue<bool>() ?? false;
            switch (payment.State)
            {
                case "CREATED":
                    payment.State = "TERMINATED";
                    payment.Cancelled = payment.Amount;
                    AddEvent(payment, "TERMINATED", payment.Amount, key);
                    return Modification(payment);
                case "AUTHORIZED" when transactionOnly:
                    return SimResponse.Problem(400, "Cannot cancel authorized", "The payment is authorized and cancelTransactionOnly is set.", "6060");
                case "AUTHORIZED" when payment.Captured == payment.Authorized:
                    return SimResponse.Problem(400, "Cannot cancel captured", "The payment is fully captured; refund instead.", "6040");
                case "AUTHORIZED" when payment.Remaining == 0:
                    return Modification(payment);
                case "AUTHORIZED":
                    var released = payment.Remaining;
                    payment.Cancelled += released;
                    AddEvent(payment, "CANCELLED", released, key);
                    return Modification(payment);
                default:
                    return SimResponse.Problem(400, "Cannot cancel", $"The payment is {payment.State}; nothing is reserved.", "6050");
            }
        });
    }

    public SimResponse Refund(string reference, string? key, JsonNode? body)
    {
        Stats.Call("refund");
        return WithIdempotency("refund", reference, key, required: true, body, () =>
        {
            if (Find(reference) is not { } payment)
            {
                return NotFound(reference);
            }

            if (ModificationAmount(body, payment, out var amount) is { } invalid)
            {
                return invalid;
            }

            // Test-environment magic amounts for refunds.
            if (amount == 123)
            {
                return SimResponse.Problem(400, "Cannot refund", "The customer has no account that can receive the refund.");
            }

            if (amount == 124)
            {
                return SimResponse.Problem(400, "Refund period expired", "The refund period has expired.", "6220");
            }

            if (amount > payment.Captured - payment.Refunded)
            {
                return SimResponse.Problem(400, "Not enough refundable", $"Cannot refund {amount}; {payment.Captured - payment.Refunded} is captured and not refunded.", "6150");
            }

            payment.Refunded += amount;
            AddEvent(payment, "REFUNDED", amount, key);
            return Modification(payment);
        });
    }

    /// <summary>The customer approves (landing page, control API, test force-approve).</summary>
    public SimResponse Approve(string reference)
    {
        Stats.Call("approve");
        return Locked(() =>
        {
            if (Find(reference) is not { } payment)
            {
                return NotFound(reference);
            }

            if (payment.State != "CREATED")
            {
                return SimResponse.Problem(409, "Conflict", $"The payment is {payment.State}; it can no longer be approved.", "6230");
            }

            if (RefusedAmounts.TryGetValue(payment.Amount, out var reason))
            {
                return SimResponse.Problem(409, "Approval refused", $"The test environment refuses amount {payment.Amount}: {reason}. The payment stays CREATED.");
            }

            if (payment.Amount == 201)
            {
                // "Unknown result for 1 hour": no decision yet, and the payment does not expire in the normal window.
                payment.ExpiresAt = payment.CreatedAt + TimeSpan.FromHours(1);
                Changed(payment);
                return SimResponse.Json(202, new JsonObject { ["state"] = payment.State });
            }

            payment.State = "AUTHORIZED";
            payment.Authorized = payment.Amount;
            AddEvent(payment, "AUTHORIZED", payment.Amount, null);
            return SimResponse.Json(200, new JsonObject { ["state"] = payment.State });
        });
    }

    /// <summary>The customer rejects (ABORTED) or lets the payment run out (EXPIRED), at once.</summary>
    public SimResponse End(string reference, string state)
    {
        Stats.Call(state == "ABORTED" ? "reject" : "expire");
        return Locked(() =>
        {
            if (Find(reference) is not { } payment)
            {
                return NotFound(reference);
            }

            if (payment.State != "CREATED")
            {
                return SimResponse.Problem(409, "Conflict", $"The payment is {payment.State}; it is already decided.");
            }

            payment.State = state;
            AddEvent(payment, state, payment.Amount, null);
            return SimResponse.Json(200, new JsonObject { ["state"] = payment.State });
        });
    }

    /// <summary>What the landing page shows; null when the reference or token is unknown.</summary>
    public (string Merchant, string Amount, string? Description, string State, string? ReturnUrl)? Landing(string reference, string? token)
    {
        return Locked<(string, string, string?, string, string?)?>(() => Find(reference) is { } payment && payment.LandingToken == token
            ? (_options.MerchantName, $"{payment.Amount / 100}.{payment.Amount % 100:D2} {payment.Currency}", payment.Description, payment.State, payment.ReturnUrl)
            : null);
    }

    // ---- Plumbing ----

    /// <summary>
    /// Vipps' idempotency: the same key and body replay the first answer and apply nothing; the same key with another
    /// body is a 409 (4010 for captures, 4150 for refunds, else 4020); a key used for another operation or payment is
    /// a 409 4020. Every answer below 500 is remembered, so a refused request stays refused for its key.
    /// </summary>
    private SimResponse WithIdempotency(string operation, string reference, string? key, bool required, JsonNode? body, Func<SimResponse> execute)
    {
        if (key is null)
        {
            if (required)
            {
                return SimResponse.Problem(400, "Bad Request", "The Idempotency-Key header is required.", field: "Idempotency-Key");
            }

            return Locked(execute);
        }

        if (key.Length is 0 or > 50)
        {
            return SimResponse.Problem(400, "Bad Request", "The Idempotency-Key must be 1 to 50 characters.", field: "Idempotency-Key");
        }

        var canonical = body?.ToJsonString() ?? "";
        return Locked(() =>
        {
            if (_idempotency.TryGetValue(key, out var earlier))
            {
                if (earlier.Operation != operation || earlier.Reference != reference)
                {
                    return SimResponse.Problem(409, "Idempotency error", $"Idempotency-Key {key} was used for another request.", "4020");
                }

                if (earlier.Body != canonical)
                {
                    var code = operation switch { "capture" => "4010", "refund" => "4150", _ => "4020" };
                    return SimResponse.Problem(409, "Idempotency conflict", $"Idempotency-Key {key} was used with a different body.", code);
                }

                Stats.Replayed(key);
                return earlier.Response;
            }

            var response = execute();
            if (response.Status < 500)
            {
                var record = new IdempotencyRecord(operation, reference, canonical, response);
                _idempotency[key] = record;
                _changes.Put(StoreKinds.VippsIdempotency, key, () => StoredJson.Write(record));
            }

            if (response.IsSuccess)
            {
                Stats.Applied(key);
            }

            return response;
        });
    }

    /// <summary>Runs <paramref name="action"/> under the lock and writes what it changed before the lock is let go.</summary>
    private T Locked<T>(Func<T> action) => _changes.Locked(_lock, action);

    /// <summary>The payment changed (under the lock): it is written, with the counters, when the operation ends.</summary>
    private void Changed(SimPayment payment)
    {
        _changes.Put(StoreKinds.VippsPayment, payment.Reference, () => StoredJson.Write(payment));
        CountersChanged();
    }

    private void CountersChanged() =>
        _changes.Put(StoreKinds.Counter, SequenceCounter, () => StoredJson.Write(Interlocked.Read(ref _sequence)));

    private SimPayment? Find(string reference)
    {
        if (!_payments.TryGetValue(reference, out var payment))
        {
            return null;
        }

        if (payment.State == "CREATED" && _time.GetUtcNow() >= payment.ExpiresAt)
        {
            payment.State = "EXPIRED";
            AddEvent(payment, "EXPIRED", payment.Amount, null);
        }

        return payment;
    }

    private static SimResponse? ValidateCreate(JsonNode? body)
    {
        if (body is not JsonObject)
        {
            return SimResponse.Problem(400, "Bad Request", "The body must be a JSON object.");
        }

        var reference = Text(body, "reference");
        if (reference is null || !ReferencePattern().IsMatch(reference))
        {
            return SimResponse.Problem(400, "Bad Request", "reference must match ^[a-zA-Z0-9-]{8,64}$.", field: "reference");
        }

        if (AmountProblem(Property(body, "amount"), "amount") is { } amountProblem)
        {
            return amountProblem;
        }

        if (Text(Property(body, "paymentMethod"), "type") is not ("WALLET" or "CARD"))
        {
            return SimResponse.Problem(400, "Bad Request", "paymentMethod.type must be WALLET or CARD.", field: "paymentMethod.type");
        }

        var flow = Text(body, "userFlow");
        if (flow is null || !UserFlows.Contains(flow))
        {
            return SimResponse.Problem(400, "Bad Request", "userFlow must be WEB_REDIRECT, NATIVE_REDIRECT, PUSH_MESSAGE or QR.", field: "userFlow");
        }

        // "The URL must use the https:// scheme or a custom URL scheme", maxLength 2500 (ePayment 1.8.1). http is let through
        // to a loopback host only: the simulator serves developers, whose shop runs on their own machine.
        var returnUrl = Text(body, "returnUrl");
        if ((flow is "WEB_REDIRECT" or "NATIVE_REDIRECT" && returnUrl is null)
            || (returnUrl is not null && (!Uri.TryCreate(returnUrl, UriKind.Absolute, out var url) || returnUrl.Length > 2500 || (url.Scheme == Uri.UriSchemeHttp && !url.IsLoopback))))
        {
            return SimResponse.Problem(400, "Bad Request", "returnUrl is required for redirect flows and must be an absolute https or custom-scheme URL of at most 2500 characters.", field: "returnUrl");
        }

        var phone = Text(Property(body, "customer"), "phoneNumber");
        if (flow == "PUSH_MESSAGE" && phone is null)
        {
            return SimResponse.Problem(400, "Bad Request", "customer.phoneNumber is required for PUSH_MESSAGE.", field: "customer.phoneNumber");
        }

        // customer.phoneNumber: ^\d{9,15}$ (ePayment 1.8.1; 1.4.1 said 10 to 15).
        if (phone is not null && (phone.Length is < 9 or > 15 || !phone.All(char.IsAsciiDigit)))
        {
            return SimResponse.Problem(400, "Invalid phone number", "customer.phoneNumber must be MSISDN digits with the country code.", "4070", "customer.phoneNumber");
        }

        var description = Text(body, "paymentDescription");
        return description is not null && description.Length is < 3 or > 100
            ? SimResponse.Problem(400, "Bad Request", "paymentDescription must be 3 to 100 characters.", field: "paymentDescription")
            : null;
    }

    private static SimResponse? AmountProblem(JsonNode? amount, string field)
    {
        var currency = Text(amount, "currency");
        if (currency is null || !MinimumAmounts.TryGetValue(currency, out var minimum))
        {
            return SimResponse.Problem(400, "Bad Request", $"{field}.currency must be NOK, DKK or EUR.", field: $"{field}.currency");
        }

        if (Property(amount, "value") is not JsonValue value || !value.TryGetValue<long>(out var minor) || minor < 0 || minor > 65_000_000)
        {
            return SimResponse.Problem(400, "Invalid amount", $"{field}.value must be a whole number of minor units from 0 to 65000000.", "4040", $"{field}.value");
        }

        return minor < minimum
            ? SimResponse.Problem(400, "Amount too small", $"{field}.value must be at least {minimum} for {currency}.", "6010", $"{field}.value")
            : null;
    }

    private static SimResponse? ModificationAmount(JsonNode? body, SimPayment payment, out long amount)
    {
        amount = 0;
        var node = Property(body, "modificationAmount");
        if (Text(node, "currency") != payment.Currency)
        {
            return SimResponse.Problem(400, "Bad Request", $"modificationAmount.currency must be {payment.Currency}.", field: "modificationAmount.currency");
        }

        if (Property(node, "value") is not JsonValue value || !value.TryGetValue(out amount) || amount <= 0)
        {
            return SimResponse.Problem(400, "Invalid amount", "modificationAmount.value must be a positive whole number of minor units.", "4040", "modificationAmount.value");
        }

        return null;
    }

    private static SimResponse Modification(SimPayment payment) => SimResponse.Json(200, new JsonObject
    {
        ["amount"] = payment.Money(payment.Amount),
        ["state"] = payment.State,
        ["aggregate"] = payment.Aggregate(),
        ["pspReference"] = payment.PspReference,
        ["reference"] = payment.Reference,
    });

    private void AddEvent(SimPayment payment, string name, long amount, string? key)
    {
        var entry = new JsonObject
        {
            ["reference"] = payment.Reference,
            ["pspReference"] = name == "CREATED" ? payment.PspReference : NextId("psp"),
            ["name"] = name,
            ["amount"] = payment.Money(amount),
            ["timestamp"] = _time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture),
            ["success"] = true,
        };
        if (key is not null)
        {
            entry["idempotencyKey"] = key;
        }

        payment.Events.Add(entry);
        Changed(payment);
        _webhooks.Publish(_options.MerchantSerialNumber, payment.Reference, entry);
    }

    private string NextId(string prefix) => $"{prefix}-{Interlocked.Increment(ref _sequence):D10}";

    private static SimResponse NotFound(string reference) =>
        SimResponse.Problem(404, "Not Found", $"No payment with reference {reference} for this merchant.");

    private static SimResponse InvalidSubscriptionKey() => SimResponse.Json(401, new JsonObject
    {
        ["statusCode"] = 401,
        ["message"] = "Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription.",
    });

    /// <summary>A property of a JSON object; null for a missing property or when the node is not an object (never throws).</summary>
    private static JsonNode? Property(JsonNode? node, string property) => node is JsonObject o ? o[property] : null;

    /// <summary>A string property; null when missing or not a string (never throws).</summary>
    private static string? Text(JsonNode? node, string property) =>
        Property(node, property) is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    [GeneratedRegex("^[a-zA-Z0-9-]{8,64}$")]
    private static partial Regex ReferencePattern();

    private sealed record IdempotencyRecord(string Operation, string Reference, string Body, SimResponse Response);
}
