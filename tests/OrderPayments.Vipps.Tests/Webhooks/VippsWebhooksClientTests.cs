using System.Net;
using OrderPayments.Vipps.Webhooks;

namespace OrderPayments.Vipps.Tests.Webhooks;

public sealed class VippsWebhooksClientTests
{
    [Fact]
    public async Task Register_PostsUrlAndEventsAndReturnsTheSecretOnce()
    {
        using var host = new VippsTestHost();
        host.Handler.Respond = (_, _) => Task.FromResult(FakeVippsHandler.Json(HttpStatusCode.Created,
            """{"id":"497f6eca-6276-4993-bfeb-53cbbbba6f08","secret":"090a478d-37ff-4e77-970e-d457aeb7b5a0"}"""));

        var registered = await host.Webhooks.RegisterAsync(new Uri("https://shop.example/api/webhooks/vipps"), VippsWebhookEvents.AllPaymentEvents, CancellationToken.None);

        registered.Id.ShouldBe(Guid.Parse("497f6eca-6276-4993-bfeb-53cbbbba6f08"));
        registered.Secret.ShouldBe("090a478d-37ff-4e77-970e-d457aeb7b5a0");
        registered.ToString().ShouldNotContain(registered.Secret);
        var request = host.Handler.ApiRequests.ShouldHaveSingleItem();
        request.Method.ShouldBe(HttpMethod.Post);
        request.Path.ShouldBe("/webhooks/v1/webhooks");
        request.Header("Authorization").ShouldBe("Bearer token-1");
        request.Header("Merchant-Serial-Number").ShouldBe("123456");
        request.Body!.ShouldStartWith("""{"url":"https://shop.example/api/webhooks/vipps","events":["epayments.payment.created.v1",""");
    }

    [Fact]
    public async Task List_ReadsTheRegistrations()
    {
        using var host = new VippsTestHost();
        host.Handler.Respond = (_, _) => Task.FromResult(FakeVippsHandler.Json(HttpStatusCode.OK,
            """{"webhooks":[{"id":"497f6eca-6276-4993-bfeb-53cbbbba6f08","url":"https://shop.example/api/webhooks/vipps","events":["epayments.payment.authorized.v1"]}]}"""));

        var webhooks = await host.Webhooks.ListAsync(CancellationToken.None);

        webhooks.ShouldHaveSingleItem().Events.ShouldBe(["epayments.payment.authorized.v1"]);
        host.Handler.ApiRequests.Single().Method.ShouldBe(HttpMethod.Get);
    }

    [Fact]
    public async Task Delete_SendsDeleteForTheId()
    {
        using var host = new VippsTestHost();
        host.Handler.Respond = (_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.NoContent));

        await host.Webhooks.DeleteAsync(Guid.Parse("497f6eca-6276-4993-bfeb-53cbbbba6f08"), CancellationToken.None);

        var request = host.Handler.ApiRequests.ShouldHaveSingleItem();
        request.Method.ShouldBe(HttpMethod.Delete);
        request.Path.ShouldBe("/webhooks/v1/webhooks/497f6eca-6276-4993-bfeb-53cbbbba6f08");
    }
}
