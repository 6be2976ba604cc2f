using OrderPayments.Domain;
using OrderPayments.Http;
using OrderPayments.Vipps.Http;

namespace OrderPayments.Vipps.EPayment;

/// <summary>
/// The ePayment API v1: create, get, event log, capture, cancel, refund and the test environment's force-approve.
/// Every mutating call takes the caller's <see cref="IdempotencyKey"/>; this client never makes one up, so a
/// repeated call (after a timeout, a crash, a retry) is the same call. Authentication, headers, retries and the rate
/// limit per reference (<see cref="VippsOptions.RateLimits"/>) come from the handlers registered by
/// <see cref="VippsServiceCollectionExtensions.AddVipps"/>.
/// </summary>
/// <exception cref="VippsApiException">
/// Any non-success answer, with Vipps' problem details; also a call the rate limit did not send, as a 429 with
/// <see cref="VippsApiException.RetryAfter"/> set to when it may be sent.
/// </exception>
public sealed class VippsEPaymentClient
{
    private const string Payments = "epayment/v1/payments";
    private readonly HttpClient _http;
    private readonly TimeProvider _time;

    /// <summary>Creates the client over an HTTP client whose base address is the Vipps base URL.</summary>
    public VippsEPaymentClient(HttpClient http, TimeProvider time)
    {
        _http = http;
        _time = time;
    }

    /// <summary><c>POST /epayment/v1/payments</c> → 201.</summary>
    public Task<VippsCreatePaymentResponse> CreatePaymentAsync(VippsCreatePaymentRequest request, IdempotencyKey key, CancellationToken cancellationToken) =>
        SendAsync<VippsCreatePaymentResponse>(HttpMethod.Post, Payments, request, key, Mutation(request.Reference), cancellationToken);

    /// <summary><c>GET /epayment/v1/payments/{reference}</c>.</summary>
    public Task<VippsPayment> GetPaymentAsync(PaymentReference reference, CancellationToken cancellationToken) =>
        SendAsync<VippsPayment>(HttpMethod.Get, $"{Payments}/{reference}", null, null, Query(reference), cancellationToken);

    /// <summary><c>GET /epayment/v1/payments/{reference}/events</c>.</summary>
    public Task<IReadOnlyList<VippsPaymentEvent>> GetPaymentEventsAsync(PaymentReference reference, CancellationToken cancellationToken) =>
        SendAsync<IReadOnlyList<VippsPaymentEvent>>(HttpMethod.Get, $"{Payments}/{reference}/events", null, null, Query(reference), cancellationToken);

    /// <summary><c>POST /epayment/v1/payments/{reference}/capture</c> with <c>modificationAmount</c>.</summary>
    public Task<VippsModificationResponse> CaptureAsync(PaymentReference reference, Money amount, IdempotencyKey key, CancellationToken cancellationToken) =>
        SendAsync<VippsModificationResponse>(HttpMethod.Post, $"{Payments}/{reference}/capture", new { modificationAmount = amount }, key, Mutation(reference), cancellationToken);

    /// <summary>
    /// <c>POST /epayment/v1/payments/{reference}/cancel</c> with <c>cancelTransactionOnly</c> (always sent: the endpoint
    /// wants a JSON body). With it, Vipps cancels only if not yet authorized and otherwise answers 6060.
    /// </summary>
    public Task<VippsModificationResponse> CancelAsync(PaymentReference reference, bool cancelTransactionOnly, IdempotencyKey key, CancellationToken cancellationToken) =>
        SendAsync<VippsModificationResponse>(HttpMethod.Post, $"{Payments}/{reference}/cancel", new { cancelTransactionOnly }, key, Mutation(reference), cancellationToken);

    /// <summary><c>POST /epayment/v1/payments/{reference}/refund</c> with <c>modificationAmount</c>.</summary>
    public Task<VippsModificationResponse> RefundAsync(PaymentReference reference, Money amount, IdempotencyKey key, CancellationToken cancellationToken) =>
        SendAsync<VippsModificationResponse>(HttpMethod.Post, $"{Payments}/{reference}/refund", new { modificationAmount = amount }, key, Mutation(reference), cancellationToken);

    /// <summary>
    /// <c>POST /epayment/v1/test/payments/{reference}/approve</c>: approves as the test user with this phone number.
    /// Test environment only; production refuses it.
    /// </summary>
    public async Task ForceApproveAsync(PaymentReference reference, string? phoneNumber, CancellationToken cancellationToken)
    {
        var body = phoneNumber is null ? new { } : (object)new { customer = new VippsCustomer(phoneNumber) };
        using var response = await VippsCalls.SendAsync(_http, _time, HttpMethod.Post, $"epayment/v1/test/payments/{reference}/approve", body, null, null, cancellationToken).ConfigureAwait(false);
    }

    // Vipps counts per reference: create, capture, cancel and refund against one limit, get payment and the event log
    // against another (shared/vipps/NOTES.md §9).
    private static ProviderCall Mutation(PaymentReference reference) => Mutation(reference.Value);

    private static ProviderCall Mutation(string reference) => new(reference, ProviderCallKind.Mutation);

    private static ProviderCall Query(PaymentReference reference) => new(reference.Value, ProviderCallKind.Query);

    private Task<T> SendAsync<T>(HttpMethod method, string path, object? body, IdempotencyKey? key, ProviderCall call, CancellationToken cancellationToken) =>
        VippsCalls.SendAsync<T>(_http, _time, method, path, body, key, call, cancellationToken);
}
