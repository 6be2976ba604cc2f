using OrderPayments.Application.Notifications;
using OrderPayments.Application.Workflows;
using OrderPayments.Domain;
using OrderPayments.Domain.Workflow;

namespace OrderPayments.Application.Http;

/// <summary>
/// The request handlers of the HTTP contract, shared by the self-hosted API and the Functions app: each takes the
/// route values and the raw body, validates, turns the request into a start or a signal, and answers an
/// <see cref="ApiResponse"/>. Hosts only bind routes to these and write the response. Bad input changes nothing.
/// </summary>
public sealed class OrderPaymentRequests
{
    /// <summary>The most orders one listing page returns.</summary>
    public const int MaxPageSize = 200;

    /// <summary>The longest shipment, refund or attempt id a signal takes.</summary>
    public const int MaxSignalIdLength = 100;

    /// <summary>The longest cancellation reason.</summary>
    public const int MaxReasonLength = 200;

    private static readonly Dictionary<string, UserFlow> UserFlows = new(StringComparer.OrdinalIgnoreCase)
    {
        ["WEB_REDIRECT"] = UserFlow.WebRedirect,
        ["NATIVE_REDIRECT"] = UserFlow.NativeRedirect,
        ["PUSH_MESSAGE"] = UserFlow.PushMessage,
        ["QR"] = UserFlow.Qr,
    };

    private static readonly Dictionary<string, PaymentProvider> Providers = new(StringComparer.OrdinalIgnoreCase)
    {
        ["vipps"] = PaymentProvider.Vipps,
        ["payex"] = PaymentProvider.PayEx,
    };

    /// <summary>The <c>userFlow</c> values a start takes (any case), as the contract names them.</summary>
    public static IReadOnlyCollection<string> UserFlowNames => UserFlows.Keys;

    /// <summary>The <c>provider</c> values a start takes (any case), as the contract names them.</summary>
    public static IReadOnlyCollection<string> ProviderNames => Providers.Keys;

    private readonly IOrderPaymentClient _client;
    private readonly IReadOnlyList<IProviderNotifications> _notifications;
    private readonly HashSet<PaymentProvider> _providers;
    private readonly TimeSpan _startWait;
    private readonly StatusWaits _waits;

    /// <summary>Creates the handlers.</summary>
    /// <param name="client">The workflow client of the host.</param>
    /// <param name="notifications">The providers' webhook/callback intakes.</param>
    /// <param name="providers">The providers this deployment is configured for (others are refused at start).</param>
    /// <param name="startWait">How long a start waits for the redirect URL before answering 202.</param>
    /// <param name="waits">
    /// The process's bound on long polls and their clock (one per process, shared by every handler instance); null for
    /// one of its own with <see cref="StatusWaits.DefaultCapacity"/> on the system clock.
    /// </param>
    public OrderPaymentRequests(IOrderPaymentClient client, IEnumerable<IProviderNotifications> notifications, IEnumerable<PaymentProvider> providers, TimeSpan startWait, StatusWaits? waits = null)
    {
        _client = client;
        _notifications = [.. notifications];
        _providers = providers.ToHashSet();
        _startWait = startWait;
        _waits = waits ?? new StatusWaits(StatusWaits.DefaultCapacity, TimeProvider.System);
    }

    /// <summary>The path of an order's status document.</summary>
    public static string StatusPath(OrderId orderId) => $"/api/orders/{Uri.EscapeDataString(orderId.Value)}/payment";

