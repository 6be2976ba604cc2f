using System.Net;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrderPayments.Application.Payments;
using OrderPayments.Domain;

namespace OrderPayments.PayEx.Tests;

/// <summary>One recorded request to the fake PayEx.</summary>
internal sealed record PayExRequest(HttpMethod Method, Uri Uri, string? Authorization, string? Body);

/// <summary>The PayEx client and adapter over a fake handler that records every request and answers as told.</summary>
internal sealed class PayExTestHost : IDisposable
{
    public const string PaymentId = "/psp/vipps/payments/5adc265f-f87f-4313-577e-08d3dca1a26c";
    private readonly ServiceProvider _services;

    public PayExTestHost(Dictionary<string, string?>? settings = null, TimeProvider? time = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["PayEx:BaseUrl"] = "https://api.externalintegration.payex.com",
            ["PayEx:AccessToken"] = "merchant-token",
            ["PayEx:PayeeId"] = "payee-1",
            ["PayEx:CallbackUrl"] = "https://shop.example/api/callbacks/payex",
            ["PayEx:MaxRetryAttempts"] = "0",
        };
        foreach (var (key, value) in settings ?? [])
        {
            values[key] = value;
        }

        var services = new ServiceCollection();
        if (time is not null)
        {
            services.AddSingleton(time);
        }

        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddPayEx(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        services.AddHttpClient<PayExVippsClient>().ConfigurePrimaryHttpMessageHandler(() => new Handler(this));
        _services = services.BuildServiceProvider();
    }

    public List<PayExRequest> Requests { get; } = [];

    /// <summary>Answers a request (default: 500).</summary>
    public Func<PayExRequest, HttpResponseMessage> Respond { get; set; } = _ => new HttpResponseMessage(HttpStatusCode.InternalServerError);

    public IPaymentProvider Provider => _services.GetServices<IPaymentProvider>().Single(p => p.Provider == PaymentProvider.PayEx);

    public static HttpResponseMessage Json(HttpStatusCode status, string json, string mediaType = "application/json") =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, mediaType) };

    public static PaymentReference Reference { get; } = PaymentReference.Parse("order-7-0001");

    public static IdempotencyKey Key(string operation) => IdempotencyKey.For(OrderId.Parse("order-7"), 1, operation, 1);

    /// <summary>A payment resource with the given state, transactions and operations.</summary>
    public static string Payment(string state = "Ready", string authorizations = "[]", string captures = "[]", string cancellations = "[]", string reversals = "[]", string operations = "[]") => $$$"""
        {"payment":{"id":"{{{PaymentId}}}","number":1001,"state":"{{{state}}}","currency":"NOK","amount":1000,
          "authorizations":{"id":"{{{PaymentId}}}/authorizations","authorizationList":{{{authorizations}}}},
          "captures":{"id":"{{{PaymentId}}}/captures","captureList":{{{captures}}}},
          "cancellations":{"id":"{{{PaymentId}}}/cancellations","cancellationList":{{{cancellations}}}},
          "reversals":{"id":"{{{PaymentId}}}/reversals","reversalList":{{{reversals}}}}},
         "operations":{{{operations}}}}
        """;

    public static string Transaction(string type, string state, long amount, string? payeeReference = null) =>
        $$$"""{"id":"{{{PaymentId}}}/x/1","transaction":{"id":"{{{PaymentId}}}/x/1","type":"{{{type}}}","state":"{{{state}}}","amount":{{{amount}}},"vatAmount":0,"payeeReference":{{{(payeeReference is null ? "null" : $"\"{payeeReference}\"")}}}}}""";

    public static string Operation(string rel, string href, string method = "POST") =>
        $$"""{"method":"{{method}}","href":"{{href}}","rel":"{{rel}}","contentType":"application/json"}""";

    public void Dispose() => _services.Dispose();

    private sealed class Handler(PayExTestHost host) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var recorded = new PayExRequest(
                request.Method,
                request.RequestUri!,
                request.Headers.Authorization?.ToString(),
                request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken));
            lock (host.Requests)
            {
                host.Requests.Add(recorded);
            }

            return host.Respond(recorded);
        }
    }
}
