using System.Text.RegularExpressions;
using OrderPayments.Application.Storefront;

namespace OrderPayments.Application.Tests.Storefront;

/// <summary>The Standard Webhooks scheme, checked against the specification's own test vector.</summary>
public sealed class StandardWebhooksTests
{
    // The specification's vector (standard-webhooks/standard-webhooks, the libraries' shared sign test).
    private const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string Id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const string Body = "{\"test\": 2432232314}";
    private const string Expected = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeSeconds(1614265330);

    [Fact]
    public void Sign_SpecificationVector_GivesTheSpecifiedSignature() =>
        StandardWebhooks.Sign(Secret, Id, At, Body).ShouldBe(Expected);

    [Fact]
    public void Sign_SecretWithoutPrefix_GivesTheSameSignature() =>
        StandardWebhooks.Sign("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", Id, At, Body).ShouldBe(Expected);

    [Fact]
    public void Verify_SpecificationVectorAtItsTime_IsAuthentic() =>
        StandardWebhooks.Verify(Secret, Id, "1614265330", Expected, Body, At.AddSeconds(30), TimeSpan.FromMinutes(5)).ShouldBeTrue();

    [Fact]
    public void Verify_OneOfSeveralSignatures_IsAuthentic() =>
        StandardWebhooks.Verify(Secret, Id, "1614265330", "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= " + Expected, Body, At, TimeSpan.FromMinutes(5)).ShouldBeTrue();

    [Theory]
    [InlineData("{\"test\": 2432232315}", "1614265330", 0)]
    [InlineData(Body, "1614265331", 0)]
    [InlineData(Body, "1614265330", 301)]
    [InlineData(Body, "1614265330", -301)]
    [InlineData(Body, "not-a-time", 0)]
    public void Verify_TamperedOrOutsideTheTolerance_IsRefused(string body, string timestamp, int secondsLater) =>
        StandardWebhooks.Verify(Secret, Id, timestamp, Expected, body, At.AddSeconds(secondsLater), TimeSpan.FromMinutes(5)).ShouldBeFalse();

    [Fact]
    public void NewSecret_IsAValidSecretAndNeverTheSameTwice()
    {
        var first = StandardWebhooks.NewSecret();

        StandardWebhooks.IsValidSecret(first).ShouldBeTrue();
        first.ShouldStartWith("whsec_");
        StandardWebhooks.NewSecret().ShouldNotBe(first);
    }

    [Fact]
    public void Verify_TheApiDocsExampleDelivery_IsAuthenticWithItsExampleSecret()
    {
        var docs = File.ReadAllText(RepositoryFiles.Path(Path.Combine("docs", "api.md")));
        var secret = Regex.Match(docs, "example secret `(whsec_[^`]+)`").Groups[1].Value;
        var delivery = Regex.Match(docs, "webhook-id: (\\S+)\nwebhook-timestamp: (\\d+)\nwebhook-signature: (\\S+)\ncontent-type: application/json\n\n(\\{.*\\})\n");
        delivery.Success.ShouldBeTrue("docs/api.md shows one delivery");
        var at = DateTimeOffset.FromUnixTimeSeconds(long.Parse(delivery.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));

        StandardWebhooks.Verify(secret, delivery.Groups[1].Value, delivery.Groups[2].Value, delivery.Groups[3].Value, delivery.Groups[4].Value, at, TimeSpan.FromMinutes(5)).ShouldBeTrue();
        StandardWebhooks.Verify(secret, delivery.Groups[1].Value, delivery.Groups[2].Value, delivery.Groups[3].Value, delivery.Groups[4].Value, at.AddMinutes(6), TimeSpan.FromMinutes(5)).ShouldBeFalse("an old delivery is a replay");
    }

    [Theory]
    [InlineData("whsec_")]
    [InlineData("whsec_not base64!")]
    [InlineData("whsec_c2hvcnQ=")]
    public void IsValidSecret_NoOrShortKey_IsFalse(string secret) => StandardWebhooks.IsValidSecret(secret).ShouldBeFalse();
}
