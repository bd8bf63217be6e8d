using ActorTrading.Core;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;

namespace ActorTrading.Strategies.Paper;

/// <summary>Fees of a paper venue, as rates of the notional (0.0002 = 2 bps); notional = price × size × the instrument's contract size.</summary>
public sealed record PaperFees(decimal MakerRate, decimal TakerRate, string Currency)
{
    public decimal For(decimal price, decimal size, decimal contractSize, Liquidity liquidity) =>
        price * size * contractSize * (liquidity == Liquidity.Maker ? MakerRate : TakerRate);
}

/// <summary>
/// A resting paper order; <see cref="QueueAhead"/> is the displayed size in front of it at its price, <see cref="ArrivedAt"/>
/// (Unix ms) its time priority; <see cref="ContractSize"/> is its instrument's (base units per unit of size).
/// </summary>
public sealed record PaperOrder(ClientOrderId ClientOrderId, string VenueOrderId, Symbol Symbol, Side Side, decimal Price, decimal Size, bool PostOnly)
{
    public decimal ContractSize { get; init; } = 1m;

    public long ArrivedAt { get; init; }

    public decimal Filled { get; init; }

    public decimal QueueAhead { get; init; }

    public decimal Remaining => Size - Filled;
}

/// <summary>One simulated execution; <see cref="TradeId"/> is <c>paper-{n}</c> (after the matcher's prefix), numbered by the matcher.</summary>
public sealed record PaperFill(PaperOrder Order, string TradeId, decimal Price, decimal Size, Liquidity Liquidity, decimal Fee)
{
    public bool Completes => Order.Remaining == 0;
}

/// <summary>
/// The matching rules of the paper venue, with no actor or clock in it so that every rule has an exact test.
/// Limit orders rest at their price. A resting order fills as maker when a trade prints through its price (better
/// than it), when trades at its price have used up the size that was displayed ahead of it (queue position, counted
/// conservatively: an order joining a level is behind all of it; below the best level, where the depth is unknown, it
/// waits for a trade through its price), or when the opposite best price reaches it (up to the size shown there).
/// An order that is marketable on arrival takes the opposite best level as taker, up to its size; what is left rests.
/// Market orders walk the levels they are given. Each trade's size is used once, by the orders in price-time priority
/// (orders that arrived in the same millisecond by client order id, so that a replay matches the same way every time).
/// </summary>
/// <param name="fees">The venue's fees.</param>
/// <param name="tradeIdPrefix">Makes trade ids unique across sessions on one journal: <c>paper-{prefix}-{n}</c>.</param>
public sealed class PaperMatcher(PaperFees fees, string tradeIdPrefix = "")
{
    private readonly Dictionary<Symbol, SymbolBook> _books = new();
    private long _trades;

    public PaperFees Fees { get; } = fees;

    public IEnumerable<PaperOrder> Open => _books.Values.SelectMany(b => b.Orders);

    public (BookLevel? Bid, BookLevel? Ask) Top(Symbol symbol) => _books.TryGetValue(symbol, out var b) ? (b.Bid, b.Ask) : (null, null);

    /// <summary>A limit order arrives (after the venue's latency). Returns what it took on arrival, if it was marketable.</summary>
    public IReadOnlyList<PaperFill> Add(PaperOrder order)
    {
        var book = _books.GetOrNew(order.Symbol);
        var fills = new List<PaperFill>();
        var opposite = order.Side == Side.Buy ? book.Ask : book.Bid;
        if (opposite is { } best && Crosses(order.Side, order.Price, best.Price))
        {
            var size = Math.Min(order.Remaining, best.Size);
            order = Fill(order, best.Price, size, Liquidity.Taker, fills);
            ConsumeTop(book, order.Side, size);
        }

        if (order.Remaining > 0)
        {
            var same = order.Side == Side.Buy ? book.Bid : book.Ask;
            var ahead = same switch
            {
                { } level when level.Price == order.Price => level.Size,
                { } level when Better(order.Side, order.Price, level.Price) => 0m,
                _ => decimal.MaxValue,
            };
            book.Orders.Add(order with { QueueAhead = ahead });
        }

        return fills;
    }

    /// <summary>True when the order would take liquidity on arrival (a post-only order is then refused).</summary>
    public bool WouldTake(PaperOrder order)
    {
        var (bid, ask) = Top(order.Symbol);
        return (order.Side == Side.Buy ? ask : bid) is { } best && Crosses(order.Side, order.Price, best.Price);
    }

    public bool Remove(ClientOrderId id, out PaperOrder? removed)
    {
        foreach (var book in _books.Values)
        {
            var index = book.Orders.FindIndex(o => o.ClientOrderId == id);
            if (index >= 0)
            {
                removed = book.Orders[index];
                book.Orders.RemoveAt(index);
                return true;
            }
        }

        removed = null;
        return false;
    }

