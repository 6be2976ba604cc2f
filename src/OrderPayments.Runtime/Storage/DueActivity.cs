using OrderPayments.Domain;
using OrderPayments.Domain.Workflow;

namespace OrderPayments.Runtime.Storage;

/// <summary>An activity whose (next) attempt is due.</summary>
internal sealed record DueActivity(string InstanceId, PaymentProvider Provider, WorkflowAction Action, int Attempts, string? TraceParent = null);
