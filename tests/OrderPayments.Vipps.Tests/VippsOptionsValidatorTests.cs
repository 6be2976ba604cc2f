namespace OrderPayments.Vipps.Tests;

public sealed class VippsOptionsValidatorTests
{
    private static VippsOptions Valid() => new()
    {
        ClientId = "id",
        ClientSecret = "secret",
        SubscriptionKey = "key",
        MerchantSerialNumber = "123456",
    };

    private static IEnumerable<string> Failures(VippsOptions options) =>
        new VippsOptionsValidator().Validate(null, options).Failures ?? [];

    [Fact]
    public void Validate_CompleteSettings_Succeeds() =>
        new VippsOptionsValidator().Validate(null, Valid()).Succeeded.ShouldBeTrue();

    [Fact]
    public void Validate_MissingCredentials_NamesEachSetting()
    {
        var failures = Failures(new VippsOptions { MerchantSerialNumber = "123456" });

        failures.ShouldBe(["Vipps:ClientId is required.", "Vipps:ClientSecret is required.", "Vipps:SubscriptionKey is required."]);
    }

    [Theory]
    [InlineData("123")]
    [InlineData("12345678901")]
    [InlineData("12a456")]
    public void Validate_BadMerchantSerialNumber_IsNamed(string msn) =>
        Failures(new VippsOptions { ClientId = "id", ClientSecret = "s", SubscriptionKey = "k", MerchantSerialNumber = msn })
            .ShouldHaveSingleItem().ShouldStartWith("Vipps:MerchantSerialNumber");

    [Fact]
    public void Validate_SystemHeaderLongerThan30_IsNamed()
    {
        var options = Valid();
        options.PluginName = new string('p', 31);

        Failures(options).ShouldHaveSingleItem().ShouldBe("Vipps:PluginName must be 1 to 30 characters.");
    }

    [Fact]
    public void Validate_AttemptTimeoutAboveTheTotal_IsNamed()
    {
        var options = Valid();
        options.AttemptTimeout = TimeSpan.FromMinutes(2);

        Failures(options).ShouldHaveSingleItem().ShouldStartWith("Vipps:AttemptTimeout");
    }

    [Fact]
    public void RateLimits_Default_AreTheLimitsVippsDocumentsPerReference()
    {
        var limits = new VippsOptions().RateLimits;

        limits.Enabled.ShouldBeTrue();
        limits.MutationsPerMinute.ShouldBe(5);
        limits.QueriesPerMinute.ShouldBe(120);
    }

    [Theory]
    [InlineData(-1, 120, "Vipps:RateLimits:MutationsPerMinute must be 0 (no limit) to 100000.")]
    [InlineData(5, 100_001, "Vipps:RateLimits:QueriesPerMinute must be 0 (no limit) to 100000.")]
    public void Validate_RateLimitOutOfRange_IsNamed(int mutations, int queries, string failure)
    {
        var options = Valid();
        options.RateLimits.MutationsPerMinute = mutations;
        options.RateLimits.QueriesPerMinute = queries;

        Failures(options).ShouldHaveSingleItem().ShouldBe(failure);
    }

    [Fact]
    public void Validate_NoWebhookClockSkew_IsNamed()
    {
        var options = Valid();
        options.WebhookMaxClockSkew = TimeSpan.Zero;

        Failures(options).ShouldHaveSingleItem().ShouldBe("Vipps:WebhookMaxClockSkew must be positive.");
    }

    [Theory]
    [InlineData("https://apitest.vipps.no", "http://shop.example/api/webhooks/vipps")]
    [InlineData("https://api.vipps.no", "ftp://shop.example/api/webhooks/vipps")]
    [InlineData("http://127.0.0.1:5080/simulator/vipps", "ftp://127.0.0.1:5000/api/webhooks/vipps")]
    public void Issue14_Validate_WebhookUrlVippsCannotDeliverTo_IsNamed(string baseUrl, string webhookUrl)
    {
        var options = Valid();
        options.BaseUrl = new Uri(baseUrl);
        options.WebhookUrl = new Uri(webhookUrl);

        Failures(options).ShouldHaveSingleItem().ShouldStartWith("Vipps:WebhookUrl");
        options.WebhookUrl = new Uri("https://shop.example/api/webhooks/vipps");
        Failures(options).ShouldBeEmpty();
    }

    [Fact]
    public void Validate_Failures_NeverContainTheSecrets()
    {
        var options = Valid();
        options.MerchantSerialNumber = "x";

        string.Join(" ", Failures(options)).ShouldNotContain("secret");
    }

    [Fact]
    public void AddVipps_MissingSettings_FailsWhenTheOptionsAreResolved()
    {
        using var host = new VippsTestHost(new() { ["Vipps:ClientId"] = "" });

        Should.Throw<Microsoft.Extensions.Options.OptionsValidationException>(() => host.Get<Microsoft.Extensions.Options.IOptions<VippsOptions>>().Value)
            .Message.ShouldContain("Vipps:ClientId is required.");
    }
}
