namespace OrderPayments.Vipps.Webhooks;

/// <summary>A registered webhook (<c>GET /webhooks/v1/webhooks</c> item).</summary>
/// <param name="Id">The registration id.</param>
/// <param name="Url">Where Vipps delivers.</param>
/// <param name="Events">The event types, e.g. <c>epayments.payment.authorized.v1</c>.</param>
public sealed record VippsWebhookRegistration(Guid Id, string Url, IReadOnlyList<string> Events);
