using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using OrderPayments.Application.Hosting;
using OrderPayments.Vipps.Webhooks;

namespace OrderPayments.Vipps.Tests.Webhooks;

public sealed class VippsWebhookSubscriptionTests
{
    private static readonly Uri Url = new("https://shop.example/api/webhooks/vipps");
    private const string RegisteredId = "497f6eca-6276-4993-bfeb-53cbbbba6f08";

    [Fact]
    public async Task Ensure_NothingRegistered_RegistersAndStoresTheSecret()
    {
        using var host = new VippsTestHost();
        host.Handler.Respond = (request, _) => Task.FromResult(request.Method == HttpMethod.Get
            ? FakeVippsHandler.Json(HttpStatusCode.OK, """{"webhooks":[]}""")
            : FakeVippsHandler.Json(HttpStatusCode.Created, $$"""{"id":"{{RegisteredId}}","secret":"s3cret"}"""));
        var store = new MemoryStore();
        var subscription = new VippsWebhookSubscription(host.Webhooks, NullLogger<VippsWebhookSubscription>.Instance, store);

        await subscription.EnsureRegisteredAsync(Url, CancellationToken.None);

        subscription.Verifier.ShouldNotBeNull();
        store.Values.Values.ShouldHaveSingleItem().ShouldContain("s3cret");
        var register = host.Handler.ApiRequests.Last();
        register.Method.ShouldBe(HttpMethod.Post);
        register.Body!.ShouldNotContain("epayments.payment.created.v1");
        register.Body!.ShouldContain("epayments.payment.authorized.v1");
    }

    [Fact]
    public async Task Ensure_StoredRegistrationStillAtVipps_ReusesItWithoutRegistering()
    {
        using var host = new VippsTestHost();
        host.Handler.Respond = (request, _) => Task.FromResult(RegistrationList());
        var store = new MemoryStore();
        store.Values["vipps.webhook"] = $"{Url.AbsoluteUri}\t{RegisteredId}\ts3cret";
        var subscription = new VippsWebhookSubscription(host.Webhooks, NullLogger<VippsWebhookSubscription>.Instance, store);

        await subscription.EnsureRegisteredAsync(Url, CancellationToken.None);

        subscription.Verifier.ShouldNotBeNull();
        host.Handler.ApiRequests.ShouldHaveSingleItem().Method.ShouldBe(HttpMethod.Get);
    }

    [Fact]
    public async Task Ensure_RegisteredWithASecretNotKnownHere_DeletesAndRegistersAgain()
    {
        using var host = new VippsTestHost();
        host.Handler.Respond = (request, _) => Task.FromResult(
            request.Method == HttpMethod.Get ? RegistrationList()
            : request.Method == HttpMethod.Delete ? new HttpResponseMessage(HttpStatusCode.NoContent)
            : FakeVippsHandler.Json(HttpStatusCode.Created, """{"id":"11111111-6276-4993-bfeb-53cbbbba6f08","secret":"new-secret"}"""));
        var store = new MemoryStore();
        var subscription = new VippsWebhookSubscription(host.Webhooks, NullLogger<VippsWebhookSubscription>.Instance, store);

        await subscription.EnsureRegisteredAsync(Url, CancellationToken.None);

        host.Handler.ApiRequests.Select(r => r.Method.Method).ShouldBe(["GET", "DELETE", "POST"]);
        host.Handler.ApiRequests.ElementAt(1).Path.ShouldEndWith(RegisteredId);
        store.Values.Values.ShouldHaveSingleItem().ShouldContain("new-secret");
    }

    private static HttpResponseMessage RegistrationList() => FakeVippsHandler.Json(
        HttpStatusCode.OK,
        $$"""{"webhooks":[{"id":"{{RegisteredId}}","url":"{{Url.AbsoluteUri}}","events":[{{string.Join(",", VippsWebhookSubscription.Events.Select(e => $"\"{e}\""))}}]}]}""");

    internal sealed class MemoryStore : IHostValueStore
    {
        public Dictionary<string, string> Values { get; } = [];

        public Task<string?> GetAsync(string name, CancellationToken cancellationToken) => Task.FromResult(Values.GetValueOrDefault(name));

        public Task SetAsync(string name, string value, CancellationToken cancellationToken)
        {
            Values[name] = value;
            return Task.CompletedTask;
        }
    }
}
