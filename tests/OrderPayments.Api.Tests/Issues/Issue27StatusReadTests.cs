using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OrderPayments.Application.Http;

namespace OrderPayments.Api.Tests.Issues;

/// <summary>
/// Issue 27: status reads that cost nothing when nothing changed. The status document carries its version as an ETag
/// and <c>If-None-Match</c> is answered 304 with no body; <c>?waitForChange=&lt;version&gt;&amp;timeout=</c> is a long
/// poll that answers when the order's version passes the one given, or at the timeout with the document as it is; a
/// bound on waiting reads answers 503 with <c>Retry-After</c> past it. The API runs on a manual clock (the provider polls
/// set to an hour), so only the test moves an order and only the test's clock ends a wait.
/// </summary>
public sealed class Issue27StatusReadTests
{
    private static readonly DateTimeOffset Start = new(2026, 6, 1, 10, 0, 0, TimeSpan.Zero);

    private static Dictionary<string, string?> Settings(int maxLongPolls = 10) => new()
    {
        ["Workflow:FirstPollDelay"] = "01:00:00",
        ["Workflow:MaxPollInterval"] = "01:00:00",
        ["Workflow:CustomerWindow"] = "02:00:00",
        ["OrderPayments:MaxLongPolls"] = maxLongPolls.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static Task<ApiHost> HostAsync(ManualTimeProvider time, int maxLongPolls = 10) => ApiHost.StartAsync(Settings(maxLongPolls), time: time);

    /// <summary>Starts the order's payment; its version.</summary>
    private static async Task<long> StartOrderAsync(ApiHost api, string orderId) => (await api.StartPaymentAsync(orderId))["version"]!.GetValue<long>();

    private static Task<HttpResponseMessage> GetAsync(ApiHost api, string path, string? ifNoneMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (ifNoneMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        }

        return api.Http.SendAsync(request);
    }

    private static Task WaitingAsync(ApiHost api, int count) =>
        Eventually.Holds(() => api.Get<StatusWaits>().Waiting == count, $"{count} long polls to wait");

    [Fact]
    public async Task Get_AnyOrder_CarriesItsVersionAsETag()
    {
        var time = new ManualTimeProvider(Start);
        await using var api = await HostAsync(time);
        var version = await StartOrderAsync(api, "etag-1");

        using var read = await GetAsync(api, "api/orders/etag-1/payment");

        read.StatusCode.ShouldBe(HttpStatusCode.OK);
        var document = (await read.Content.ReadFromJsonAsync<JsonObject>())!;
        read.Headers.ETag!.ToString().ShouldBe($"\"{document["version"]!.GetValue<long>()}\"");
        document["version"]!.GetValue<long>().ShouldBe(version);
    }

    [Fact]
    public async Task Get_IfNoneMatchTheCurrentETag_Answers304WithNoBody()
    {
        var time = new ManualTimeProvider(Start);
        await using var api = await HostAsync(time);
        await StartOrderAsync(api, "etag-2");
        using var first = await GetAsync(api, "api/orders/etag-2/payment");
        var tag = first.Headers.ETag!.ToString();

        using var again = await GetAsync(api, "api/orders/etag-2/payment", tag);

        again.StatusCode.ShouldBe(HttpStatusCode.NotModified);
        again.Headers.ETag!.ToString().ShouldBe(tag);
        (await again.Content.ReadAsByteArrayAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task Get_IfNoneMatchAnOlderETag_AnswersTheDocument()
    {
        var time = new ManualTimeProvider(Start);
        await using var api = await HostAsync(time);
        var version = await StartOrderAsync(api, "etag-3");

        using var read = await GetAsync(api, "api/orders/etag-3/payment", $"\"{version - 1}\", W/\"{version + 5}\"");

        read.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await read.Content.ReadFromJsonAsync<JsonObject>())!["orderId"]!.GetValue<string>().ShouldBe("etag-3");
    }

    [Fact]
    public async Task LongPoll_VersionAlreadyPassed_AnswersAtOnce()
    {
        var time = new ManualTimeProvider(Start);
        await using var api = await HostAsync(time);
        var version = await StartOrderAsync(api, "poll-1");

        using var read = await GetAsync(api, $"api/orders/poll-1/payment?waitForChange={version - 1}&timeout=30");

        read.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await read.Content.ReadFromJsonAsync<JsonObject>())!["version"]!.GetValue<long>().ShouldBe(version);
        api.Get<StatusWaits>().Waiting.ShouldBe(0);
    }

    [Fact]
    public async Task LongPoll_OrderChanges_AnswersWithTheNewVersionBeforeTheTimeout()
    {
        var time = new ManualTimeProvider(Start);
        await using var api = await HostAsync(time);
        var version = await StartOrderAsync(api, "poll-2");
        var waiting = GetAsync(api, $"api/orders/poll-2/payment?waitForChange={version}&timeout=30");
        await WaitingAsync(api, 1);
        waiting.IsCompleted.ShouldBeFalse();

        using (var cancel = await api.PostAsync("api/orders/poll-2/cancellation", new JsonObject()))
        {
            cancel.IsSuccessStatusCode.ShouldBeTrue();
        }

        using var read = await waiting.WaitAsync(TimeSpan.FromSeconds(30));
        read.StatusCode.ShouldBe(HttpStatusCode.OK);
        var document = (await read.Content.ReadFromJsonAsync<JsonObject>())!;
        document["version"]!.GetValue<long>().ShouldBeGreaterThan(version);
        read.Headers.ETag!.ToString().ShouldBe($"\"{document["version"]!.GetValue<long>()}\"");
        api.Get<StatusWaits>().Waiting.ShouldBe(0);
    }

    [Fact]
    public async Task LongPoll_NothingChanges_AnswersAtTheTimeoutWithTheSameDocument()
    {
        var time = new ManualTimeProvider(Start);
        await using var api = await HostAsync(time);
        var version = await StartOrderAsync(api, "poll-3");
        var waiting = GetAsync(api, $"api/orders/poll-3/payment?waitForChange={version}&timeout=5");
        await WaitingAsync(api, 1);

        time.Advance(TimeSpan.FromSeconds(4));
        await Task.Yield();
        waiting.IsCompleted.ShouldBeFalse("4 of its 5 seconds have passed");
        time.Advance(TimeSpan.FromSeconds(1));

        using var read = await waiting.WaitAsync(TimeSpan.FromSeconds(30));
        read.StatusCode.ShouldBe(HttpStatusCode.OK);
        var document = (await read.Content.ReadFromJsonAsync<JsonObject>())!;
        document["version"]!.GetValue<long>().ShouldBe(version);
        document["status"]!.GetValue<string>().ShouldBe("AwaitingCustomer");
        read.Headers.ETag!.ToString().ShouldBe($"\"{version}\"");
    }

    [Fact]
    public async Task LongPoll_TimeoutWithIfNoneMatchStillCurrent_Answers304()
    {
        var time = new ManualTimeProvider(Start);
        await using var api = await HostAsync(time);
        var version = await StartOrderAsync(api, "poll-4");
        var waiting = GetAsync(api, $"api/orders/poll-4/payment?waitForChange={version}&timeout=1", $"\"{version}\"");
        await WaitingAsync(api, 1);

        time.Advance(TimeSpan.FromSeconds(1));

        using var read = await waiting.WaitAsync(TimeSpan.FromSeconds(30));
        read.StatusCode.ShouldBe(HttpStatusCode.NotModified);
        (await read.Content.ReadAsByteArrayAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task LongPoll_BoundReached_Answers503WithRetryAfterAndAPlainReadStillAnswers()
    {
        var time = new ManualTimeProvider(Start);
        await using var api = await HostAsync(time, 1);
        var version = await StartOrderAsync(api, "poll-5");
        var first = GetAsync(api, $"api/orders/poll-5/payment?waitForChange={version}&timeout=10");
        await WaitingAsync(api, 1);

        using var refused = await GetAsync(api, $"api/orders/poll-5/payment?waitForChange={version}&timeout=10");
        using var plain = await GetAsync(api, "api/orders/poll-5/payment");
        using var passed = await GetAsync(api, $"api/orders/poll-5/payment?waitForChange={version - 1}");

        refused.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        refused.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(1));
        (await ApiHost.ProblemAsync(refused))["type"]!.GetValue<string>().ShouldBe("urn:orderpayments:problem:too-many-waiting");
        plain.StatusCode.ShouldBe(HttpStatusCode.OK);
        passed.StatusCode.ShouldBe(HttpStatusCode.OK, "a read that need not wait takes no place");
        first.IsCompleted.ShouldBeFalse();

        time.Advance(TimeSpan.FromSeconds(10));
        using var ended = await first.WaitAsync(TimeSpan.FromSeconds(30));
        ended.StatusCode.ShouldBe(HttpStatusCode.OK);
        api.Get<StatusWaits>().Waiting.ShouldBe(0, "the place is given back");
    }

    [Theory]
    [InlineData("waitForChange=abc", "waitForChange")]
    [InlineData("waitForChange=-1", "waitForChange")]
    [InlineData("waitForChange=1&timeout=31", "timeout")]
    [InlineData("waitForChange=1&timeout=0", "timeout")]
    [InlineData("timeout=5", "timeout")]
    public async Task LongPoll_BadParameter_Answers400NamingIt(string query, string field)
    {
        var time = new ManualTimeProvider(Start);
        await using var api = await HostAsync(time);
        await StartOrderAsync(api, "poll-6");

        using var read = await GetAsync(api, $"api/orders/poll-6/payment?{query}");

        read.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var problem = await ApiHost.ProblemAsync(read);
        problem["errors"]!.AsArray().Select(e => (string)e!["field"]!).ShouldContain(field);
        api.Get<StatusWaits>().Waiting.ShouldBe(0);
    }
}