    /// <summary>
    /// <c>PUT /api/orders/{orderId}/payment</c>: starts the order's payment. 201 with the status document and the
    /// redirect URL when the provider answered within the wait (200 when the same request was started before);
    /// 202 when it has not answered yet; 409 when the order has a payment for a different request.
    /// </summary>
    public async Task<ApiResponse> StartAsync(string orderId, ReadOnlyMemory<byte> body, string? by, CancellationToken cancellationToken)
    {
        var (json, malformed) = JsonBody.Parse(body);
        if (json is null)
        {
            return ApiResponse.Problem(malformed!);
        }

        var id = ParseOrderId(orderId, json.Errors);
        var amount = json.Amount("amount", required: true);
        var description = json.String("description", required: true, PaymentRequest.MaxDescriptionLength);
        var returnUrl = json.String("returnUrl", required: false, PaymentRequest.MaxReturnUrlLength);
        var userFlow = json.Choice("userFlow", UserFlows, UserFlow.WebRedirect);
        var phoneNumber = PhoneNumber(json);
        var provider = json.Choice("provider", Providers, PaymentProvider.Vipps);
        json.RefuseUnknownFields();
        if (provider is { } chosen && !_providers.Contains(chosen))
        {
            json.Error("provider", $"The provider '{OrderPaymentDocument.ProviderName(chosen)}' is not configured in this deployment.");
        }

        if (json.Errors.Count > 0)
        {
            return ApiResponse.Problem(ApiProblem.Invalid(json.Errors));
        }

        var request = new PaymentRequest(id!.Value, amount!.Value, description!, userFlow!.Value, returnUrl, phoneNumber, provider!.Value);
        var outcome = await _client.StartAsync(request, by, cancellationToken).ConfigureAwait(false);
        switch (outcome.Result)
        {
            case StartResult.Invalid:
                return ApiResponse.Problem(ApiProblem.Invalid(Fields(outcome.Errors)));
            case StartResult.Conflict:
                return ApiResponse.Problem(new ApiProblem(
                    ApiProblem.Urn("order-conflict"),
                    "The order already has a payment for a different request.",
                    409,
                    outcome.Errors[0].Message,
                    Fields(outcome.Errors)));
        }

        var location = StatusPath(request.OrderId);
        var snapshot = await _client.WaitForAsync(request.OrderId, HasLeftCreating, _startWait, cancellationToken).ConfigureAwait(false)
            ?? outcome.Snapshot!;
        var status = !HasLeftCreating(snapshot) ? 202 : outcome.Result == StartResult.Started ? 201 : 200;
        return new ApiResponse(status, OrderPaymentDocument.From(snapshot), location) { ETag = EntityTags.Of(snapshot) };
    }

    /// <summary><c>GET /api/orders/{orderId}/payment</c>: the status document with the history and its <c>ETag</c>.</summary>
    public Task<ApiResponse> GetAsync(string orderId, CancellationToken cancellationToken) => GetAsync(orderId, null, null, null, cancellationToken);

