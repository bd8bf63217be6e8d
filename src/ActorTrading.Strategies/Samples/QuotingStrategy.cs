using ActorTrading.Core;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Core.Orders;
using ActorTrading.Journal;
using Akka.Event;

namespace ActorTrading.Strategies.Samples;

/// <summary>
/// Posts a post-only bid and ask around the mid of each of its symbols, skewed against its inventory, and keeps them
/// fresh: when the mid moves more than <c>RequoteBps</c> since they were posted both are canceled and posted again;
/// when the book stops updating (<c>StaleSeconds</c>) or trading is halted, both are canceled.
/// <para>
/// Parameters: <c>Size</c> (1), <c>HalfSpreadBps</c> (5), <c>SkewBpsPerUnit</c> (2: both quotes move this many bps
/// against each unit of position), <c>MaxPosition</c> (5: no quote that would go beyond it), <c>RequoteBps</c> (2),
/// <c>StaleSeconds</c> (5), <c>TickSize</c> (0.1: bids round down, asks up).
/// </para>
/// </summary>
public sealed class QuotingStrategy : StrategyActor, IChecksParameters
{
    private const string StaleCheck = "stale-check";
    private readonly decimal _size;
    private readonly decimal _halfSpread;
    private readonly decimal _skewPerUnit;
    private readonly decimal _maxPosition;
    private readonly decimal _requote;
    private readonly TimeSpan _staleAfter;
    private readonly decimal _tick;
    private readonly Dictionary<Symbol, Quotes> _quotes = new();

    public QuotingStrategy(StrategyContext context) : base(context)
    {
        (_size, _halfSpread, _skewPerUnit, _maxPosition, _requote, _staleAfter, _tick) = Read(Settings);
        Receive<CheckStale>(_ => CancelStale());
    }

    public static void Validate(StrategySettings settings) => Read(settings);

    private static (decimal Size, decimal HalfSpread, decimal SkewPerUnit, decimal MaxPosition, decimal Requote, TimeSpan StaleAfter, decimal Tick) Read(StrategySettings s) =>
        (s.Positive("Size", 1m), s.NotNegative("HalfSpreadBps", 5m) / 10_000m, s.Decimal("SkewBpsPerUnit", 2m) / 10_000m, s.Positive("MaxPosition", 5m),
         s.NotNegative("RequoteBps", 2m) / 10_000m, TimeSpan.FromSeconds((double)s.Positive("StaleSeconds", 5m)), s.Positive("TickSize", 0.1m));

    protected override IReadOnlyCollection<DataChannel> Channels { get; } = [DataChannel.Book];

    /// <summary>The bid and ask it would post now for a book at <paramref name="mid"/> and a position of <paramref name="position"/>.</summary>
    public static (decimal Bid, decimal Ask) QuotePrices(decimal mid, decimal position, decimal halfSpread, decimal skewPerUnit, decimal tick)
    {
        var fair = mid * (1 - (skewPerUnit * position));
        return (Math.Floor(fair * (1 - halfSpread) / tick) * tick, Math.Ceiling(fair * (1 + halfSpread) / tick) * tick);
    }

    protected override void OnReady()
    {
        // Quotes left open by an earlier incarnation are this strategy's; it starts from a clean slate.
        foreach (var order in Ledger.OpenOrders)
        {
            Cancel(order.ClientOrderId);
        }

        Timers.StartPeriodicTimer(StaleCheck, new CheckStale(), TimeSpan.FromSeconds(1));
    }

