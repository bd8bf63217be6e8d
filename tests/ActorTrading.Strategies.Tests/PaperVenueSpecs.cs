using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Core.Orders;
using ActorTrading.Runtime.Bus;
using ActorTrading.Runtime.Orders;
using ActorTrading.Runtime.Venues;
using ActorTrading.Strategies.Paper;
using Akka.TestKit.Xunit2;
using Xunit;

namespace ActorTrading.Strategies.Tests;

/// <summary>The paper venue as an order door: answers like a venue's order entry, publishes updates like a private feed.</summary>
public sealed class PaperVenueSpecs : TestKit
{
    private static readonly Symbol Xbt = new("XBTUSDTM");
    private readonly LocalMarketDataBus _bus;
    private readonly Akka.Actor.IActorRef _venue;
    private readonly Akka.TestKit.TestProbe _updates;

    public PaperVenueSpecs()
    {
        _bus = new LocalMarketDataBus(Sys);
        _venue = Sys.ActorOf(PaperVenue.Props(new PaperVenueSettings(VenueId.KuCoin, MarketKind.Futures, new PaperFees(0.0002m, 0.0006m, "USDT"), TimeSpan.Zero), _bus));
        _updates = CreateTestProbe();
        _bus.Subscribe(_updates, TopicFilter.Parse("paper-kucoin.futures/orders/*"));
        _venue.Tell(new OrderEntryProtocol.Snapshot([Xbt]), TestActor);   // answered: it has subscribed to the book
        ExpectMsg<OrderEntryProtocol.VenueSnapshot>();
        _bus.Publish(new MarketDataTopic(VenueId.KuCoin, MarketKind.Futures, DataChannel.Book, Xbt),
            new BookTop(VenueId.KuCoin, MarketKind.Futures, Xbt, 1, new BookLevel(60000m, 4), new BookLevel(60001m, 3), 1));
    }

    private OrderEntryResult Place(OrderTicket ticket)
    {
        _venue.Tell(new OrderEntryProtocol.Place([ticket]), TestActor);
        return Assert.Single(ExpectMsg<OrderEntryProtocol.Results>().Items);
    }

    private static OrderTicket Buy(string id, decimal size, decimal price, TimeInForce tif = TimeInForce.GoodTillCanceled) =>
        new(new ClientOrderId(id), Xbt, Side.Buy, OrderType.Limit, size, price) { TimeInForce = tif };

