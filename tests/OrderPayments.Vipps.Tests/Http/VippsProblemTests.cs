using System.Net;
using OrderPayments.Domain;
using OrderPayments.Vipps.Http;

namespace OrderPayments.Vipps.Tests.Http;

public sealed class VippsProblemTests
{
    private static async Task<VippsApiException> FailWith(HttpResponseMessage response)
    {
        using var host = new VippsTestHost();
        host.Handler.Respond = (_, _) => Task.FromResult(response);
        return await Should.ThrowAsync<VippsApiException>(() => host.EPayment.GetPaymentAsync(PaymentReference.Parse("order-42-1"), CancellationToken.None));
    }

    [Fact]
    public async Task Error_ProblemJsonWithExtraDetails_CarriesEveryFieldAndTheNumericCode()
    {
        var error = await FailWith(FakeVippsHandler.Json(HttpStatusCode.BadRequest, """
            {"type":"https://developer.vippsmobilepay.com/docs/APIs/epayment-api/api-guide/errors#6090","title":"Capture amount too high","status":400,
             "detail":"Cannot capture more than the remaining amount","instance":"/epayment/v1/payments/order-42-1/capture","traceId":"0HMVQ2",
             "extraDetails":[{"name":"ErrorCode","reason":"6090"},{"name":"modificationAmount","reason":"too high"}]}
            """, "application/problem+json"));

        error.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        error.ErrorCode.ShouldBe("6090");
        error.Title.ShouldBe("Capture amount too high");
        error.Detail.ShouldBe("Cannot capture more than the remaining amount");
        error.TraceId.ShouldBe("0HMVQ2");
        error.Instance.ShouldBe("/epayment/v1/payments/order-42-1/capture");
        error.ExtraDetails.Count.ShouldBe(2);
        error.IsTransient.ShouldBeFalse();
        error.Message.ShouldContain("error code 6090");
    }

    [Fact]
    public async Task Error_ApiManagementShape_UsesItsMessageAsTheDetail()
    {
        var error = await FailWith(FakeVippsHandler.Json(HttpStatusCode.Forbidden, """{"statusCode":403,"message":"Product not enabled"}"""));

        error.Detail.ShouldBe("Product not enabled");
        error.ErrorCode.ShouldBeNull();
    }

    [Fact]
    public async Task Error_NotJson_KeepsTheTextAsTheDetail()
    {
        var error = await FailWith(FakeVippsHandler.Json(HttpStatusCode.NotFound, "404 APIM Resource Not Found", "text/plain"));

        error.Detail.ShouldBe("404 APIM Resource Not Found");
        error.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData(HttpStatusCode.TooManyRequests, null, true)]
    [InlineData(HttpStatusCode.Locked, null, true)]
    [InlineData(HttpStatusCode.RequestTimeout, null, true)]
    [InlineData(HttpStatusCode.InternalServerError, null, true)]
    [InlineData(HttpStatusCode.BadRequest, "6160", true)]
    [InlineData(HttpStatusCode.BadRequest, "6250", true)]
    [InlineData(HttpStatusCode.BadRequest, "6280", true)]
    [InlineData(HttpStatusCode.BadRequest, "6090", false)]
    [InlineData(HttpStatusCode.BadRequest, "6060", false)]
    [InlineData(HttpStatusCode.Conflict, "4150", false)]
    [InlineData(HttpStatusCode.Unauthorized, null, false)]
    public void IsTransient_ClassifiesStatusAndCode(HttpStatusCode status, string? code, bool transient) =>
        VippsErrorClassifier.IsTransient(status, code).ShouldBe(transient);
}