    protected override void OnBookTop(BookTop top)
    {
        if (top is not { BestBid: { } bid, BestAsk: { } ask })
        {
            return;
        }

        var quotes = _quotes.GetOrNew(top.Symbol);
        quotes.LastTop = Clock.GetUtcNow();
        var mid = (bid.Price + ask.Price) / 2;
        if (quotes.Mid is { } posted && Math.Abs(mid - posted) > posted * _requote)
        {
            CancelQuotes(top.Symbol);
        }

        var position = Ledger.Position(top.Symbol, out _, out _);
        var (bidPrice, askPrice) = QuotePrices(mid, position, _halfSpread, _skewPerUnit, _tick);
        // Post-only: never at or through the other side; and its own two quotes never meet.
        bidPrice = Math.Min(bidPrice, ask.Price - _tick);
        askPrice = Math.Max(Math.Max(askPrice, bid.Price + _tick), bidPrice + _tick);
        if (position + _size <= _maxPosition)
        {
            Post(top.Symbol, Side.Buy, bidPrice, mid);
        }

        if (position - _size >= -_maxPosition)
        {
            Post(top.Symbol, Side.Sell, askPrice, mid);
        }
    }

    protected override void OnOrderUpdate(OrderState order, IJournalEvent? e)
    {
        var quotes = _quotes.GetOrNew(order.Symbol);
        quotes.Pending.Remove(order.ClientOrderId);
        if (order.IsTerminal)
        {
            quotes.Canceling.Remove(order.ClientOrderId);
        }

        if (e is OrderEvents.Rejected rejected)
        {
            // A refused quote (a risk limit, post-only that would cross) is not retried on the next tick at once.
            quotes.PausedUntil = Clock.GetUtcNow() + TimeSpan.FromSeconds(1);
            Log.Info("{Strategy}: quote {ClientOrderId} rejected: {Code} {Reason}", Settings.Id, order.ClientOrderId, rejected.Code, rejected.Reason);
        }

        if (e is OrderEvents.FillRecorded fill)
        {
            Log.Info("{Strategy}: {Side} {Size} {Symbol} at {Price}", Settings.Id, order.Side, fill.Size, order.Symbol, fill.Price);
        }
    }

    protected override void OnTradingHalted(Symbol symbol, string reason)
    {
        base.OnTradingHalted(symbol, reason);
        CancelQuotes(symbol);
    }

    /// <summary>Posts one side unless it has a quote live or on its way.</summary>
    private void Post(Symbol symbol, Side side, decimal price, decimal mid)
    {
        var quotes = _quotes.GetOrNew(symbol);
        var live = Ledger.OpenOrders.Any(o => o.Symbol == symbol && o.Side == side && !quotes.Canceling.Contains(o.ClientOrderId))
            || quotes.Pending.Values.Any(s => s == side);
        if (live || Clock.GetUtcNow() < quotes.PausedUntil)
        {
            return;
        }

        if (Place(symbol, side, OrderType.Limit, _size, price, postOnly: true) is { } id)
        {
            quotes.Pending[id] = side;
            quotes.Mid = mid;
        }
    }

    private void CancelQuotes(Symbol symbol)
    {
        var quotes = _quotes.GetOrNew(symbol);
        foreach (var order in Ledger.OpenOrders.Where(o => o.Symbol == symbol && !quotes.Canceling.Contains(o.ClientOrderId)).ToArray())
        {
            quotes.Canceling.Add(order.ClientOrderId);
            Cancel(order.ClientOrderId);
        }

        quotes.Mid = null;
    }

    private void CancelStale()
    {
        foreach (var (symbol, quotes) in _quotes)
        {
            if (quotes.LastTop is { } last && Clock.GetUtcNow() - last > _staleAfter && Ledger.OpenOrders.Any(o => o.Symbol == symbol))
            {
                Log.Warning("{Strategy}: no book update on {Symbol} for {Seconds} s: canceling quotes", Settings.Id, symbol, _staleAfter.TotalSeconds);
                CancelQuotes(symbol);
            }
        }
    }


    private sealed class Quotes
    {
        /// <summary>Placed, not yet heard of.</summary>
        public Dictionary<ClientOrderId, Side> Pending { get; } = new();

        public HashSet<ClientOrderId> Canceling { get; } = new();

        /// <summary>The mid the live quotes were posted at.</summary>
        public decimal? Mid { get; set; }

        public DateTimeOffset? LastTop { get; set; }

        public DateTimeOffset PausedUntil { get; set; }
    }

    private sealed record CheckStale;
}
