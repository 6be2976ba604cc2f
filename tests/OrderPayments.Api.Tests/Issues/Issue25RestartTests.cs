using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace OrderPayments.Api.Tests.Issues;

/// <summary>
/// Issue 25: the embedded simulator held its payments in memory, so after a restart a shipment was accepted (202) and
/// its capture met the simulator's 404 (the order needed attention). Now it keeps them beside the store: an API
/// stopped mid-order and started again on the same folder and port (as <c>dotnet run</c> does) carries every order on.
/// </summary>
public sealed class Issue25RestartTests : IDisposable
{
    private readonly string _directory = ApiHost.TemporaryDirectory();

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Restart_AfterAuthorizationAndAPartialShipment_TheRestIsCapturedAndRefundable()
    {
        Dictionary<string, string?> sameAddress;
        await using (var first = await ApiHost.StartAsync(directory: _directory))
        {
            sameAddress = SameAddress(first);
            var started = await first.StartPaymentAsync("restart-vipps");
            await first.CustomerAsync((string)started["reference"]!, "approve");
            await first.WaitForStatusAsync("restart-vipps", "Authorized");
            (await first.FulfillAsync("restart-vipps", "ship-1", 400)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
            await first.WaitForOrderAsync("restart-vipps", o => (long?)o["amounts"]!["captured"] == 400, "the first shipment is captured");
        }

        await using var second = await ApiHost.StartAsync(sameAddress, directory: _directory);
        (await second.FulfillAsync("restart-vipps", "ship-2")).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        await second.WaitForStatusAsync("restart-vipps", "Captured");
        (await second.RefundAsync("restart-vipps", "refund-1", 100)).StatusCode.ShouldBe(HttpStatusCode.Accepted);

        var order = await second.WaitForOrderAsync("restart-vipps", o => (long?)o["amounts"]!["refunded"] == 100, "the refund is paid");
        order["needsAttention"]!.GetValue<bool>().ShouldBeFalse(order.ToJsonString());
        order["amounts"]!["captured"]!.GetValue<long>().ShouldBe(1000);
        order["shipments"]!.AsArray().Select(s => (string?)s!["outcome"]).ShouldBe(["Succeeded", "Succeeded"]);
        var stats = await second.StatsAsync();
        stats["appliedPerIdempotencyKey"]!.AsObject().Count(k => k.Key.Contains("capture", StringComparison.Ordinal)).ShouldBe(1, "only the second capture ran in this process");
    }

    [Fact]
    public async Task Restart_WhileTheCustomerDecides_TheApprovalAfterwardsIsSeen()
    {
        Dictionary<string, string?> sameAddress;
        string reference;
        await using (var first = await ApiHost.StartAsync(directory: _directory))
        {
            sameAddress = SameAddress(first);
            reference = (string)(await first.StartPaymentAsync("restart-waiting"))["reference"]!;
        }

        await using var second = await ApiHost.StartAsync(sameAddress, directory: _directory);
        await second.CustomerAsync(reference, "approve");

        var order = await second.WaitForStatusAsync("restart-waiting", "Authorized");
        order["amounts"]!["authorized"]!.GetValue<long>().ShouldBe(1000);
    }

    [Fact]
    public async Task Restart_AfterAPayExAuthorization_TheShipmentIsCaptured()
    {
        Dictionary<string, string?> sameAddress;
        await using (var first = await ApiHost.StartAsync(directory: _directory))
        {
            sameAddress = SameAddress(first);
            var started = await first.StartPayExAsync("restart-payex");
            await first.PayExPayerAsync(started, "approve");
            await first.WaitForStatusAsync("restart-payex", "Authorized");
        }

        await using var second = await ApiHost.StartAsync(sameAddress, directory: _directory);
        (await second.FulfillAsync("restart-payex", "ship-1")).StatusCode.ShouldBe(HttpStatusCode.Accepted);

        var order = await second.WaitForStatusAsync("restart-payex", "Captured");
        order["needsAttention"]!.GetValue<bool>().ShouldBeFalse(order.ToJsonString());
        order["amounts"]!["captured"]!.GetValue<long>().ShouldBe(1000);
        (await second.Anonymous.GetFromJsonAsync<JsonObject>("simulator/payex/control/stats"))!["calls"]!["captures"]!.GetValue<int>().ShouldBe(1);
    }

    /// <summary>The first host's address for the second, as a restarted <c>dotnet run</c> listens where it did.</summary>
    private static Dictionary<string, string?> SameAddress(ApiHost first) => new() { ["urls"] = first.Address.ToString().TrimEnd('/') };
}
