using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace OrderPayments.Api.Tests.Issues;

/// <summary>
/// Issue 14, the specifications' limits: a start the provider's specification refuses is answered 400 naming the field
/// and starts nothing; a phone number in a storefront's usual form (E.164 with spaces, dashes, a 00 prefix) is taken
/// and stored as the provider's form, so the same number in two spellings is the same request.
/// </summary>
public sealed class Issue14LimitTests : IAsyncLifetime
{
    private ApiHost _api = null!;

    public async Task InitializeAsync() => _api = await ApiHost.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Theory]
    [InlineData("vipps", 65_000_001)]
    [InlineData("vipps", 99_999_999_999)]
    [InlineData("vipps", 99)]
    [InlineData("payex", 99_999_999_999)]
    public async Task Start_AmountOutsideTheVippsRange_Answers400NamingAmountValueAndStartsNothing(string provider, long value)
    {
        var orderId = $"amount-{provider}-{value}";
        var body = provider == "payex" ? ApiHost.PayExBody(amount: value) : ApiHost.StartBody(value);

        using var response = await _api.PutPaymentAsync(orderId, body);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, await response.Content.ReadAsStringAsync());
        var problem = await ApiHost.ProblemAsync(response);
        problem["type"]!.GetValue<string>().ShouldBe("urn:orderpayments:problem:invalid-request");
        Fields(problem).ShouldBe(["amount.value"]);
        (await _api.Http.GetAsync($"api/orders/{orderId}/payment")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Start_PhoneNumberInItsCommonForms_IsOneRequestSentAsTheMsisdn()
    {
        using var first = await _api.PutPaymentAsync("phone-forms", Push("+47 912 34 567"));
        first.StatusCode.ShouldBe(HttpStatusCode.Created, await first.Content.ReadAsStringAsync());

        foreach (var same in new[] { "4791234567", "+4791234567", "0047 912-34-567", "(+47) 91 23 45 67", "+47.912.34.567" })
        {
            using var again = await _api.PutPaymentAsync("phone-forms", Push(same));
            again.StatusCode.ShouldBe(HttpStatusCode.OK, $"{same}: {await again.Content.ReadAsStringAsync()}");
        }

        using var other = await _api.PutPaymentAsync("phone-forms", Push("+47 912 34 568"));
        other.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var order = await _api.GetOrderAsync("phone-forms");
        order["status"]!.GetValue<string>().ShouldBe("AwaitingCustomer", "Vipps took the number: " + order.ToJsonString());
    }

    [Fact]
    public async Task Start_PayExPhoneNumberWithPlusAndSpaces_ReachesThePayersApp()
    {
        var body = ApiHost.PayExBody(phone: "+47 912 34 567");

        using var response = await _api.PutPaymentAsync("px-phone-forms", body);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        await _api.PayExPayerAsync((await response.Content.ReadFromJsonAsync<JsonObject>())!, "approve");

        await _api.WaitForStatusAsync("px-phone-forms", "Authorized");
    }

    [Theory]
    [InlineData("vipps", "91234567")] // a Norwegian number without its country code
    [InlineData("vipps", "0412345678")] // a national number with its trunk 0
    [InlineData("payex", "4512345678")] // PayEx takes Norwegian numbers only
    public async Task Start_NotAPhoneNumberTheProviderTakes_Answers400NamingPhoneNumber(string provider, string phone)
    {
        var orderId = $"bad-phone-{provider}-{phone.Length}";
        var body = provider == "payex" ? ApiHost.PayExBody(phone) : Push(phone);

        using var response = await _api.PutPaymentAsync(orderId, body);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, await response.Content.ReadAsStringAsync());
        Fields(await ApiHost.ProblemAsync(response)).ShouldBe(["phoneNumber"]);
        (await _api.Http.GetAsync($"api/orders/{orderId}/payment")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Start_PayExDescriptionLongerThan40_Answers400NamingDescription()
    {
        var body = ApiHost.PayExBody();
        body["description"] = new string('d', 41);

        using var response = await _api.PutPaymentAsync("px-long-description", body);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, await response.Content.ReadAsStringAsync());
        Fields(await ApiHost.ProblemAsync(response)).ShouldBe(["description"]);
    }

    [Fact]
    public async Task Start_PlainHttpReturnUrl_Answers400NamingReturnUrl()
    {
        var body = ApiHost.StartBody();
        body["returnUrl"] = "http://shop.example/return";

        using var response = await _api.PutPaymentAsync("http-return", body);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, await response.Content.ReadAsStringAsync());
        Fields(await ApiHost.ProblemAsync(response)).ShouldBe(["returnUrl"]);
    }

    private static JsonObject Push(string phone) => new()
    {
        ["amount"] = ApiHost.Amount(1000),
        ["description"] = "Phone order",
        ["userFlow"] = "PUSH_MESSAGE",
        ["phoneNumber"] = phone,
    };

    private static List<string> Fields(JsonObject problem) =>
        [.. problem["errors"]!.AsArray().Select(e => e!["field"]!.GetValue<string>())];
}
