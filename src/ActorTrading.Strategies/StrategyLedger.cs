using ActorTrading.Core;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Orders;
using ActorTrading.Journal;

namespace ActorTrading.Strategies;

/// <summary>
/// A strategy's own book-keeping from its order updates: its orders, open ones, positions and PnL per symbol
/// (first-in first-out, in price × size units), fees and fill counts. Each fill counts once, whichever way it came
/// (the journal read at start, then live updates). A node runs for weeks: open orders are kept, and of the finished
/// ones the latest <see cref="FinishedKept"/> (with their fills' ids); the counts, positions and PnL cover the whole run.
/// </summary>
public sealed class StrategyLedger
{
    /// <summary>
    /// How many finished orders the ledger keeps (with their trade ids, so a fill seen again still counts once): a
    /// strategy looks back at its latest orders; the journal keeps them all (<c>audit orders</c>).
    /// </summary>
    public const int FinishedKept = 100;

    private readonly Dictionary<ClientOrderId, OrderState> _orders = new();
    private readonly Dictionary<ClientOrderId, OrderState> _open = new();
    private readonly Queue<ClientOrderId> _finished = new();
    private readonly Dictionary<Symbol, FifoPosition> _positions = new();
    private readonly Dictionary<Symbol, decimal> _marks = new();
    private readonly Dictionary<ClientOrderId, HashSet<string>> _tradeIds = new();

    /// <summary>The open orders and the latest <see cref="FinishedKept"/> finished ones, by client order id.</summary>
    public IReadOnlyDictionary<ClientOrderId, OrderState> Orders => _orders;

    public IEnumerable<OrderState> OpenOrders => _open.Values;

    /// <summary>Orders of this run (each counted at its submission), also those no longer kept.</summary>
    public int OrderCount { get; private set; }

    public int Fills { get; private set; }

    public decimal Fees { get; private set; }

    /// <summary>Records the order's new state, and its fill if the event is one. Returns false for a fill seen before.</summary>
    public bool Apply(OrderState state, IJournalEvent? e)
    {
        var id = state.ClientOrderId;
        var before = _orders.GetValueOrDefault(id);
        if (e is OrderEvents.Submitted)
        {
            OrderCount++;
        }

        _orders[id] = state;
        if (state.IsTerminal)
        {
            if (_open.Remove(id) || before is null || !before.IsTerminal)
            {
                Finish(id);
            }
        }
        else
        {
            _open[id] = state;
        }

        if (e is not OrderEvents.FillRecorded fill)
        {
            return true;
        }

        if (!_tradeIds.GetOrNew(id).Add(fill.TradeId))
        {
            return false;
        }

        Fills++;
        _positions.GetOrNew(state.Symbol).Apply(state.Side, fill.Size, fill.Price);
        Fees += fill.Fee ?? 0;
        return true;
    }

    /// <summary>Keeps a finished order among the latest; the oldest beyond <see cref="FinishedKept"/> is let go, with its trade ids.</summary>
    private void Finish(ClientOrderId id)
    {
        _finished.Enqueue(id);
        while (_finished.Count > FinishedKept)
        {
            var oldest = _finished.Dequeue();
            _orders.Remove(oldest);
            _tradeIds.Remove(oldest);
        }
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
