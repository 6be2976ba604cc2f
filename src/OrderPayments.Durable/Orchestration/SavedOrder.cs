using OrderPayments.Domain.Workflow;

namespace OrderPayments.Durable.Orchestration;

/// <summary>An order's state at a version, to be saved in the orders table (<see cref="Orders.OrderTable"/>).</summary>
/// <param name="State">The whole state (the published status may carry only its newest entries).</param>
/// <param name="Version">Its version (<see cref="Application.Workflows.OrderVersions"/>).</param>
/// <param name="UpdatedAt">The orchestration time of the step that made it.</param>
internal sealed record SavedOrder(OrderPaymentState State, long Version, DateTimeOffset UpdatedAt);
