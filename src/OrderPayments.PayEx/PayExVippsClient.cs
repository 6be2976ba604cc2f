using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using OrderPayments.Http;

namespace OrderPayments.PayEx;

/// <summary>
/// The PayEx (Swedbank Pay) Vipps payment instrument API: create, read (with its transactions expanded), and the
/// operations a payment offers (direct authorization with the payer's phone number, capture, cancellation, reversal,
/// abort), always at the <c>href</c> and with the method of the latest response's operation. Every call carries the
/// merchant token; errors become <see cref="PayExApiException"/>s.
/// </summary>
public sealed class PayExVippsClient
{
    /// <summary>The expansion that lists every transaction of a payment.</summary>
    public const string Expand = "$expand=authorizations,captures,cancellations,reversals";

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    private readonly HttpClient _http;
    private readonly TimeProvider _time;

    /// <summary>Creates the client on an <see cref="HttpClient"/> whose base address is the API root.</summary>
    public PayExVippsClient(HttpClient http, TimeProvider time)
    {
        _http = http;
        _time = time;
    }

    /// <summary><c>POST /psp/vipps/payments</c>: a Purchase with intent Authorization.</summary>
    public Task<PayExPaymentResponse> CreatePaymentAsync(PayExCreatePayment payment, CancellationToken cancellationToken) =>
        SendAsync<PayExPaymentResponse>(HttpMethod.Post, "psp/vipps/payments", new { payment }, cancellationToken);

    /// <summary>The payment with its transactions listed.</summary>
    /// <param name="paymentId">The payment's path (<c>/psp/vipps/payments/{id}</c>).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<PayExPaymentResponse> GetPaymentAsync(string paymentId, CancellationToken cancellationToken) =>
        SendAsync<PayExPaymentResponse>(HttpMethod.Get, $"{paymentId.TrimStart('/')}?{Expand}", null, cancellationToken);

    /// <summary>Runs an operation the payment offers with <paramref name="body"/> (its href and method, never built here).</summary>
    public async Task<JsonDocument> ExecuteAsync(PayExOperation operation, object body, CancellationToken cancellationToken)
    {
        using var response = await SendRawAsync(new HttpMethod(operation.Method), operation.Href, body, cancellationToken).ConfigureAwait(false);
        return await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var response = await SendRawAsync(method, path, body, cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken).ConfigureAwait(false)
            ?? throw new PayExApiException(response.StatusCode, null, $"PayEx answered {method} {path} with an empty body.", isTransient: true);
    }

    private async Task<HttpResponseMessage> SendRawAsync(HttpMethod method, string target, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(target, UriKind.RelativeOrAbsolute));
        if (PaymentIdOf(target) is { } paymentId)
        {
            // Swedbank Pay documents no limit per payment: the rate limit only holds a payment's calls after a 429 with
            // Retry-After (PayExOptions.RateLimits).
            new ProviderCall(paymentId, method == HttpMethod.Get ? ProviderCallKind.Query : ProviderCallKind.Mutation).ApplyTo(request);
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: Json);
        }

        var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var problem = await ReadProblemAsync(response, cancellationToken).ConfigureAwait(false);
            throw new PayExApiException(
                response.StatusCode,
                problem,
                $"PayEx answered {method} {target} with {(int)response.StatusCode}: {problem?.Detail ?? problem?.Title ?? response.ReasonPhrase}" +
                (problem?.Problems is { Count: > 0 } items ? $" ({string.Join("; ", items.Select(p => $"{p.Name}: {p.Description}"))})" : ""),
                PayExApiException.IsTransientStatus(response.StatusCode, problem?.Kind),
                RetryAfter.From(response, _time.GetUtcNow()));
        }
    }

    /// <summary>
    /// The payment id in a payment's path or one of its operations' hrefs (<c>…/payments/{id}[/…][?…]</c>); null for the
    /// create, which names no payment yet.
    /// </summary>
    internal static string? PaymentIdOf(string target)
    {
        const string Payments = "/payments/";
        var path = target.AsSpan();
        var query = path.IndexOf('?');
        if (query >= 0)
        {
            path = path[..query];
        }

        var at = path.IndexOf(Payments, StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        var id = path[(at + Payments.Length)..];
        var end = id.IndexOf('/');
        id = end >= 0 ? id[..end] : id;
        return id.IsEmpty ? null : id.ToString();
    }

    private static async Task<PayExProblem?> ReadProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return response.Content.Headers.ContentLength == 0
                ? null
                : await response.Content.ReadFromJsonAsync<PayExProblem>(Json, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            return null;
        }
        catch (NotSupportedException)
        {
            return null;
        }
    }
}

/// <summary>The <c>payment</c> object of a create request.</summary>
/// <param name="Operation">Always <c>Purchase</c>.</param>
/// <param name="Intent">Always <c>Authorization</c> (Vipps is two-phase).</param>
/// <param name="Currency">NOK.</param>
/// <param name="Prices">One price of type <c>Vipps</c>.</param>
/// <param name="Description">At most 40 characters.</param>
/// <param name="UserAgent">The payer's user agent.</param>
/// <param name="Language">nb-NO, en-US or sv-SE.</param>
/// <param name="Urls">Complete, cancel and callback URLs.</param>
/// <param name="PayeeInfo">The merchant and the operation's payee reference.</param>
/// <param name="PrefillInfo">The payer's phone number, when known.</param>
public sealed record PayExCreatePayment(
    string Operation,
    string Intent,
    string Currency,
    IReadOnlyList<PayExPrice> Prices,
    string Description,
    string UserAgent,
    string Language,
    PayExUrls Urls,
    PayExPayeeInfo PayeeInfo,
    PayExPrefillInfo? PrefillInfo);

/// <summary>A price.</summary>
/// <param name="Type">Vipps.</param>
/// <param name="Amount">Minor units.</param>
/// <param name="VatAmount">Minor units.</param>
public sealed record PayExPrice(string Type, long Amount, long VatAmount);

/// <summary>The payment's URLs.</summary>
/// <param name="HostUrls">Hosts allowed to embed the payment page.</param>
/// <param name="CompleteUrl">Where the payer returns (not proof of payment).</param>
/// <param name="CancelUrl">Where the payer returns after cancelling.</param>
/// <param name="CallbackUrl">Server-to-server notification target.</param>
public sealed record PayExUrls(IReadOnlyList<string> HostUrls, string CompleteUrl, string? CancelUrl, string? CallbackUrl);

/// <summary>The merchant.</summary>
/// <param name="PayeeId">The merchant id.</param>
/// <param name="PayeeReference">Unique per operation, at most 30 letters and digits.</param>
/// <param name="PayeeName">The merchant's name.</param>
public sealed record PayExPayeeInfo(string PayeeId, string PayeeReference, string? PayeeName);

/// <summary>Pre-filled payer details.</summary>
/// <param name="Msisdn">The phone number with <c>+</c> and country code.</param>
public sealed record PayExPrefillInfo(string Msisdn);
