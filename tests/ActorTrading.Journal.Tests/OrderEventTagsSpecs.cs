using System.Collections.Immutable;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Core.Orders;
using Xunit;

namespace ActorTrading.Journal.Tests;

/// <summary>The tags an order event is journaled with, and the tags column the journal stores them in.</summary>
public sealed class OrderEventTagsSpecs
{
    private static readonly OrderEvents.Submitted Submitted = new(new ClientOrderId("quoter-000017"), "quo;ter", VenueId.KuCoin, MarketKind.Futures,
        new Symbol("XBTUSDTM"), Side.Sell, OrderType.Limit, 3, 67158.4m, TimeInForce.GoodTillCanceled, true, false, 1729163001000);

    [Fact]
    public void An_event_is_tagged_by_venue_symbol_strategy_and_kind_in_one_column()
    {
        var submitted = OrderEventTags.For(null, Submitted);
        var fill = OrderEventTags.For(OrderState.Start(Submitted),
            new OrderEvents.FillRecorded(Submitted.ClientOrderId, "t-1", 67158.4m, 1, null, null, null, FillSource.WebSocket, null, 1729163001780));

        Assert.Equal(";order-event;venue:kucoin;symbol:XBTUSDTM;strategy:quo_ter;kind:order-submitted;", submitted.Column);
        Assert.Equal(";order-event;venue:kucoin;symbol:XBTUSDTM;strategy:quo_ter;kind:fill-recorded;", fill.Column);
        Assert.Equal(["order-event", "venue:kucoin", "symbol:XBTUSDTM", "strategy:quo_ter", "kind:fill-recorded"], fill.ToArray());
    }

    [Fact]
    public void The_tags_behave_as_an_immutable_set_and_any_set_gets_the_same_column()
    {
        var tags = new JournalTags(["order-event", "venue:kucoin"]);

        Assert.Equal(2, tags.Count);
        Assert.True(tags.Contains("venue:kucoin"));
        Assert.False(tags.Contains("venue:binance"));
        Assert.True(tags.SetEquals(["venue:kucoin", "order-event"]));
        Assert.Equal(["order-event", "symbol:X", "venue:kucoin"], tags.Add("symbol:X").Order());
        Assert.Equal(["order-event"], tags.Remove("venue:kucoin"));
        Assert.Equal(";order-event;venue:kucoin;", JournalTags.ColumnOf(tags));
        Assert.Equal(";a;", JournalTags.ColumnOf(ImmutableHashSet.Create("a")));
        Assert.Equal(string.Empty, JournalTags.ColumnOf(ImmutableHashSet<string>.Empty));
        Assert.Equal(string.Empty, new JournalTags([]).Column);
    }
}
