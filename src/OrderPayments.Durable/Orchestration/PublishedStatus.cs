using System.Text.Json;
using OrderPayments.Domain.Serialization;
using OrderPayments.Domain.Workflow;

namespace OrderPayments.Durable.Orchestration;

/// <summary>
/// The order as the orchestration publishes it in its custom status after every step: the workflow state, the version
/// and when it was set, within a bound that holds for any order (<see cref="MaxChars"/>). An order whose lists make it
/// larger publishes the newest entries of each (shipments, refunds, problems, history) and how many it left out
/// (<see cref="Trimmed"/>); the whole state is in the orders table (<see cref="Orders.OrderTable"/>), saved by the
/// next sync. Amounts, status, deadlines and the request are always whole, so the signal door judges new signals
/// against the current state, whatever its size.
/// </summary>
/// <param name="State">The state (lists possibly cut to their newest entries); null only for an order whose request alone exceeds the bound.</param>
/// <param name="Version">The order's version.</param>
/// <param name="UpdatedAt">The orchestration time of the last step.</param>
/// <param name="Trimmed">What was left out; null when nothing was.</param>
/// <param name="LastSequence">The inbox place of the last signal applied (later ones are pending).</param>
internal sealed record PublishedStatus(OrderPaymentState? State, long Version, DateTimeOffset UpdatedAt, TrimmedLists? Trimmed = null, long LastSequence = 0)
{
    /// <summary>
    /// The most characters the custom status takes as the framework stores it (this JSON once more as a JSON string).
    /// Durable Functions documents 16 KB of UTF-16 (8,192 characters); this stays below it with room to spare.
    /// </summary>
    public const int MaxChars = 7_500;

    /// <summary>How many of each list's newest entries are kept when the whole state does not fit.</summary>
    public const int KeptEntries = 10;

    /// <summary>The status to publish for <paramref name="state"/>: the whole state when it fits, else the newest entries of its lists.</summary>
    public static string Create(OrderPaymentState state, long version, DateTimeOffset updatedAt, long lastSequence = 0) =>
        Fit(state, version, updatedAt, lastSequence).Json;

    /// <summary>The status to publish for <paramref name="state"/>, and whether it left entries out (then readers complete it from the orders table).</summary>
    public static (string Json, bool Trimmed) Fit(OrderPaymentState state, long version, DateTimeOffset updatedAt, long lastSequence)
    {
        ArgumentNullException.ThrowIfNull(state);
        var json = JsonSerializer.Serialize(new PublishedStatus(state, version, updatedAt, null, lastSequence), OrderPaymentsJson.Options);
        if (Fits(json))
        {
            return (json, false);
        }

        // Keep the newest entries of every list (pending shipments and refunds before finished ones), fewer each round.
        for (var keep = KeptEntries; keep >= 0; keep = keep == 0 ? -1 : keep / 2)
        {
            var trimmed = new TrimmedLists(
                Math.Max(0, state.Shipments.Count - keep),
                Math.Max(0, state.Refunds.Count - keep),
                Math.Max(0, state.Problems.Count - keep),
                Math.Max(0, state.History.Count - keep));
            var cut = state with
            {
                Shipments = Newest(state.Shipments, keep, s => s.Outcome == OperationOutcome.Pending),
                Refunds = Newest(state.Refunds, keep, r => r.Outcome == OperationOutcome.Pending),
                Problems = state.Problems.Count > keep ? state.Problems.RemoveRange(0, state.Problems.Count - keep) : state.Problems,
                // Calls in flight matter to the orchestration only (which keeps them all): a flood of captures is many.
                InFlight = state.InFlight.Count > keep ? state.InFlight.RemoveRange(0, state.InFlight.Count - keep) : state.InFlight,
                HintedReferences = state.HintedReferences.Count > keep ? state.HintedReferences.RemoveRange(0, state.HintedReferences.Count - keep) : state.HintedReferences,
                AttemptRequestIds = state.AttemptRequestIds.Count > keep ? state.AttemptRequestIds.RemoveRange(0, state.AttemptRequestIds.Count - keep) : state.AttemptRequestIds,
                History = state.History.Count > keep ? state.History.RemoveRange(0, state.History.Count - keep) : state.History,
                HistoryDropped = state.HistoryDropped + trimmed.History,
            };
            json = JsonSerializer.Serialize(new PublishedStatus(cut, version, updatedAt, trimmed, lastSequence), OrderPaymentsJson.Options);
            if (Fits(json))
            {
                return (json, true);
            }
        }

        // Only a request that alone exceeds the bound gets here (a return URL of thousands of escaped characters).
        return (JsonSerializer.Serialize(new PublishedStatus(null, version, updatedAt, new TrimmedLists(state.Shipments.Count, state.Refunds.Count, state.Problems.Count, state.History.Count), lastSequence), OrderPaymentsJson.Options), true);
    }

    public static PublishedStatus FromJson(string json) =>
        JsonSerializer.Deserialize<PublishedStatus>(json, OrderPaymentsJson.Options) ?? throw new JsonException("The published status is empty.");

    private static bool Fits(string json) => JsonSerializer.Serialize(json).Length <= MaxChars;

    /// <summary>The newest <paramref name="keep"/> entries, those <paramref name="pending"/> first among the ones left out.</summary>
    private static System.Collections.Immutable.ImmutableList<T> Newest<T>(System.Collections.Immutable.ImmutableList<T> list, int keep, Func<T, bool> pending)
    {
        if (list.Count <= keep)
        {
            return list;
        }

        // The newest keep entries, with pending ones among the older entries taking the place of the oldest finished ones.
        var older = list.Take(list.Count - keep).Where(pending).ToList();
        var newest = list.Skip(list.Count - keep).ToList();
        var room = Math.Min(older.Count, newest.Count(e => !pending(e)));
        if (room > 0)
        {
            var dropped = 0;
            newest = [.. newest.Where(e => pending(e) || dropped++ >= room)];
            return [.. older.Skip(older.Count - room), .. newest];
        }

        return [.. newest];
    }
}
