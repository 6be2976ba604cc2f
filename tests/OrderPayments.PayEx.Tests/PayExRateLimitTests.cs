using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Time.Testing;
using OrderPayments.Application.Payments;
using OrderPayments.Domain.Workflow;
using static OrderPayments.PayEx.Tests.PayExTestHost;

namespace OrderPayments.PayEx.Tests;

/// <summary>
/// Swedbank Pay documents no rate limit per payment, so none is invented: only its own 429 with Retry-After holds that
/// payment's calls of that kind until the time has passed, failing as that 429 did.
/// </summary>
public sealed class PayExRateLimitTests
{
    private const string OtherPaymentId = "/psp/vipps/payments/7e6cdfbb-ad1a-4e8e-a2c9-08d3dca1a26c";
    private static readonly TimeSpan NoWait = TimeSpan.FromSeconds(10);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero));

    private static Task<PaymentObservation> Query(PayExTestHost host, string paymentId = PaymentId) =>
        host.Provider.QueryAsync(new QueryPayment(Key("query"), Reference) { ProviderPaymentId = paymentId }, CancellationToken.None).WaitAsync(NoWait);

    private static HttpResponseMessage TooManyRequests(TimeSpan retryAfter)
    {
        var response = Json(HttpStatusCode.TooManyRequests, """{"type":"https://api.payex.com/psp/errordetail/toomanyrequests","title":"Too Many Requests","status":429}""", "application/problem+json");
        response.Headers.RetryAfter = new RetryConditionHeaderValue(retryAfter);
        return response;
    }

    [Fact]
    public async Task Query_PayEx429WithRetryAfter_HoldsThatPaymentsReadsUntilItHasPassed()
    {
        using var host = new PayExTestHost(time: _time);
        var answers = 0;
        host.Respond = _ => Interlocked.Increment(ref answers) == 1 ? TooManyRequests(TimeSpan.FromSeconds(40)) : Json(HttpStatusCode.OK, Payment());
        (await Should.ThrowAsync<PaymentProviderException>(() => Query(host))).RetryAfter.ShouldBe(TimeSpan.FromSeconds(40));
        _time.Advance(TimeSpan.FromSeconds(15));

        var held = await Should.ThrowAsync<PaymentProviderException>(() => Query(host));

        held.IsTransient.ShouldBeTrue();
        held.RetryAfter.ShouldBe(TimeSpan.FromSeconds(25));
        host.Requests.Count.ShouldBe(1, "the held read was not sent");

        _time.Advance(TimeSpan.FromSeconds(25));
        await Query(host);
        host.Requests.Count.ShouldBe(2);
    }

    [Fact]
    public async Task Query_AnotherPaymentAfterA429_IsSent()
    {
        using var host = new PayExTestHost(time: _time);
        host.Respond = request => request.Uri.AbsolutePath == PaymentId ? TooManyRequests(TimeSpan.FromSeconds(40)) : Json(HttpStatusCode.OK, Payment());
        await Should.ThrowAsync<PaymentProviderException>(() => Query(host));

        await Query(host, OtherPaymentId);

        host.Requests.Count.ShouldBe(2);
    }

    [Fact]
    public async Task Query_ManyReadsOfOnePayment_AreAllSent()
    {
        using var host = new PayExTestHost(time: _time);
        host.Respond = _ => Json(HttpStatusCode.OK, Payment());

        for (var n = 0; n < 200; n++)
        {
            await Query(host);
        }

        host.Requests.Count.ShouldBe(200, "no limit per payment is documented, so none is applied");
    }

    [Theory]
    [InlineData("psp/vipps/payments", null)]
    [InlineData("psp/vipps/payments/5adc265f-f87f-4313-577e-08d3dca1a26c?$expand=authorizations,captures", "5adc265f-f87f-4313-577e-08d3dca1a26c")]
    [InlineData("https://api.externalintegration.payex.com/psp/vipps/payments/5adc265f-f87f-4313-577e-08d3dca1a26c/captures", "5adc265f-f87f-4313-577e-08d3dca1a26c")]
    [InlineData("/psp/vipps/payments/5adc265f-f87f-4313-577e-08d3dca1a26c", "5adc265f-f87f-4313-577e-08d3dca1a26c")]
    public void PaymentIdOf_TargetOfACall_IsThePaymentItNames(string target, string? expected) =>
        PayExVippsClient.PaymentIdOf(target).ShouldBe(expected);
}
