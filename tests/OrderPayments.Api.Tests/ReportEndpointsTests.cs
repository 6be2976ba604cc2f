using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace OrderPayments.Api.Tests;

/// <summary>
/// The operator reports over HTTP (<c>/api/reports/orders</c>, <c>/totals</c>, <c>/hourly</c>): operators only, every bad
/// parameter a 400 naming it, and answers computed over every matching order. The API runs on a manual clock, so the
/// hours are known.
/// </summary>
public sealed class ReportEndpointsTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 5, 1, 10, 30, 0, TimeSpan.Zero);
    private static readonly string[] Routes = ["api/reports/orders", "api/reports/totals", "api/reports/hourly"];

    private ApiHost _api = null!;

    public async Task InitializeAsync() => _api = await ApiHost.StartAsync(
        new() { ["Workflow:FirstPollDelay"] = "01:00:00", ["Workflow:MaxPollInterval"] = "01:00:00" },
        time: new ManualTimeProvider(Now));

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Theory]
    [InlineData("dev-storefront-key")]
    [InlineData("dev-fulfillment-key")]
    public async Task Reports_KeyOfAnotherRole_Answer403NamingTheOperatorRole(string key)
    {
        foreach (var route in Routes)
        {
            using var response = await GetAsync(route, key);

            response.StatusCode.ShouldBe(HttpStatusCode.Forbidden, route);
            ((string?)(await ApiHost.ProblemAsync(response))["detail"]).ShouldEndWith("allowed: operator.");
        }
    }

    [Fact]
    public async Task Reports_NoKeyOrAWrongKey_Answer401WithDifferentDetails()
    {
        using var missing = await GetAsync("api/reports/orders", null);
        using var wrong = await GetAsync("api/reports/orders", "not-a-key-of-this-api");

        missing.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        wrong.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        ((string?)(await ApiHost.ProblemAsync(missing))["detail"]).ShouldStartWith("No API key was sent");
        ((string?)(await ApiHost.ProblemAsync(wrong))["detail"]).ShouldStartWith("The API key in the X-Api-Key header is not a key of this API");
    }

    [Theory]
    [InlineData("api/reports/orders?q=order_1", "q")]
    [InlineData("api/reports/orders?q=" + "a123456789a123456789a123456789a123456789a123456789a123456789a1234", "q")]
    [InlineData("api/reports/orders?status=Paid", "status")]
    [InlineData("api/reports/orders?needsAttention=yes", "needsAttention")]
    [InlineData("api/reports/orders?from=2026-05-01", "from")]
    [InlineData("api/reports/orders?to=2026-05-01T00:00:00", "to")]
    [InlineData("api/reports/orders?from=2026-05-02T00:00:00Z&to=2026-05-01T00:00:00%2B02:00", "to")]
    [InlineData("api/reports/orders?after=not-a-cursor", "after")]
    [InlineData("api/reports/orders?limit=201", "limit")]
    [InlineData("api/reports/totals?status=3", "status")]
    [InlineData("api/reports/totals?from=yesterday", "from")]
    [InlineData("api/reports/hourly?hours=0", "hours")]
    [InlineData("api/reports/hourly?hours=169", "hours")]
    [InlineData("api/reports/hourly?hours=24h", "hours")]
    public async Task Reports_BadParameter_Answer400NamingIt(string path, string field)
    {
        using var response = await _api.Http.GetAsync(path);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var problem = await ApiHost.ProblemAsync(response);
        ((string?)problem["type"]).ShouldBe("urn:orderpayments:problem:invalid-request");
        problem["errors"]!.AsArray().Select(e => (string?)e!["field"]).ShouldBe([field]);
    }

    [Fact]
    public async Task ListOrders_SearchAndStatus_EveryMatchingOrderAcrossPages()
    {
        foreach (var id in new[] { "shop-1", "shop-2", "shop-3", "other-1" })
        {
            await _api.StartPaymentAsync(id);
        }

        await AuthorizeAsync("shop-2");
        await AuthorizeAsync("other-1");

        var awaiting = await ListAllAsync("q=SHOP&status=AwaitingCustomer");
        var shops = await ListAllAsync("q=shop");
        var authorized = await ListAllAsync("status=authorized");

        awaiting.ShouldBe(["shop-3", "shop-1"]);
        shops.ShouldBe(["shop-3", "shop-2", "shop-1"]);
        authorized.ShouldBe(["shop-2", "other-1"]);
    }

    [Fact]
    public async Task ListOrders_StartedInARange_OnlyThoseAndEveryFieldOfTheSummary()
    {
        await _api.StartPaymentAsync("range-1", 2_500);

        var inside = (await _api.Http.GetFromJsonAsync<JsonObject>("api/reports/orders?from=2026-05-01T12:00:00%2B02:00&to=2026-05-01T10:31:00Z"))!;
        var after = (await _api.Http.GetFromJsonAsync<JsonObject>("api/reports/orders?from=2026-05-01T10:30:00.001Z"))!;

        var summary = inside["items"]!.AsArray().ShouldHaveSingleItem()!.AsObject();
        summary.Select(p => p.Key).ShouldBe(
            ["orderId", "reference", "provider", "status", "needsAttention", "currency", "amount", "authorized", "captured", "refunded", "startedAt"]);
        ((string?)summary["orderId"], (string?)summary["status"], (long?)summary["amount"], (string?)summary["currency"]).ShouldBe(("range-1", "AwaitingCustomer", 2_500L, "NOK"));
        DateTimeOffset.Parse((string)summary["startedAt"]!, System.Globalization.CultureInfo.InvariantCulture).ShouldBe(Now);
        inside.ContainsKey("next").ShouldBeFalse("the last page has no next (an answer never writes null)");
        after["items"]!.AsArray().ShouldBeEmpty();
    }

    [Fact]
    public async Task Totals_Filtered_SumsEveryMatchingOrderNotOnlyAPage()
    {
        for (var i = 1; i <= 3; i++)
        {
            await _api.StartPaymentAsync($"sum-{i}", i * 1_000);
        }

        await AuthorizeAsync("sum-3");
        await CaptureAsync("sum-3", 1_200);
        var page = (await _api.Http.GetFromJsonAsync<JsonObject>("api/reports/orders?q=sum&limit=1"))!;

        var all = (await _api.Http.GetFromJsonAsync<JsonObject>("api/reports/totals?q=sum"))!;
        var authorized = (await _api.Http.GetFromJsonAsync<JsonObject>("api/reports/totals?q=sum&status=Authorized"))!;
        var none = (await _api.Http.GetFromJsonAsync<JsonObject>("api/reports/totals?needsAttention=true"))!;

        page["items"]!.AsArray().Count.ShouldBe(1);
        all.ToJsonString().ShouldBe("""{"orders":3,"currencies":[{"currency":"NOK","orders":3,"amount":6000,"authorized":3000,"captured":1200,"refunded":0}]}""");
        authorized.ToJsonString().ShouldBe("""{"orders":1,"currencies":[{"currency":"NOK","orders":1,"amount":3000,"authorized":3000,"captured":1200,"refunded":0}]}""");
        none.ToJsonString().ShouldBe("""{"orders":0,"currencies":[]}""");
    }

    [Fact]
    public async Task Hourly_ByDefault_TheLast24HoursEndingWithTheCurrentOne()
    {
        await _api.StartPaymentAsync("hour-1", 5_000);
        await AuthorizeAsync("hour-1");
        await CaptureAsync("hour-1", 700);

        var day = (await _api.Http.GetFromJsonAsync<JsonObject>("api/reports/hourly"))!;
        var three = (await _api.Http.GetFromJsonAsync<JsonObject>("api/reports/hourly?hours=3"))!;

        var hours = day["hours"]!.AsArray();
        hours.Count.ShouldBe(24);
        Time(day["from"]).ShouldBe(new DateTimeOffset(2026, 4, 30, 11, 0, 0, TimeSpan.Zero));
        Time(day["to"]).ShouldBe(new DateTimeOffset(2026, 5, 1, 11, 0, 0, TimeSpan.Zero));
        Time(hours[^1]!["start"]).ShouldBe(new DateTimeOffset(2026, 5, 1, 10, 0, 0, TimeSpan.Zero));
        hours.Sum(h => (long)h!["orders"]!).ShouldBe(1);
        three["hours"]!.AsArray().Select(h => h!["captured"]!.ToJsonString()).ShouldBe(["[]", "[]", """[{"currency":"NOK","value":700}]"""]);
        three["hours"]!.AsArray().Select(h => (long)h!["orders"]!).ShouldBe([0L, 0L, 1L]);
    }

    private static DateTimeOffset Time(JsonNode? node) => DateTimeOffset.Parse((string)node!, System.Globalization.CultureInfo.InvariantCulture);

    private async Task<HttpResponseMessage> GetAsync(string path, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }

        return await _api.Anonymous.SendAsync(request);
    }

    private async Task AuthorizeAsync(string orderId)
    {
        var reference = (string)(await _api.GetOrderAsync(orderId))["reference"]!;
        await _api.CustomerAsync(reference, "approve");
        await _api.WaitForStatusAsync(orderId, "Authorized");
    }

    private async Task CaptureAsync(string orderId, long amount)
    {
        using (var ship = await _api.FulfillAsync(orderId, "ship-1", amount))
        {
            ship.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        }

        await _api.WaitForOrderAsync(orderId, o => (long?)o["amounts"]!["captured"] == amount, "captured");
    }

    /// <summary>Every order of the query, one per page (so the cursor is followed), newest first.</summary>
    private async Task<List<string>> ListAllAsync(string query)
    {
        var ids = new List<string>();
        var path = $"api/reports/orders?{query}&limit=1";
        for (var pages = 0; pages < 50; pages++)
        {
            var page = (await _api.Http.GetFromJsonAsync<JsonObject>(path))!;
            ids.AddRange(page["items"]!.AsArray().Select(o => (string)o!["orderId"]!));
            if ((string?)page["next"] is not { } next)
            {
                return ids;
            }

            path = $"api/reports/orders?{query}&limit=1&after={Uri.EscapeDataString(next)}";
        }

        throw new InvalidOperationException("The listing did not end within 50 pages.");
    }
}
