using ActorTrading.Core.Market;
using ActorTrading.Core.Orders;
using ActorTrading.Journal;
using Akka.Event;

namespace ActorTrading.Strategies.Tests;

/// <summary>The README's strategy example, verbatim: buys Size at the bid when the spread is wider than MinSpread; one order at a time.</summary>
public sealed class SpreadCatcher : StrategyActor
{
    private readonly decimal _size, _minSpread;

    public SpreadCatcher(StrategyContext context) : base(context)
    {
        _size = Settings.Decimal("Size", 1m);
        _minSpread = Settings.Decimal("MinSpread", 0.5m);
    }

    protected override IReadOnlyCollection<DataChannel> Channels { get; } = [DataChannel.Book];

    protected override void OnBookTop(BookTop top)
    {
        if (top is { BestBid: { } bid, BestAsk: { } ask } && ask.Price - bid.Price >= _minSpread && !Ledger.OpenOrders.Any())
        {
            Place(top.Symbol, Side.Buy, OrderType.Limit, _size, bid.Price, postOnly: true);   // null while trading is halted
        }
    }

    protected override void OnOrderUpdate(OrderState order, IJournalEvent? e)
    {
        if (e is OrderEvents.FillRecorded fill)
        {
            Log.Info("bought {Size} at {Price}; position {Position}", fill.Size, fill.Price, Ledger.Position(order.Symbol, out _, out _));
        }
    }
}
