namespace PaymentSimulator.Webhooks;

/// <summary>A registered webhook: where to deliver, which events, and the signing secret.</summary>
internal sealed record WebhookRegistration(Guid Id, Uri Url, IReadOnlyList<string> Events, string Secret);
