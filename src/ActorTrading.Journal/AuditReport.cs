using System.Globalization;
using ActorTrading.Core.Market;
using ActorTrading.Core.Orders;

namespace ActorTrading.Journal;

/// <summary>An order's final state with the time of each transition (Unix ms; null when it never happened).</summary>
public sealed record OrderAuditRow(
    OrderState State, long SubmittedAt, long? AcknowledgedAt, long? FirstFillAt, long? LastFillAt, long? CancelRequestedAt, long? UnknownAt, long? FinishedAt);

/// <summary>One fill with its order's context: the columns of <c>audit fills</c>.</summary>
public sealed record FillAuditRow(
    long Timestamp, string Venue, string Market, string Symbol, string Strategy, string ClientOrderId, string? OrderId, string TradeId,
    Side Side, decimal Price, decimal Size, decimal? Fee, string? FeeCurrency, Liquidity? Liquidity, FillSource Source);

/// <summary>Totals of one venue/symbol/strategy; <see cref="RealizedPnl"/> matches fills first-in first-out, in price × size units.</summary>
public sealed record SummaryRow(
    string Venue, string Symbol, string Strategy, int Orders, int Fills, decimal Volume, decimal Notional,
    IReadOnlyDictionary<string, decimal> Fees, decimal RealizedPnl, decimal OpenPosition);

/// <summary>
/// The audit: folds journal records into orders, fills, totals and checks. Pure functions over what the read journal
/// returned, so they give the same answer on SQLite and PostgreSQL, while the node runs or after.
/// </summary>
public static class AuditReport
{
    /// <summary>The records of each order (by persistence id), in sequence order, for the orders the filter matches.</summary>
    public static IReadOnlyList<(OrderState State, IReadOnlyList<JournalRecord> Records)> Orders(IEnumerable<JournalRecord> records, AuditFilter filter)
    {
        var result = new List<(OrderState, IReadOnlyList<JournalRecord>)>();
        foreach (var order in records.GroupBy(r => r.PersistenceId))
        {
            var ordered = order.OrderBy(r => r.SequenceNr).ToArray();
            if (ordered[0].Event is not OrderEvents.Submitted submitted)
            {
                continue;
            }

            var state = ordered.Skip(1).Aggregate(OrderState.Start(submitted), (s, r) => s.Apply(r.Event));
            if (filter.Matches(state))
            {
                result.Add((state, ordered));
            }
        }

        return result.OrderBy(o => o.Item1.SubmittedAt).ThenBy(o => o.Item1.ClientOrderId.Value, StringComparer.Ordinal).ToArray();
    }

    public static IReadOnlyList<OrderAuditRow> OrderRows(IEnumerable<JournalRecord> records, AuditFilter filter) =>
        Orders(records, filter)
            .Where(o => filter.InTime(o.State.SubmittedAt))
            .Select(o =>
            {
                long? At<T>() => o.Records.FirstOrDefault(r => r.Event is T)?.Event.Timestamp;
                var fills = o.Records.Where(r => r.Event is OrderEvents.FillRecorded).Select(r => r.Event.Timestamp).ToArray();
                var finished = o.State.IsTerminal
                    ? o.Records.Select(r => r.Event).FirstOrDefault(e => e is OrderEvents.Rejected or OrderEvents.Canceled or OrderEvents.Expired)?.Timestamp
                        ?? (o.State.Status == OrderLifecycle.Filled ? fills.LastOrDefault() : null)
                    : null;
                return new OrderAuditRow(o.State, o.State.SubmittedAt, At<OrderEvents.Acknowledged>(), fills.Length > 0 ? fills.Min() : null,
                    fills.Length > 0 ? fills.Max() : null, At<OrderEvents.CancelRequested>(), At<OrderEvents.StatusUnknown>(), finished);
            })
            .ToArray();

    public static IReadOnlyList<FillAuditRow> FillRows(IEnumerable<JournalRecord> records, AuditFilter filter) =>
        Orders(records, filter)
            .SelectMany(o => o.Records.Select(r => r.Event).OfType<OrderEvents.FillRecorded>().Select(f => (o.State, Fill: f)))
            .Where(x => filter.InTime(x.Fill.Timestamp))
            .OrderBy(x => x.Fill.Timestamp).ThenBy(x => x.Fill.TradeId, StringComparer.Ordinal)
            .Select(x => new FillAuditRow(x.Fill.Timestamp, x.State.Venue.Value, x.State.Market.ToString().ToLowerInvariant(), x.State.Symbol.Value, x.State.StrategyId,
                x.State.ClientOrderId.Value, x.Fill.VenueOrderId ?? x.State.VenueOrderId, x.Fill.TradeId, x.State.Side, x.Fill.Price, x.Fill.Size, x.Fill.Fee,
                x.Fill.FeeCurrency, x.Fill.Liquidity, x.Fill.Source))
            .ToArray();

