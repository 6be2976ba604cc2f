namespace OrderPayments.Vipps.Webhooks;

/// <summary>The answer to a registration: the id and the signing secret, which Vipps shows only this once.</summary>
/// <param name="Id">The registration id.</param>
/// <param name="Secret">The HMAC secret for verifying deliveries (keep it; it cannot be read again).</param>
public sealed record VippsRegisteredWebhook(Guid Id, string Secret)
{
    /// <summary>Never prints the secret.</summary>
    public override string ToString() => $"VippsRegisteredWebhook {{ Id = {Id}, Secret = *** }}";
}
