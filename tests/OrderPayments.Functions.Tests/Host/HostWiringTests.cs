using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OrderPayments.Api.Tests;
using OrderPayments.Api.Tests.Notifications;
using OrderPayments.Domain;
using OrderPayments.Domain.Workflow;
using OrderPayments.Durable.Orchestration;

namespace OrderPayments.Functions.Tests.Host;

/// <summary>
/// The Functions app's wiring as the Functions host runs it: the worker's services built by the app's own composition
/// (<see cref="FunctionsApp.CreateBuilder"/>, what Program.cs runs) with the settings of <c>local.settings.sample.json</c>,
/// and every class with a <c>[Function]</c> method created by the worker's own activator and invoked through its real
/// signature. (Issue 24: <c>StorefrontFunctions</c> had only an internal constructor, so the worker could not create it,
/// the orchestration's event recording failed for ever, and every order stalled at its first step.)
/// </summary>
public sealed class HostWiringTests(Azurite azurite) : IClassFixture<Azurite>
{
    [Fact]
    public void Activator_EveryFunctionClass_IsCreatedFromTheWorkersServicesAsProgramBuildsThem()
    {
        // The sample's settings, its placeholders given values of their form (and the storage account: Azurite).
        var sample = new ConfigurationBuilder().AddJsonFile(RepositoryFiles.Path("local.settings.sample.json")).Build().GetSection("Values");
        var settings = sample.AsEnumerable(makePathsRelative: true)
            .Where(s => s.Value is not null)
            .ToDictionary(s => s.Key.Replace("__", ":", StringComparison.Ordinal), s => (string?)Placeholder(s.Key, s.Value!));
        settings["AzureWebJobsStorage"] = azurite.ConnectionString;
        using var host = FunctionsApp.CreateBuilder(configuration => configuration.AddInMemoryCollection(settings)).Build();
        var activator = host.Services.GetRequiredService<IFunctionActivator>();

        var created = FunctionBinding.Classes.Select(type =>
        {
            using var scope = host.Services.CreateScope();
            return activator.CreateInstance(type, new TestFunctionContext(type.Name, scope.ServiceProvider, CancellationToken.None));
        }).ToList();

        created.Select(c => c!.GetType()).ShouldBe(FunctionBinding.Classes, ignoreOrder: true);
        created.Count.ShouldBeGreaterThanOrEqualTo(6);
    }

    private static string Placeholder(string key, string value) => !value.StartsWith('<') ? value : key switch
    {
        _ when key.EndsWith("Url", StringComparison.Ordinal) => "https://orders.example/api/" + key.ToLowerInvariant(),
        _ when key.EndsWith("MerchantSerialNumber", StringComparison.Ordinal) => "123456",
        _ => "sample-" + key.ToLowerInvariant().Replace("__", "-", StringComparison.Ordinal),
    };

    [Fact]
    public async Task Bindings_AnOrdersWholeLife_InvokesEveryFunctionThroughItsRealSignature()
    {
        await using var receiver = await StorefrontReceiver.StartAsync();
        var engine = new FunctionsEngine(azurite.ConnectionString);
        await using var api = await ApiHost.StartAsync(new() { ["Notifications:Enabled"] = "true", ["Workflow:FirstPollDelay"] = "00:00:10", ["Workflow:MaxPollInterval"] = "00:00:10" }, engine: engine);

        // Operators add an endpoint (admin routes), the storefront starts, the customer approves (the webhook), the
        // fulfillment system ships over HTTP and by queue, the storefront refunds, cancels the rest and reads.
        using var created = await api.Http.PostAsync("api/notification-endpoints", ApiHost.Json(new JsonObject { ["url"] = receiver.Url.AbsoluteUri }));
        var endpointId = (string)(await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
        (await api.Http.GetAsync("api/notification-endpoints")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await api.Http.PostAsync($"api/notification-endpoints/{endpointId}/test", null)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var started = await api.StartPaymentAsync("wired-1", 1000);
        await api.CustomerAsync((string)started["reference"]!, "approve");
        await api.WaitForStatusAsync("wired-1", "Authorized");
        (await api.FulfillAsync("wired-1", "ship-1", 400)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        await engine.InvokeAsync("ApplyFulfillment", _ => """{"orderId":"wired-1","fulfillment":{"shipmentId":"ship-2","amount":{"currency":"NOK","value":100}}}""");
        await api.WaitForOrderAsync("wired-1", o => (long?)o["amounts"]!["captured"] == 500, "both shipments captured");
        (await api.RefundAsync("wired-1", "refund-1", 200)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await api.PostAsync("api/orders/wired-1/cancellation", new JsonObject())).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        await api.WaitForOrderAsync("wired-1", o => (long?)o["amounts"]!["refunded"] == 200 && (long?)o["amounts"]!["cancelled"] == 500, "refunded and the rest released");
        (await api.Http.GetAsync("api/orders?limit=10")).StatusCode.ShouldBe(HttpStatusCode.OK);
        using var callback = new StringContent("""{"payment":{"id":"/psp/vipps/payments/forged","number":1},"transaction":{"id":"/psp/vipps/payments/forged/authorizations/1","number":1}}""", System.Text.Encoding.UTF8, "application/json");
        (await api.Anonymous.PostAsync("api/callbacks/payex?reference=wired-1-1", callback)).StatusCode.ShouldBe(HttpStatusCode.OK, "a callback about an order of another provider is answered and changes nothing");
        // A second order whose customer never answers is polled and given up; a new attempt is refused while it waits.
        await api.StartPaymentAsync("wired-2", 1000);
        (await api.PostAsync("api/orders/wired-2/attempts", new JsonObject { ["attemptId"] = "again-1" })).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        await Eventually.Holds(() => receiver.Delivered.Count(r => r.OrderId == "wired-1") >= 5, "the storefront events delivered by the timer");
        (await api.Http.GetAsync("api/notification-deliveries?status=failed")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await api.Http.PostAsync($"api/notification-deliveries/{endpointId}/evt_none/retry", null)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await api.Http.DeleteAsync($"api/notification-endpoints/{endpointId}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        // The one provider call this life does not make (PayEx aborts an unanswered payment), through its real signature.
        WorkflowAction action = new AbortPayment(IdempotencyKey.For(OrderId.Parse("wired-2"), 1, "abort", 1), PaymentReference.For(OrderId.Parse("wired-2"), 1));
        var abort = System.Text.Json.JsonSerializer.Serialize(new { Provider = PaymentProvider.Vipps, Action = action }, Domain.Serialization.OrderPaymentsJson.Options);
        (await engine.InvokeAsync(OrchestrationNames.AbortPayment, _ => abort)).ShouldBeOfType<string>();

        await Eventually.Holds(() => engine.Invocations.ContainsKey("PurgeFinishedOrders"), "the retention timer ran");
        engine.Invocations.Keys.ShouldBe(FunctionBinding.All.Keys, ignoreOrder: true);
    }
}
