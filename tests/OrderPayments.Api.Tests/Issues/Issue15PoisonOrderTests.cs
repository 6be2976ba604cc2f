using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace OrderPayments.Api.Tests.Issues;

/// <summary>
/// Issue 15: an order the runtime cannot step (its stored state or a signal unreadable) held up every order and was
/// visible nowhere. Now it is set aside, and its fault shows on its status document and in the operator's listing,
/// which answers even when the order's state cannot be read.
/// </summary>
public sealed class Issue15PoisonOrderTests : IAsyncLifetime
{
    private ApiHost _api = null!;

    public async Task InitializeAsync() => _api = await ApiHost.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    private void Sql(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_api.Directory, "orders.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private async Task<JsonObject?> ListedFaultAsync(string orderId) =>
        (await _api.Http.GetFromJsonAsync<JsonObject>("api/orders/faults"))!["items"]!.AsArray()
            .Select(item => item!.AsObject())
            .SingleOrDefault(item => (string?)item["orderId"] == orderId);

    [Fact]
    public async Task Faults_OrderWhoseStateIsUnreadable_IsListedWithItsFaultWhileOthersProgress()
    {
        await _api.StartPaymentAsync("poison");
        // Written as a new version (as another process or release would write it): a committed version's state is never
        // rewritten in place, and this process keeps the states of versions it has committed (StateCache).
        Sql("UPDATE instances SET state = 'not json', version = version + 1 WHERE id = 'poison'");

        // Its next poll (a wake-up due within a second) tries to step it.
        JsonObject? listed = null;
        await Eventually.Holds(async () => (listed = await ListedFaultAsync("poison")) is not null, "the order listed as faulted", TimeSpan.FromSeconds(20));
        var healthy = await _api.StartPaymentAsync("healthy");
        await _api.CustomerAsync((string)healthy["reference"]!, "approve");
        await _api.WaitForStatusAsync("healthy", "Authorized");

        listed!["status"]!.GetValue<string>().ShouldBe("AwaitingCustomer");
        listed["fault"]!["attempts"]!.GetValue<int>().ShouldBeGreaterThanOrEqualTo(1);
        listed["fault"]!["nextRetryAt"]!.GetValue<DateTimeOffset>().ShouldBeGreaterThan(listed["fault"]!["lastFailedAt"]!.GetValue<DateTimeOffset>());
        listed["fault"]!["lastError"]!.GetValue<string>().ShouldStartWith("JsonException: ");
        (await ListedFaultAsync("healthy")).ShouldBeNull();
    }

    [Fact]
    public async Task Get_OrderWithAnUnreadableSignal_ShowsItsFaultInTheDocumentAndTheListing()
    {
        await _api.StartPaymentAsync("garbled");

        Sql("INSERT INTO inbox (instance_id, dedupe_key, input, received_at) VALUES ('garbled', 'garbled', 'not json', 0)");
        var document = await _api.WaitForOrderAsync("garbled", o => o["fault"] is not null, "a fault on the document");
        var page = (await _api.Http.GetFromJsonAsync<JsonObject>("api/orders"))!;

        document["status"]!.GetValue<string>().ShouldBe("AwaitingCustomer");
        document["pendingSignals"]!.GetValue<int>().ShouldBe(1);
        document["fault"]!["attempts"]!.GetValue<int>().ShouldBeGreaterThanOrEqualTo(1);
        page["items"]!.AsArray().Single(o => (string?)o!["orderId"] == "garbled")!["fault"].ShouldNotBeNull();
        (await ListedFaultAsync("garbled")).ShouldNotBeNull();
    }

    [Fact]
    public async Task Faults_NoOrderFaulted_ListsNothingAndRefusesABadLimit()
    {
        await _api.StartPaymentAsync("fine");

        var page = (await _api.Http.GetFromJsonAsync<JsonObject>("api/orders/faults"))!;
        using var bad = await _api.Http.GetAsync("api/orders/faults?limit=0");
        using var anonymous = await _api.Anonymous.GetAsync("api/orders/faults");

        page["items"]!.AsArray().ShouldBeEmpty();
        (await _api.GetOrderAsync("fine")).ContainsKey("fault").ShouldBeFalse();
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        anonymous.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }
}
