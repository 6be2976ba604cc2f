namespace OrderPayments.Vipps.Webhooks;

/// <summary>Why a webhook delivery was accepted or refused.</summary>
public enum WebhookVerificationResult
{
    /// <summary>The body hash and the HMAC signature match: the delivery is from Vipps and unaltered.</summary>
    Valid = 1,

    /// <summary><c>x-ms-date</c>, <c>x-ms-content-sha256</c> or <c>Authorization</c> is missing.</summary>
    MissingHeaders = 2,

    /// <summary>The body's SHA-256 differs from <c>x-ms-content-sha256</c>: altered in transit or re-serialized.</summary>
    ContentHashMismatch = 3,

    /// <summary>The <c>Authorization</c> header is not <c>HMAC-SHA256 SignedHeaders=…&amp;Signature=…</c>.</summary>
    MalformedAuthorization = 4,

    /// <summary>The signature does not match: another secret, another URL, or a forgery.</summary>
    SignatureMismatch = 5,

    /// <summary>
    /// The delivery is signed correctly but its <c>x-ms-date</c> is not an RFC 1123 date within the allowed clock skew
    /// of now: a replay of an old delivery, or a clock far off.
    /// </summary>
    DateNotCurrent = 6,
}
