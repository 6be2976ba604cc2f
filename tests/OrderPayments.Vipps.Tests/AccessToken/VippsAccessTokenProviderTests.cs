using System.Net;
using OrderPayments.Vipps.Http;

namespace OrderPayments.Vipps.Tests.AccessToken;

public sealed class VippsAccessTokenProviderTests
{
    [Fact]
    public async Task GetToken_ColdCache_PostsTheCredentialHeadersWithAnEmptyBody()
    {
        using var host = new VippsTestHost();

        var token = await host.Tokens.GetTokenAsync(CancellationToken.None);

        token.ShouldBe("token-1");
        var request = host.Handler.TokenRequests.ShouldHaveSingleItem();
        request.Method.ShouldBe(HttpMethod.Post);
        request.Uri.ShouldBe(new Uri("https://apitest.vipps.no/accesstoken/get"));
        request.Header("client_id").ShouldBe("client-id-1");
        request.Header("client_secret").ShouldBe("client-secret-1");
        request.Header("Ocp-Apim-Subscription-Key").ShouldBe("subscription-key-1");
        request.Header("Merchant-Serial-Number").ShouldBe("123456");
        request.Header("Vipps-System-Name").ShouldBe("acme-shop");
        (request.Body ?? "").ShouldBeEmpty();
    }

    [Fact]
    public async Task GetToken_BeforeTheRefreshMargin_ReusesTheCachedToken()
    {
        using var host = new VippsTestHost();
        await host.Tokens.GetTokenAsync(CancellationToken.None);

        host.Time.Advance(TimeSpan.FromMinutes(54));
        var token = await host.Tokens.GetTokenAsync(CancellationToken.None);

        token.ShouldBe("token-1");
        host.Handler.TokenRequests.Count().ShouldBe(1);
    }

    [Fact]
    public async Task GetToken_WithinTheRefreshMarginOfExpiry_FetchesANewOne()
    {
        using var host = new VippsTestHost();
        await host.Tokens.GetTokenAsync(CancellationToken.None);

        host.Time.Advance(TimeSpan.FromMinutes(55));
        var token = await host.Tokens.GetTokenAsync(CancellationToken.None);

        token.ShouldBe("token-2");
    }

    [Fact]
    public async Task GetToken_ExpiresInOnlyAsText_IsParsedFromTheString()
    {
        using var host = new VippsTestHost();
        host.Handler.RespondToken = (_, n) => Task.FromResult(FakeVippsHandler.Json(HttpStatusCode.OK,
            $$"""{"token_type":"Bearer","expires_in":"600","ext_expires_in":"0","expires_on":"","not_before":"","resource":"r","access_token":"short-{{n}}"}"""));
        await host.Tokens.GetTokenAsync(CancellationToken.None);

        host.Time.Advance(TimeSpan.FromMinutes(4));
        (await host.Tokens.GetTokenAsync(CancellationToken.None)).ShouldBe("short-1");
        host.Time.Advance(TimeSpan.FromMinutes(2));
        (await host.Tokens.GetTokenAsync(CancellationToken.None)).ShouldBe("short-2");
    }

    [Fact]
    public async Task GetToken_ThousandConcurrentCallersOnAColdCache_MakeOneRequest()
    {
        using var host = new VippsTestHost();
        var release = new TaskCompletionSource();
        host.Handler.RespondToken = async (_, n) =>
        {
            await release.Task;
            return FakeVippsHandler.Token($"token-{n}", 3600, host.Time.GetUtcNow());
        };

        var callers = Enumerable.Range(0, 1000).Select(_ => Task.Run(() => host.Tokens.GetTokenAsync(CancellationToken.None).AsTask())).ToList();
        release.SetResult();
        var tokens = await Task.WhenAll(callers);

        tokens.Distinct().ShouldHaveSingleItem().ShouldBe("token-1");
        host.Handler.TokenRequests.Count().ShouldBe(1);
    }

    [Fact]
    public async Task GetToken_CredentialsRefused_ThrowsTheProblemWithoutRetrying()
    {
        using var host = new VippsTestHost();
        host.Handler.RespondToken = (_, _) => Task.FromResult(FakeVippsHandler.Json(HttpStatusCode.Unauthorized,
            """{"statusCode":401,"message":"Access denied due to invalid subscription key."}"""));

        var error = await Should.ThrowAsync<VippsApiException>(() => host.Tokens.GetTokenAsync(CancellationToken.None).AsTask());

        error.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        error.Detail.ShouldBe("Access denied due to invalid subscription key.");
        error.IsTransient.ShouldBeFalse();
        error.Message.ShouldNotContain("client-secret-1");
        host.Handler.TokenRequests.Count().ShouldBe(1);
    }

    [Fact]
    public async Task ApiCall_AnsweredWith401_FetchesANewTokenAndRetriesOnce()
    {
        using var host = new VippsTestHost();
        host.Handler.Respond = (request, _) => Task.FromResult(request.Header("Authorization") == "Bearer token-1"
            ? FakeVippsHandler.Json(HttpStatusCode.Unauthorized, """{"statusCode":401,"message":"Something went wrong, please try again later"}""")
            : FakeVippsHandler.Json(HttpStatusCode.OK, PaymentJson.Authorized));

        var payment = await host.EPayment.GetPaymentAsync(Domain.PaymentReference.Parse("order-42-1"), CancellationToken.None);

        payment.Reference.ShouldBe("order-42-1");
        host.Handler.ApiRequests.Select(r => r.Header("Authorization")).ShouldBe(["Bearer token-1", "Bearer token-2"]);
    }

    [Fact]
    public async Task ApiCall_401EvenWithAFreshToken_FailsAfterOneRefresh()
    {
        using var host = new VippsTestHost();
        host.Handler.Respond = (_, _) => Task.FromResult(FakeVippsHandler.Json(HttpStatusCode.Unauthorized, """{"statusCode":401,"message":"denied"}"""));

        var error = await Should.ThrowAsync<VippsApiException>(() => host.EPayment.GetPaymentAsync(Domain.PaymentReference.Parse("order-42-1"), CancellationToken.None));

        error.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        host.Handler.ApiRequests.Count().ShouldBe(2);
        host.Handler.TokenRequests.Count().ShouldBe(2);
    }
}
