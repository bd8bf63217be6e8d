using ActorTrading.Core;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Orders;
using ActorTrading.Journal;

namespace ActorTrading.Strategies;

/// <summary>
/// A strategy's own book-keeping from its order updates: its orders, open ones, positions and PnL per symbol
/// (first-in first-out, in price × size units), fees and fill counts. Each fill counts once, whichever way it came
/// (the journal read at start, then live updates).
/// </summary>
public sealed class StrategyLedger
{
    private readonly Dictionary<ClientOrderId, OrderState> _orders = new();
    private readonly Dictionary<Symbol, FifoPosition> _positions = new();
    private readonly Dictionary<Symbol, decimal> _marks = new();
    private readonly HashSet<(ClientOrderId, string)> _fills = new();

    public IReadOnlyDictionary<ClientOrderId, OrderState> Orders => _orders;

    public IEnumerable<OrderState> OpenOrders => _orders.Values.Where(o => !o.IsTerminal);

    public int Fills => _fills.Count;

    public decimal Fees { get; private set; }

    /// <summary>Records the order's new state, and its fill if the event is one. Returns false for a fill seen before.</summary>
    public bool Apply(OrderState state, IJournalEvent? e)
    {
        _orders[state.ClientOrderId] = state;
        if (e is not OrderEvents.FillRecorded fill)
        {
            return true;
        }

        if (!_fills.Add((fill.ClientOrderId, fill.TradeId)))
        {
            return false;
        }

        _positions.GetOrNew(state.Symbol).Apply(state.Side, fill.Size, fill.Price);
        Fees += fill.Fee ?? 0;
        return true;
    }

    /// <summary>The latest price of a symbol, for unrealized PnL.</summary>
    public void Mark(Symbol symbol, decimal price) => _marks[symbol] = price;

    public decimal? LastPrice(Symbol symbol) => _marks.TryGetValue(symbol, out var price) ? price : null;

    public decimal Position(Symbol symbol, out decimal realized, out decimal? unrealized)
    {
        var position = _positions.GetValueOrDefault(symbol);
        realized = position?.RealizedPnl ?? 0;
        unrealized = position is null ? 0 : _marks.TryGetValue(symbol, out var mark) ? position.UnrealizedPnl(mark) : null;
        return position?.Size ?? 0;
    }

    public decimal RealizedPnl => _positions.Values.Sum(p => p.RealizedPnl);

    /// <summary>Unrealized PnL over the symbols with a known price.</summary>
    public decimal UnrealizedPnl => _positions.Sum(p => _marks.TryGetValue(p.Key, out var mark) ? p.Value.UnrealizedPnl(mark) : 0);

    public IEnumerable<Symbol> Symbols => _positions.Keys;

    /// <summary>Rebuilds the orders that <paramref name="runs"/> placed from <paramref name="records"/> (journal order).</summary>
    public void Load(IEnumerable<JournalRecord> records, IReadOnlySet<string> runs)
    {
        var states = new Dictionary<ClientOrderId, OrderState>();
        foreach (var record in records)
        {
            var e = record.Event;
            if (e is OrderEvents.Submitted submitted)
            {
                if (submitted.RunId is null || !runs.Contains(submitted.RunId))
                {
                    continue;
                }

                states[e.ClientOrderId] = OrderState.Start(submitted);
            }
            else if (states.TryGetValue(e.ClientOrderId, out var state))
            {
                states[e.ClientOrderId] = state.Apply(e);
            }
            else
            {
                continue;
            }

            Apply(states[e.ClientOrderId], e);
        }
    }

}