    [Fact]
    public void With_its_sources_rules_a_paper_venue_waits_for_them_refuses_what_the_venue_would_and_charges_fees_per_contract_size()
    {
        var catalog = CreateTestProbe();
        var venue = Sys.ActorOf(PaperVenue.Props(new PaperVenueSettings(VenueId.KuCoin, MarketKind.Futures, new PaperFees(0.0002m, 0.0006m, "USDT"), TimeSpan.Zero), _bus,
            subscribeInstruments: paper => catalog.Ref.Tell(InstrumentCatalogProtocol.Subscribe.Instance, paper)));
        catalog.ExpectMsg<InstrumentCatalogProtocol.Subscribe>();
        venue.Tell(new OrderEntryProtocol.Place([Buy("early", 1, 60002m)]), TestActor);
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));   // no rules yet: it waits rather than guess
        _bus.Publish(new MarketDataTopic(VenueId.KuCoin, MarketKind.Futures, DataChannel.Book, Xbt),
            new BookTop(VenueId.KuCoin, MarketKind.Futures, Xbt, 1, new BookLevel(60000m, 4), new BookLevel(60001m, 3), 1));

        catalog.Reply(new InstrumentCatalogProtocol.Instruments(VenueId.KuCoin, MarketKind.Futures,
            new Dictionary<Symbol, InstrumentSpec> { [Xbt] = new(Xbt, 0.1m, 1m, 1m, 0.001m) { MaxSize = 100m } }, 0));
        Assert.Equal(new OrderAccepted(new ClientOrderId("early"), "p-early"), Assert.Single(ExpectMsg<OrderEntryProtocol.Results>().Items));
        var fill = _updates.ExpectMsg<OrderUpdate>();
        Assert.Equal((60001m, 60001m * 1 * 0.001m * 0.0006m), (fill.Fill!.Price, fill.Fill.Fee));   // taker fee on 0.001 BTC

        venue.Tell(new OrderEntryProtocol.Place([Buy("half", 0.5m, 59990m), Buy("offtick", 1, 59990.05m), Buy("huge", 101, 59990m),
            new OrderTicket(new ClientOrderId("eth"), new Symbol("ETHUSDTM"), Side.Buy, OrderType.Limit, 1, 3000m)]), TestActor);
        Assert.Equal(
            ["order-check: size 0.5 is below XBTUSDTM's minimum 1", "order-check: price 59990.05 is not a multiple of XBTUSDTM's tick size 0.1",
                "order-check: size 101 is above XBTUSDTM's maximum 100", "order-check: ETHUSDTM is not an instrument of kucoin futures"],
            ExpectMsg<OrderEntryProtocol.Results>().Items.Select(r => Assert.IsType<OrderRejected>(r).Error.ToString()));
    }

    [Fact]
    public void An_immediate_or_cancel_order_takes_what_the_best_level_has_and_the_rest_is_canceled()
    {
        Assert.Equal(new OrderAccepted(new ClientOrderId("ioc-1"), "p-ioc-1"), Place(Buy("ioc-1", 5, 60002m, TimeInForce.ImmediateOrCancel)));

        var fill = _updates.ExpectMsg<OrderUpdate>();
        Assert.Equal((OrderStatus.PartiallyFilled, 60001m, 3m, Liquidity.Taker), (fill.Status, fill.Fill!.Price, fill.Fill.Size, fill.Fill.Liquidity!.Value));
        var canceled = _updates.ExpectMsg<OrderUpdate>();
        Assert.Equal((OrderStatus.Canceled, 3m, (FillInfo?)null), (canceled.Status, canceled.FilledSize, canceled.Fill));

        _venue.Tell(new OrderEntryProtocol.Cancel([new CancelTicket(new ClientOrderId("ioc-1"), Xbt)]), TestActor);
        Assert.IsType<OrderRejected>(Assert.Single(ExpectMsg<OrderEntryProtocol.Results>().Items));
    }

    [Fact]
    public void A_paper_venue_remembers_its_open_orders_and_the_latest_finished_ones_not_every_order_of_a_long_run()
    {
        Place(Buy("resting", 1, 59000m));
        var orders = Enumerable.Range(1, PaperVenue.FinishedKept + 1).Select(n => Buy("ioc-" + n, 1, 59990m, TimeInForce.ImmediateOrCancel)).ToArray();
        _venue.Tell(new OrderEntryProtocol.Place(orders), TestActor);
        Assert.Equal(orders.Length, ExpectMsg<OrderEntryProtocol.Results>(TimeSpan.FromSeconds(30)).Items.Count(r => r is OrderAccepted));

        OrderEntryProtocol.OrderQueryAnswer Query(string id)
        {
            _venue.Tell(new OrderEntryProtocol.QueryOrder(new ClientOrderId(id), Xbt), TestActor);
            return ExpectMsg<OrderEntryProtocol.OrderQueryAnswer>();
        }

        // Every IOC order found nothing to take at 59,990 and was canceled; the first one is forgotten, the latest known.
        Assert.Null(Query("ioc-1").Report);
        Assert.Equal(OrderLifecycle.Canceled, Query("ioc-2").Report!.Status);
        Assert.Equal(OrderLifecycle.Canceled, Query("ioc-" + orders.Length).Report!.Status);
        Assert.Equal(OrderLifecycle.Acknowledged, Query("resting").Report!.Status);   // an open order is kept however old
    }

    [Fact]
    public void A_fill_or_kill_order_fills_whole_at_the_best_level_or_not_at_all()
    {
        Place(Buy("fok-big", 5, 60002m, TimeInForce.FillOrKill));
        var killed = _updates.ExpectMsg<OrderUpdate>();
        Assert.Equal((OrderStatus.Canceled, 0m), (killed.Status, killed.FilledSize));

        Place(Buy("fok-ok", 2, 60002m, TimeInForce.FillOrKill));
        var filled = _updates.ExpectMsg<OrderUpdate>();
        Assert.Equal((OrderStatus.Filled, 60001m, 2m), (filled.Status, filled.Fill!.Price, filled.Fill.Size));
    }

    [Fact]
    public void Bad_tickets_are_refused_one_by_one_and_a_resting_order_can_be_amended_and_canceled()
    {
        _venue.Tell(new OrderEntryProtocol.Place([Buy("ok", 1, 59990m), Buy("zero", 0, 59990m), new OrderTicket(new ClientOrderId("noprice"), Xbt, Side.Buy, OrderType.Limit, 1)]), TestActor);
        var results = ExpectMsg<OrderEntryProtocol.Results>().Items;
        Assert.IsType<OrderAccepted>(results[0]);
        Assert.Equal("configuration: size must be positive", Assert.IsType<OrderRejected>(results[1]).Error.ToString());
        Assert.Equal("configuration: a limit order needs a positive price", Assert.IsType<OrderRejected>(results[2]).Error.ToString());

        _venue.Tell(new OrderEntryProtocol.Amend(new AmendTicket(new ClientOrderId("ok"), Xbt, 59995m, 2m)), TestActor);
        Assert.IsType<OrderAccepted>(Assert.Single(ExpectMsg<OrderEntryProtocol.Results>().Items));
        _venue.Tell(new OrderEntryProtocol.Snapshot([Xbt]), TestActor);
        var open = Assert.Single(ExpectMsg<OrderEntryProtocol.VenueSnapshot>().OpenOrders);
        Assert.Equal(("p-ok", 2m), (open.VenueOrderId, open.Size));

        _venue.Tell(new OrderEntryProtocol.Cancel([new CancelTicket(new ClientOrderId("ok"), Xbt)]), TestActor);
        Assert.IsType<OrderAccepted>(Assert.Single(ExpectMsg<OrderEntryProtocol.Results>().Items));
        _venue.Tell(new OrderEntryProtocol.Snapshot([Xbt]), TestActor);
        Assert.Empty(ExpectMsg<OrderEntryProtocol.VenueSnapshot>().OpenOrders);
        _updates.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }
}
