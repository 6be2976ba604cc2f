using System.Text.Json;
using OrderPayments.Domain;
using OrderPayments.Domain.Serialization;
using OrderPayments.Domain.Workflow;

namespace OrderPayments.Durable.Orchestration;

/// <summary>The input of a provider-call activity: which provider, which call (with the workflow's idempotency key).</summary>
/// <param name="Provider">The order's provider.</param>
/// <param name="Action">The call.</param>
internal sealed record ActivityRequest(PaymentProvider Provider, WorkflowAction Action)
{
    public string ToJson() => JsonSerializer.Serialize(this, OrderPaymentsJson.Options);

    public static ActivityRequest FromJson(string json) =>
        JsonSerializer.Deserialize<ActivityRequest>(json, OrderPaymentsJson.Options) ?? throw new JsonException("The activity input is empty.");
}
