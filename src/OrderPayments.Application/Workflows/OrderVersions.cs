using OrderPayments.Domain.Workflow;

namespace OrderPayments.Application.Workflows;

/// <summary>
/// What an order's version means, on every interpreter: the number of inputs that changed its state. A started order
/// is at version 1; every input whose step changes the state (a signal applied, a provider call's result, a timer)
/// adds one; an input that changes nothing (a repeated shipment, a hint while a read is pending, anything a final order
/// absorbs) leaves it. So the same inputs give the same versions however an interpreter groups them into commits (the
/// embedded runtime applies several in one transaction, the Durable orchestration one at a time), and a version that
/// did not move means the status document did not change: it is the document's ETag.
/// </summary>
public static class OrderVersions
{
    /// <summary>The version of an order just started.</summary>
    public const long Started = 1;

    /// <summary>The version after <paramref name="step"/> was taken from <paramref name="before"/> at <paramref name="version"/>.</summary>
    /// <remarks>The workflow hands back the very state it was given when an input changes nothing.</remarks>
    public static long After(long version, OrderPaymentState before, WorkflowStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        return ReferenceEquals(before, step.State) ? version : version + 1;
    }
}