    /// <summary>
    /// <c>GET /api/orders/{orderId}/payment?waitForChange=&amp;timeout=</c> with an optional <c>If-None-Match</c>: the
    /// status document with its history and its <c>ETag</c> (<see cref="EntityTags"/>); 304 with no body (the document is
    /// not even built) when <paramref name="ifNoneMatch"/> names the current tag.
    /// With <paramref name="waitForChange"/> (a version the caller has seen) it is a long poll: answered as soon as the
    /// order's version is greater (at once when it already is), else after <paramref name="timeout"/> seconds (1 to 30;
    /// 30 when not given) with the document as it is then (304 when it still matches). While
    /// <see cref="StatusWaits.Capacity"/> reads of this process wait already, a read that would wait is answered 503 with
    /// <c>Retry-After</c> at once. 400 for a bad order id, version or timeout (or a timeout without waitForChange).
    /// </summary>
    public async Task<ApiResponse> GetAsync(string orderId, string? ifNoneMatch, string? waitForChange, string? timeout, CancellationToken cancellationToken)
    {
        var errors = new List<ApiFieldError>();
        var id = ParseOrderId(orderId, errors);
        var seen = SeenVersion(waitForChange, errors);
        var wait = WaitTimeout(timeout, waitForChange is not null, errors);
        if (id is null || errors.Count > 0)
        {
            return ApiResponse.Problem(ApiProblem.Invalid(errors));
        }

        var snapshot = await _client.GetAsync(id.Value, cancellationToken).ConfigureAwait(false);
        if (snapshot is not null && seen is { } version && snapshot.Version <= version)
        {
            // The timeout runs from here, before the place is taken: a read counted as waiting has its timeout armed.
            using var timer = new CancellationTokenSource(wait, _waits.Time);
            if (!_waits.TryEnter())
            {
                return ApiResponse.Problem(new ApiProblem(
                    ApiProblem.Urn("too-many-waiting"),
                    "Too many status reads are waiting for a change.",
                    503,
                    $"{_waits.Capacity} long polls wait already. Ask again after Retry-After, or read without waitForChange.")) with { RetryAfter = StatusWaits.RetryAfter };
            }

            try
            {
                snapshot = await WaitForChangeAsync(id.Value, version, timer, wait, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _waits.Leave();
            }
        }

        if (snapshot is null)
        {
            return ApiResponse.Problem(ApiProblem.OrderNotFound(orderId));
        }

        var tag = EntityTags.Of(snapshot);
        return EntityTags.Matches(ifNoneMatch, tag)
            ? new ApiResponse(304, null) { ETag = tag }
            : new ApiResponse(200, OrderPaymentDocument.From(snapshot)) { ETag = tag };
    }

    /// <summary>
    /// The order once its version passes <paramref name="version"/>, or as it is when <paramref name="timeout"/> (
    /// <paramref name="wait"/> on the <see cref="StatusWaits"/>' clock) is cancelled (null when it does not exist). The
    /// client wakes the wait on the commit that changes the order (the embedded runtime) or reads it again with a back-off
    /// (the Durable interpreter); its own timeout is only a backstop behind this clock's.
    /// </summary>
    private async Task<OrderPaymentSnapshot?> WaitForChangeAsync(OrderId id, long version, CancellationTokenSource timeout, TimeSpan wait, CancellationToken cancellationToken)
    {
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            if (await _client.WaitForAsync(id, s => s.Version > version, wait + TimeSpan.FromMinutes(1), waiting.Token).ConfigureAwait(false) is { } changed)
            {
                return changed;
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // The timeout: answer with the order as it is now.
        }

        return await _client.GetAsync(id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The <c>waitForChange</c> of a status read: a version, 0 or more; null when absent; a bad one is added to <paramref name="errors"/>.</summary>
    private static long? SeenVersion(string? waitForChange, List<ApiFieldError> errors)
    {
        if (waitForChange is null)
        {
            return null;
        }

        if (long.TryParse(waitForChange, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var version))
        {
            return version;
        }

        errors.Add(new ApiFieldError("waitForChange", "Must be a version the caller has seen: a whole number, 0 or more."));
        return null;
    }

    /// <summary>The <c>timeout</c> of a long poll in seconds: 1 to 30, 30 when absent; only with <c>waitForChange</c>.</summary>
    private static TimeSpan WaitTimeout(string? timeout, bool waiting, List<ApiFieldError> errors)
    {
        var longest = (int)StatusWaits.LongestWait.TotalSeconds;
        if (timeout is null)
        {
            return StatusWaits.LongestWait;
        }

        if (!waiting)
        {
            errors.Add(new ApiFieldError("timeout", "Only with waitForChange (a long poll)."));
        }
        else if (int.TryParse(timeout, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds is >= 1 && seconds <= longest)
        {
            return TimeSpan.FromSeconds(seconds);
        }
        else
        {
            errors.Add(new ApiFieldError("timeout", $"Must be a whole number of seconds from 1 to {longest}."));
        }

        return StatusWaits.LongestWait;
    }

    /// <summary><c>GET /api/orders?status=&amp;after=&amp;limit=</c>: a page of orders by id, without histories.</summary>
    public async Task<ApiResponse> ListAsync(string? status, string? after, string? limit, CancellationToken cancellationToken)
    {
        var errors = new List<ApiFieldError>();
        var wanted = Status(status, errors);
        OrderId? afterId = null;
        if (!string.IsNullOrEmpty(after))
        {
            afterId = ParseOrderId(after, errors, "after");
        }

        var size = PageSize(limit, errors);
        if (errors.Count > 0)
        {
            return ApiResponse.Problem(ApiProblem.Invalid(errors));
        }

        var page = await _client.ListAsync(wanted, afterId, size, cancellationToken).ConfigureAwait(false);
        var next = page.Count == size ? page[^1].State.OrderId.Value : null;
        return new ApiResponse(200, new OrderPage([.. page.Select(s => OrderPaymentDocument.From(s, withHistory: false))], next));
    }

    /// <summary><c>POST /api/orders/{orderId}/fulfillments</c> <c>{ shipmentId, amount? }</c>: capture for a shipment (the rest of the reservation when no amount).</summary>
    public Task<ApiResponse> FulfillAsync(string orderId, ReadOnlyMemory<byte> body, string? by, CancellationToken cancellationToken) =>
        SignalAsync(orderId, body, by, emptyIsObject: false, json =>
        {
            var shipmentId = json.String("shipmentId", required: true, MaxSignalIdLength);
            var amount = json.Amount("amount", required: false);
            return shipmentId is null
                ? null
                : (new FulfillmentSignalled(shipmentId, amount), $"shipment:{shipmentId}:{amount?.ToString() ?? "rest"}");
        }, cancellationToken);

    /// <summary><c>POST /api/orders/{orderId}/cancellation</c> <c>{ reason? }</c>: cancel what is not captured.</summary>
    public Task<ApiResponse> CancelAsync(string orderId, ReadOnlyMemory<byte> body, string? by, CancellationToken cancellationToken) =>
        SignalAsync(orderId, body, by, emptyIsObject: true, json =>
        {
            var reason = json.String("reason", required: false, MaxReasonLength);
            return (new CancelRequested(reason), "cancel");
        }, cancellationToken);

    /// <summary><c>POST /api/orders/{orderId}/refunds</c> <c>{ refundId, amount }</c>: pay back part or all of what was captured.</summary>
    public Task<ApiResponse> RefundAsync(string orderId, ReadOnlyMemory<byte> body, string? by, CancellationToken cancellationToken) =>
        SignalAsync(orderId, body, by, emptyIsObject: false, json =>
        {
            var refundId = json.String("refundId", required: true, MaxSignalIdLength);
            var amount = json.Amount("amount", required: true);
            return refundId is null || amount is null ? null : (new RefundRequested(refundId, amount.Value), $"refund:{refundId}:{amount}");
        }, cancellationToken);

    /// <summary><c>POST /api/orders/{orderId}/attempts</c> <c>{ attemptId }</c>: a new payment attempt after an unpaid end.</summary>
    public Task<ApiResponse> NewAttemptAsync(string orderId, ReadOnlyMemory<byte> body, string? by, CancellationToken cancellationToken) =>
        SignalAsync(orderId, body, by, emptyIsObject: false, json =>
        {
            var attemptId = json.String("attemptId", required: true, MaxSignalIdLength);
            return attemptId is null ? null : (new NewAttemptRequested(attemptId), $"attempt:{attemptId}");
        }, cancellationToken);

    /// <summary>
    /// <c>POST /api/webhooks/{provider}</c>: verifies the delivery, records what it means for each order it names
    /// (once per notification) and answers 200. Not authentic: 401, nothing recorded. A notification about a payment
    /// this deployment does not know is acknowledged and ignored (a refusal would block the provider's later
    /// deliveries for that payment).
    /// </summary>
    public async Task<ApiResponse> NotifyAsync(PaymentProvider provider, NotificationDelivery delivery, CancellationToken cancellationToken)
    {
        var (refusal, notifications) = await NotificationHandling.ReadAsync(_notifications, provider, delivery, cancellationToken).ConfigureAwait(false);
        if (refusal is not null)
        {
            return refusal;
        }

        var recorded = 0;
        var ignored = 0;
        foreach (var notification in notifications)
        {
            var outcome = await NotificationHandling.RecordAsync(_client, notification, cancellationToken).ConfigureAwait(false);
            if (outcome is { Result: SignalResult.Accepted, Repeated: false })
            {
                recorded++;
            }
            else
            {
                ignored++;
            }
        }

        return new ApiResponse(200, new NotificationReceipt(recorded, ignored));
    }

    private async Task<ApiResponse> SignalAsync(
        string orderId,
        ReadOnlyMemory<byte> body,
        string? by,
        bool emptyIsObject,
        Func<JsonBody, (WorkflowInput Signal, string DedupeKey)?> read,
        CancellationToken cancellationToken)
    {
        var (json, malformed) = JsonBody.Parse(body, emptyIsObject);
        if (json is null)
        {
            return ApiResponse.Problem(malformed!);
        }

        var id = ParseOrderId(orderId, json.Errors);
        var signal = read(json);
        json.RefuseUnknownFields();
        if (json.Errors.Count > 0 || signal is null || id is null)
        {
            return ApiResponse.Problem(ApiProblem.Invalid(json.Errors));
        }

        var outcome = await _client.RaiseAsync(id.Value, signal.Value.Signal with { By = by }, signal.Value.DedupeKey, cancellationToken).ConfigureAwait(false);
        var location = StatusPath(id.Value);
        return outcome.Result switch
        {
            SignalResult.Accepted => new ApiResponse(202, new SignalReceipt("accepted", location, outcome.Repeated), location),
            SignalResult.Applied => new ApiResponse(200, new SignalReceipt("applied", location, outcome.Repeated), location),
            SignalResult.NotFound => ApiResponse.Problem(ApiProblem.OrderNotFound(orderId)),
            _ => ApiResponse.Problem(Refused(outcome.Rejection!)),
        };
    }

    /// <summary>A signal the order's state refuses: 422 for amounts, 409 for the order's state, 400 for fields.</summary>
    private static ApiProblem Refused(InputRejection rejection)
    {
        var status = rejection.Reason switch
        {
            RejectionReason.InvalidRequest => 400,
            RejectionReason.InvalidAmount or RejectionReason.CurrencyMismatch or RejectionReason.ExceedsRemaining or RejectionReason.ExceedsRefundable => 422,
            _ => 409,
        };
        var kind = ApiProblem.Kind(rejection.Reason);
        return new ApiProblem(
            ApiProblem.Urn(kind),
            status == 409 ? "The order's state does not allow this now." : "The request cannot be applied to this order.",
            status,
            rejection.Message,
            rejection.Field is { } field ? [new ApiFieldError(field, rejection.Message)] : null);
    }

    /// <summary>
    /// The phone number as the providers take it (the MSISDN, <c>4791234567</c>), read once here from whatever common
    /// form the storefront sent (<c>+47 912 34 567</c>, <c>0047…</c>): the stored request, and so the idempotent start's
    /// comparison, has the one form.
    /// </summary>
    private static string? PhoneNumber(JsonBody json)
    {
        if (json.String("phoneNumber", required: false, PhoneNumbers.MaxInputLength) is not { } text)
        {
            return null;
        }

        if (PhoneNumbers.TryNormalize(text, out var msisdn, out var error))
        {
            return msisdn;
        }

        json.Error("phoneNumber", error);
        return null;
    }

    /// <summary>The <c>limit</c> of a listing: 1 to <see cref="MaxPageSize"/>, 50 when absent; a bad one is added to <paramref name="errors"/>.</summary>
    public static int PageSize(string? limit, List<ApiFieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (string.IsNullOrEmpty(limit))
        {
            return 50;
        }

        if (int.TryParse(limit, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var size) && size is >= 1 and <= MaxPageSize)
        {
            return size;
        }

        errors.Add(new ApiFieldError("limit", $"Must be a whole number from 1 to {MaxPageSize}."));
        return 0;
    }

    /// <summary>The <c>status</c> of a listing: a <see cref="PaymentStatus"/> name (any case), null when absent; a bad one is added to <paramref name="errors"/>.</summary>
    public static PaymentStatus? Status(string? status, List<ApiFieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (string.IsNullOrEmpty(status))
        {
            return null;
        }

        if (Enum.TryParse<PaymentStatus>(status, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !status.Any(char.IsDigit))
        {
            return parsed;
        }

        errors.Add(new ApiFieldError("status", $"Must be one of {string.Join(", ", Enum.GetNames<PaymentStatus>())}."));
        return null;
    }

    private static bool HasLeftCreating(OrderPaymentSnapshot snapshot) =>
        snapshot.State.Status != PaymentStatus.Creating || snapshot.State.RedirectUrl is not null;

    private static OrderId? ParseOrderId(string value, List<ApiFieldError> errors, string field = "orderId")
    {
        if (OrderId.TryParse(value, out var id, out var error))
        {
            return id;
        }

        errors.Add(new ApiFieldError(field, error));
        return null;
    }

    private static List<ApiFieldError> Fields(IEnumerable<InputRejection> rejections) =>
        [.. rejections.Select(r => new ApiFieldError(r.Field ?? "body", r.Message))];
}

/// <summary>
/// The answer to a signal: <c>accepted</c> (recorded; applied shortly, in order) or <c>applied</c> (recorded before and
/// already applied). A signal refused when it was applied is answered, every time it is sent again, with the same
/// problem as a refusal at once.
/// </summary>
/// <param name="Result"><c>accepted</c> or <c>applied</c>.</param>
/// <param name="Status">The path of the order's status document.</param>
/// <param name="Repeated">The same signal (same id and amount) was recorded before; this is its outcome.</param>
public sealed record SignalReceipt(string Result, string Status, bool Repeated);

/// <summary>The answer to a webhook or callback.</summary>
/// <param name="Recorded">Notifications recorded for an order.</param>
/// <param name="Ignored">Duplicates and notifications about unknown payments.</param>
public sealed record NotificationReceipt(int Recorded, int Ignored);