    /// <summary>A trade printed at <paramref name="price"/>: resting orders it went through, or reached past their queue, fill.</summary>
    public IReadOnlyList<PaperFill> OnTrade(Symbol symbol, decimal price, decimal size)
    {
        var fills = new List<PaperFill>();
        if (!_books.TryGetValue(symbol, out var book))
        {
            return fills;
        }

        var volume = size;
        foreach (var order in Priority(book).ToList())
        {
            if (volume <= 0)
            {
                break;
            }

            var through = Better(Opposite(order.Side), price, order.Price);
            if (!through && price != order.Price)
            {
                continue;
            }

            var current = order;
            if (!through)
            {
                // At its price: the displayed size ahead trades first. Unknown depth (decimal.MaxValue) never runs out.
                if (current.QueueAhead == decimal.MaxValue)
                {
                    continue;
                }

                var used = Math.Min(volume, current.QueueAhead);
                volume -= used;
                current = Replace(book, current, current with { QueueAhead = current.QueueAhead - used });
                if (volume <= 0)
                {
                    break;
                }
            }

            var take = Math.Min(volume, current.Remaining);
            volume -= take;
            var filled = Fill(current, current.Price, take, Liquidity.Maker, fills);
            Settle(book, current, filled);
        }

        return fills;
    }

    /// <summary>The book's best levels moved: resting orders the opposite side now reaches fill at their own price.</summary>
    public IReadOnlyList<PaperFill> OnTop(Symbol symbol, BookLevel? bid, BookLevel? ask)
    {
        var book = _books.GetOrNew(symbol);
        book.Bid = bid;
        book.Ask = ask;
        var fills = new List<PaperFill>();
        var available = new Dictionary<Side, decimal> { [Side.Buy] = ask?.Size ?? 0, [Side.Sell] = bid?.Size ?? 0 };
        foreach (var order in Priority(book).ToList())
        {
            var opposite = order.Side == Side.Buy ? ask : bid;
            if (opposite is not { } best || !Crosses(order.Side, order.Price, best.Price) || available[order.Side] <= 0)
            {
                continue;
            }

            var take = Math.Min(available[order.Side], order.Remaining);
            available[order.Side] -= take;
            var filled = Fill(order, order.Price, take, Liquidity.Maker, fills);
            Settle(book, order, filled);
        }

        return fills;
    }

    /// <summary>
    /// A market order walks <paramref name="levels"/> (the opposite side, best first) as taker. What the levels cannot
    /// fill is returned unfilled; the venue cancels it.
    /// </summary>
    public (IReadOnlyList<PaperFill> Fills, decimal Unfilled) FillMarket(PaperOrder order, IReadOnlyList<BookLevel> levels)
    {
        var fills = new List<PaperFill>();
        foreach (var level in levels)
        {
            if (order.Remaining <= 0)
            {
                break;
            }

            order = Fill(order, level.Price, Math.Min(order.Remaining, level.Size), Liquidity.Taker, fills);
        }

        return (fills, order.Remaining);
    }

    private static bool Crosses(Side side, decimal limit, decimal opposite) => side == Side.Buy ? opposite <= limit : opposite >= limit;

    /// <summary>True when <paramref name="price"/> is strictly better than <paramref name="than"/> for a <paramref name="side"/> order.</summary>
    private static bool Better(Side side, decimal price, decimal than) => side == Side.Buy ? price > than : price < than;

    private static Side Opposite(Side side) => side == Side.Buy ? Side.Sell : Side.Buy;

    private static IEnumerable<PaperOrder> Priority(SymbolBook book) =>
        book.Orders.OrderBy(o => o.Side).ThenBy(o => o.Side == Side.Buy ? -o.Price : o.Price).ThenBy(o => o.ArrivedAt).ThenBy(o => o.ClientOrderId.Value, StringComparer.Ordinal);

    private static void ConsumeTop(SymbolBook book, Side taker, decimal size)
    {
        if (taker == Side.Buy && book.Ask is { } ask)
        {
            book.Ask = ask.Size > size ? ask with { Size = ask.Size - size } : null;
        }
        else if (taker == Side.Sell && book.Bid is { } bid)
        {
            book.Bid = bid.Size > size ? bid with { Size = bid.Size - size } : null;
        }
    }

    private static PaperOrder Replace(SymbolBook book, PaperOrder old, PaperOrder updated)
    {
        book.Orders[book.Orders.IndexOf(old)] = updated;
        return updated;
    }

    private static void Settle(SymbolBook book, PaperOrder old, PaperOrder filled)
    {
        if (filled.Remaining <= 0)
        {
            book.Orders.Remove(old);
        }
        else
        {
            Replace(book, old, filled);
        }
    }

    private PaperOrder Fill(PaperOrder order, decimal price, decimal size, Liquidity liquidity, List<PaperFill> fills)
    {
        var after = order with { Filled = order.Filled + size };
        fills.Add(new PaperFill(after, $"paper-{tradeIdPrefix}{++_trades}", price, size, liquidity, Fees.For(price, size, after.ContractSize, liquidity)));
        return after;
    }


    private sealed class SymbolBook
    {
        public List<PaperOrder> Orders { get; } = [];

        public BookLevel? Bid { get; set; }

        public BookLevel? Ask { get; set; }
    }
}
