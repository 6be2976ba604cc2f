using OrderPayments.Domain.Workflow;

namespace OrderPayments.Durable.Orders;

/// <summary>An order's row in the orders table (<see cref="OrderTable"/>).</summary>
/// <param name="State">The whole state, as last saved.</param>
/// <param name="Version">Its version.</param>
/// <param name="UpdatedAt">When it last changed.</param>
/// <param name="Purged">The order finished and its instance, inbox and deliveries were purged; this row is what is left.</param>
/// <param name="ETag">The row's ETag.</param>
internal sealed record OrderRow(OrderPaymentState State, long Version, DateTimeOffset UpdatedAt, bool Purged, string ETag);
