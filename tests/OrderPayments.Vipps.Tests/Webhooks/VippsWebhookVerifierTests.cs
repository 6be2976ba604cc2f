using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using OrderPayments.Domain;
using OrderPayments.Vipps.Webhooks;

namespace OrderPayments.Vipps.Tests.Webhooks;

/// <summary>
/// Known-answer tests with the vectors in shared/vipps/NOTES.md §10.4, each checked on a clock set to its own signing date
/// (a signature alone does not make a delivery current).
/// </summary>
public sealed class VippsWebhookVerifierTests
{
    private const string Secret = "A0+AeKBRG2KRGvnNwJpQlb6IJFk48CKXCIcrLoHncVJKDILsQSxS6NWCccwWm6r6FhGKhiHTBsG2wo/xU6FY/A==";

    // The official vector (Webhooks API request-authentication guide).
    private static readonly Uri OfficialUrl = new("https://webhook.site/e2cee29b-012e-4f1d-8ef4-e95fd74a7a63");
    private static readonly byte[] OfficialBody = Encoding.UTF8.GetBytes("""{"some-unique-content":"ee6e441b-cc4a-46f8-895d-a5af79bcc233/hello-world"}""");
    private const string OfficialDate = "Thu, 30 Mar 2023 08:38:32 GMT";
    private const string OfficialHash = "lNlsp1XA03N34HrQsVzPgJKtC+r7l/RBF4V3JQUWMj4=";
    private const string OfficialAuthorization = "HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=agAiSyogQbDHpeucoNwYz+yAr5nJ+v+zasdkSbqzv+U=";

    // The derived vector: a realistic ePayment event, a registered URL with a path and a query.
    private static readonly Uri DerivedUrl = new("https://example.com/hooks/vipps?env=test");
    private static readonly byte[] DerivedBody = Encoding.UTF8.GetBytes("""{"msn":"123456","reference":"acme-shop-123-order123abc","pspReference":"dd8e0a8e-2b26-40ed-98f1-1d5832fc129f","name":"AUTHORIZED","amount":{"currency":"NOK","value":49900},"timestamp":"2024-11-19T12:00:00.000Z","idempotencyKey":"7c8b81e7-b08b-46e4-9729-191cb801c132","success":true}""");
    private const string DerivedDate = "Tue, 19 Nov 2024 12:00:00 GMT";
    private const string DerivedHash = "3tQ08cnOzZbLWdY8B/QoZhunx1O1yA4TR1KT8gTrGZY=";
    private const string DerivedAuthorization = "HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=6rDxj55q8wb8YEMWrdTxK7/P2ifWMZHnkEUkGk1LefA=";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    [Fact]
    public void Verify_OfficialVector_IsValid() =>
        Official().Verify(OfficialBody, OfficialDate, OfficialHash, OfficialAuthorization)
            .ShouldBe(WebhookVerificationResult.Valid);

    [Theory]
    [InlineData(-299)]
    [InlineData(300)]
    public void Verify_OfficialVectorWithinTheSkew_IsValid(int seconds) =>
        new VippsWebhookVerifier(OfficialUrl, Secret, At(OfficialDate, TimeSpan.FromSeconds(seconds))).Verify(OfficialBody, OfficialDate, OfficialHash, OfficialAuthorization)
            .ShouldBe(WebhookVerificationResult.Valid);

    [Theory]
    [InlineData(-301)]
    [InlineData(301)]
    [InlineData(86_400 * 365 * 3)]
    public void Verify_OfficialVectorReplayedOutsideTheSkew_IsNotCurrent(int seconds) =>
        new VippsWebhookVerifier(OfficialUrl, Secret, At(OfficialDate, TimeSpan.FromSeconds(seconds))).Verify(OfficialBody, OfficialDate, OfficialHash, OfficialAuthorization)
            .ShouldBe(WebhookVerificationResult.DateNotCurrent);

    [Fact]
    public void Verify_AWiderSkew_TakesAnOlderDelivery() =>
        new VippsWebhookVerifier(OfficialUrl, Secret, At(OfficialDate, TimeSpan.FromHours(1)), TimeSpan.FromHours(2)).Verify(OfficialBody, OfficialDate, OfficialHash, OfficialAuthorization)
            .ShouldBe(WebhookVerificationResult.Valid);

    [Fact]
    public void Constructor_NoSkew_IsRefused() =>
        Should.Throw<ArgumentOutOfRangeException>(() => new VippsWebhookVerifier(OfficialUrl, Secret, TimeProvider.System, TimeSpan.Zero));

    [Fact]
    public void Verify_DerivedVectorWithPathAndQuery_IsValid() =>
        Derived().Verify(DerivedBody, DerivedDate, DerivedHash, DerivedAuthorization)
            .ShouldBe(WebhookVerificationResult.Valid);

    [Fact]
    public void VerifyAndParse_DerivedVector_ReadsTheEvent()
    {
        var (result, payload) = Derived().VerifyAndParse(DerivedBody, DerivedDate, DerivedHash, DerivedAuthorization);

        result.ShouldBe(WebhookVerificationResult.Valid);
        payload!.Name.ShouldBe("AUTHORIZED");
        payload.Reference.ShouldBe("acme-shop-123-order123abc");
        payload.Amount.ShouldBe(new Money(49900, Currency.NOK));
        payload.Success.ShouldBeTrue();
    }

