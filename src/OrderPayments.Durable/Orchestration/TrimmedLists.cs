namespace OrderPayments.Durable.Orchestration;

/// <summary>How many of the oldest entries of each list a published status left out (<see cref="PublishedStatus"/>).</summary>
/// <param name="Shipments">Shipments left out.</param>
/// <param name="Refunds">Refunds left out.</param>
/// <param name="Problems">Problems left out.</param>
/// <param name="History">History entries left out (also counted in the state's <c>HistoryDropped</c>).</param>
internal sealed record TrimmedLists(int Shipments, int Refunds, int Problems, int History);
