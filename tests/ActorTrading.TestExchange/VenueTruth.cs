using System.Globalization;
using ActorTrading.Core.Orders;
using ActorTrading.Journal;

namespace ActorTrading.TestExchange;

/// <summary>A fake venue's orders (its truth) against a journal's: what a soak fails on.</summary>
public static class VenueTruth
{
    /// <summary>
    /// The venue's orders against the journal's, after the node stopped: every order the venue took is in the journal
    /// (journaled before it was sent) with the same fills and the same end (open, canceled or filled); every order the
    /// journal has that the venue never took ended without a fill (refused or never sent).
    /// </summary>
    public static IReadOnlyList<string> Differences(IReadOnlyList<FakeOrder> venue, IReadOnlyList<(OrderState State, IReadOnlyList<JournalRecord> Records)> journal)
    {
        var differences = new List<string>();
        var journaled = journal.ToDictionary(o => o.State.ClientOrderId.Value, StringComparer.Ordinal);
        foreach (var order in venue)
        {
            if (!journaled.TryGetValue(order.ClientOrderId, out var entry))
            {
                differences.Add($"{order.ClientOrderId}: the venue took it, the journal has no such order");
                continue;
            }

            var state = entry.State;
            var fills = entry.Records.Select(r => r.Event).OfType<OrderEvents.FillRecorded>().Select(f => (f.TradeId, f.Size)).Order().ToArray();
            var truth = order.Fills.Order().ToArray();
            if (!fills.SequenceEqual(truth))
            {
                differences.Add($"{order.ClientOrderId}: fills {Fills(fills)} in the journal, {Fills(truth)} at the venue");
            }

            var end = order.Open ? "open" : order.Executed == order.Quantity ? "filled" : "canceled";
            var journalEnd = state.Status switch
            {
                OrderLifecycle.Filled => "filled",
                OrderLifecycle.Canceled or OrderLifecycle.Expired => "canceled",
                OrderLifecycle.Rejected => "rejected",
                _ => "open",
            };
            if (end != journalEnd)
            {
                differences.Add($"{order.ClientOrderId}: {state.Status} in the journal, {end} at the venue ({order.Executed} of {order.Quantity} filled)");
            }
        }

        var taken = venue.Select(o => o.ClientOrderId).ToHashSet(StringComparer.Ordinal);
        foreach (var (state, _) in journal.Where(o => !taken.Contains(o.State.ClientOrderId.Value)))
        {
            if (state.Status is not (OrderLifecycle.Rejected or OrderLifecycle.Canceled or OrderLifecycle.Expired) || state.FilledSize != 0)
            {
                differences.Add($"{state.ClientOrderId.Value}: {state.Status} in the journal ({state.FilledSize} filled), the venue never took it");
            }
        }

        return differences;
    }

    private static string Fills(IEnumerable<(string TradeId, decimal Size)> fills) =>
        "[" + string.Join(" ", fills.Select(f => $"{f.TradeId}:{f.Size.ToString(CultureInfo.InvariantCulture)}")) + "]";
}