    [Fact]
    public void Verify_TamperedBody_IsRefusedOnTheContentHash()
    {
        var tampered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(DerivedBody).Replace("49900", "99", StringComparison.Ordinal));

        Derived().Verify(tampered, DerivedDate, DerivedHash, DerivedAuthorization)
            .ShouldBe(WebhookVerificationResult.ContentHashMismatch);
    }

    [Fact]
    public void Verify_ReserializedBody_IsRefused()
    {
        var reserialized = JsonSerializer.SerializeToUtf8Bytes(JsonDocument.Parse(DerivedBody).RootElement, Indented);

        Derived().Verify(reserialized, DerivedDate, DerivedHash, DerivedAuthorization)
            .ShouldBe(WebhookVerificationResult.ContentHashMismatch);
    }

    [Fact]
    public void Verify_HashAndSignatureForgedTogether_IsRefusedOnTheSignature()
    {
        var forged = Encoding.UTF8.GetBytes("{\"name\":\"AUTHORIZED\"}");
        var forgedHash = Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(forged));

        Derived().Verify(forged, DerivedDate, forgedHash, DerivedAuthorization)
            .ShouldBe(WebhookVerificationResult.SignatureMismatch);
    }

    [Theory]
    [InlineData("https://proxy.internal/e2cee29b-012e-4f1d-8ef4-e95fd74a7a63")]
    [InlineData("https://webhook.site/another-path")]
    [InlineData("https://webhook.site/e2cee29b-012e-4f1d-8ef4-e95fd74a7a63?x=1")]
    public void Verify_AnotherRegisteredHostPathOrQuery_IsRefused(string url) =>
        new VippsWebhookVerifier(new Uri(url), Secret, At(OfficialDate)).Verify(OfficialBody, OfficialDate, OfficialHash, OfficialAuthorization)
            .ShouldBe(WebhookVerificationResult.SignatureMismatch);

    [Fact]
    public void Verify_WrongSecret_IsRefused() =>
        new VippsWebhookVerifier(OfficialUrl, Secret.Replace('A', 'B'), At(OfficialDate)).Verify(OfficialBody, OfficialDate, OfficialHash, OfficialAuthorization)
            .ShouldBe(WebhookVerificationResult.SignatureMismatch);

    [Fact]
    public void Verify_SignatureMadeWithTheBase64DecodedSecret_IsRefused() =>
        Official().Verify(
                OfficialBody,
                OfficialDate,
                OfficialHash,
                "HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=T3+NXHMmhNVEjW5PeJ4Gql70nf0MOXCAY9CoZDxuVQw=")
            .ShouldBe(WebhookVerificationResult.SignatureMismatch);

    [Fact]
    public void Verify_AnotherDate_IsRefused() =>
        Official().Verify(OfficialBody, "Thu, 30 Mar 2023 08:38:33 GMT", OfficialHash, OfficialAuthorization)
            .ShouldBe(WebhookVerificationResult.SignatureMismatch);

    [Theory]
    [InlineData(null, OfficialHash, OfficialAuthorization)]
    [InlineData(OfficialDate, null, OfficialAuthorization)]
    [InlineData(OfficialDate, OfficialHash, null)]
    [InlineData(OfficialDate, OfficialHash, "")]
    public void Verify_MissingHeader_IsRefused(string? date, string? hash, string? authorization) =>
        Official().Verify(OfficialBody, date, hash, authorization)
            .ShouldBe(WebhookVerificationResult.MissingHeaders);

    [Theory]
    [InlineData("Bearer agAiSyogQbDHpeucoNwYz+yAr5nJ+v+zasdkSbqzv+U=")]
    [InlineData("HMAC-SHA256 Signature=agAiSyogQbDHpeucoNwYz+yAr5nJ+v+zasdkSbqzv+U=")]
    [InlineData("HMAC-SHA256 SignedHeaders=host&Signature=agAiSyogQbDHpeucoNwYz+yAr5nJ+v+zasdkSbqzv+U=")]
    public void Verify_MalformedAuthorization_IsRefused(string authorization) =>
        Official().Verify(OfficialBody, OfficialDate, OfficialHash, authorization)
            .ShouldBe(WebhookVerificationResult.MalformedAuthorization);

    [Fact]
    public void VerifyAndParse_Refused_DoesNotParseTheBody()
    {
        var notJson = Encoding.UTF8.GetBytes("not json at all");

        var (result, payload) = Official().VerifyAndParse(notJson, OfficialDate, OfficialHash, OfficialAuthorization);

        result.ShouldBe(WebhookVerificationResult.ContentHashMismatch);
        payload.ShouldBeNull();
    }

    private static VippsWebhookVerifier Official() => new(OfficialUrl, Secret, At(OfficialDate));

    private static VippsWebhookVerifier Derived() => new(DerivedUrl, Secret, At(DerivedDate));

    /// <summary>A clock at the RFC 1123 <paramref name="date"/>, moved by <paramref name="offset"/>.</summary>
    private static FakeTimeProvider At(string date, TimeSpan offset = default) =>
        new(DateTimeOffset.ParseExact(date, "r", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal) + offset);
}
