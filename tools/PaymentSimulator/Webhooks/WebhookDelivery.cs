namespace PaymentSimulator.Webhooks;

/// <summary>One event on its way to one registration.</summary>
internal sealed class WebhookDelivery(WebhookRegistration registration, string reference, string body)
{
    public WebhookRegistration Registration { get; } = registration;

    public string Reference { get; } = reference;

    public string Body { get; } = body;

    public int Attempts { get; set; }

    public DateTimeOffset NextAttemptAt { get; set; }
}