    public static IReadOnlyList<SummaryRow> Summary(IEnumerable<JournalRecord> records, AuditFilter filter)
    {
        var list = records.ToArray();
        var orders = Orders(list, filter).Where(o => filter.InTime(o.State.SubmittedAt)).ToArray();
        var fills = FillRows(list, filter);
        return orders.Select(o => (o.State.Venue.Value, o.State.Symbol.Value, o.State.StrategyId)).Distinct()
            .Select(key =>
            {
                var groupFills = fills.Where(f => (f.Venue, f.Symbol, f.Strategy) == key).ToArray();
                var (pnl, position) = FifoPnl(groupFills);
                var fees = groupFills.Where(f => f.Fee is not null)
                    .GroupBy(f => f.FeeCurrency ?? "?").ToDictionary(g => g.Key, g => g.Sum(f => f.Fee!.Value));
                return new SummaryRow(key.Item1, key.Item2, key.Item3, orders.Count(o => (o.State.Venue.Value, o.State.Symbol.Value, o.State.StrategyId) == key),
                    groupFills.Length, groupFills.Sum(f => f.Size), groupFills.Sum(f => f.Size * f.Price), fees, pnl, position);
            })
            .OrderBy(r => r.Venue).ThenBy(r => r.Symbol).ThenBy(r => r.Strategy)
            .ToArray();
    }

    /// <summary>Realized PnL first-in first-out (<see cref="FifoPosition"/>) and the signed position left open.</summary>
    public static (decimal RealizedPnl, decimal OpenPosition) FifoPnl(IEnumerable<FillAuditRow> fills)
    {
        var position = new FifoPosition();
        foreach (var fill in fills.OrderBy(f => f.Timestamp))
        {
            position.Apply(fill.Side, fill.Size, fill.Price);
        }

        return (position.RealizedPnl, position.Size);
    }

    /// <summary>
    /// Checks the journal: contiguous sequence numbers starting with the submission, no trade recorded twice, fills
    /// that never exceed the order and add up to what the venue reported, nothing but late fills after a terminal state.
    /// </summary>
    public static IReadOnlyList<string> Verify(IEnumerable<JournalRecord> records)
    {
        var violations = new List<string>();
        var trades = new Dictionary<(string Venue, string TradeId), string>();
        foreach (var order in records.GroupBy(r => r.PersistenceId).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var ordered = order.OrderBy(r => r.SequenceNr).ToArray();
            for (var i = 0; i < ordered.Length; i++)
            {
                if (ordered[i].SequenceNr != i + 1)
                {
                    violations.Add($"{order.Key}: sequence numbers not contiguous: expected {i + 1}, found {ordered[i].SequenceNr}");
                    break;
                }
            }

            if (ordered[0].Event is not OrderEvents.Submitted submitted)
            {
                violations.Add($"{order.Key}: first event is {ordered[0].Manifest}, not order-submitted");
                continue;
            }

            var state = OrderState.Start(submitted);
            var fillSum = 0m;
            foreach (var record in ordered.Skip(1))
            {
                var e = record.Event;
                if (state.IsTerminal && !AllowedAfterTerminal(state, e))
                {
                    violations.Add($"{order.Key} #{record.SequenceNr}: {record.Manifest} after terminal state {state.Status}");
                }

                if (e is OrderEvents.FillRecorded fill)
                {
                    if (trades.TryGetValue((state.Venue.Value, fill.TradeId), out var first))
                    {
                        violations.Add($"{order.Key} #{record.SequenceNr}: trade {fill.TradeId} already recorded by {first}");
                    }
                    else
                    {
                        trades[(state.Venue.Value, fill.TradeId)] = $"{order.Key} #{record.SequenceNr}";
                        fillSum += fill.Size;
                    }
                }

                state = state.Apply(e);
            }

            // Checked at the end: an order's own fills are asked for after the venue's count of them came in.
            if (state.VenueFilledSize > fillSum)
            {
                violations.Add($"{order.Key}: the venue reported {state.VenueFilledSize} filled, the journal has fills for {fillSum}");
            }

            if (fillSum != state.FilledSize)
            {
                violations.Add($"{order.Key}: filled size {state.FilledSize} is not the sum of its fills {fillSum}");
            }

            if (fillSum > state.Size)
            {
                violations.Add($"{order.Key}: fills for {fillSum} exceed the order size {state.Size}");
            }
        }

        return violations;
    }

    /// <summary>After a terminal state only facts may follow: late fills, and what the venue reports that agrees.</summary>
    private static bool AllowedAfterTerminal(OrderState state, Core.Orders.IJournalEvent e) => e switch
    {
        OrderEvents.FillRecorded => true,
        OrderEvents.Acknowledged a => a.VenueOrderId is not null,
        OrderEvents.Reconciled r => r.Status == state.Status,
        _ => false,
    };

    public static string Time(long unixMs) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixMs).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
