using System.Runtime.Serialization;
using System.Text;
using ActorTrading.Core;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Core.Orders;
using ActorTrading.Journal;
using ActorTrading.Runtime.Books;
using ActorTrading.Runtime.Cluster;
using ActorTrading.Runtime.Feeds;
using ActorTrading.Runtime.Orders;
using ActorTrading.Runtime.Venues;
using ActorTrading.Strategies;
using Akka.Actor;
using Akka.Configuration;
using Xunit;

namespace ActorTrading.Cluster.Tests;

public sealed class WireSerializerSpecs : IDisposable
{
    private static readonly VenueId KuCoin = VenueId.KuCoin;
    private static readonly Symbol Xbt = new("XBTUSDTM");

    private readonly ActorSystem _system = ActorSystem.Create("wire", ConfigurationFactory.ParseString(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "hocon.conf"))));

    public void Dispose() => _system.Dispose();

    /// <summary>Through the actor system's own serialization, as remoting does it: serializer by binding, bytes, manifest, back.</summary>
    private T RoundTrip<T>(T message)
        where T : notnull
    {
        var serializer = _system.Serialization.FindSerializerFor(message);
        Assert.IsAssignableFrom<WireJsonSerializer>(serializer);
        var bytes = serializer.ToBinary(message);
        var manifest = Akka.Serialization.Serialization.ManifestFor(serializer, message);
        return Assert.IsType<T>(_system.Serialization.Deserialize(bytes, serializer.Identifier, manifest));
    }

    /// <summary>Every concrete type of <paramref name="assemblies"/> marked <paramref name="marker"/> has a manifest in <paramref name="known"/>.</summary>
    private static void EveryMarkedTypeIsListed(Type marker, IReadOnlyCollection<Type> known, int atLeast, params System.Reflection.Assembly[] assemblies)
    {
        var crossing = assemblies.SelectMany(a => a.GetTypes())
            .Where(t => marker.IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
            .ToArray();

        Assert.True(crossing.Length >= atLeast, $"only {crossing.Length} {marker.Name} types found");
        Assert.Empty(crossing.Except(known).Select(t => t.FullName));
    }

    [Fact]
    public void Every_message_that_may_cross_nodes_has_a_manifest() =>
        EveryMarkedTypeIsListed(typeof(ICrossNodeMessage), WireSerializer.KnownTypes, 40, typeof(ICrossNodeMessage).Assembly, typeof(WireSerializer).Assembly);

    [Fact]
    public void A_trade_crosses_with_every_field_and_a_versioned_manifest()
    {
        var trade = new Trade(KuCoin, MarketKind.Futures, Xbt, 1_700_000_000_123, 1_700_000_000_456, "t-77", Side.Sell, 90_000.1m, 0.00012345m, 42);
        var serializer = _system.Serialization.FindSerializerFor(trade);

        Assert.Equal(WireSerializer.Id, serializer.Identifier);
        Assert.Equal("trade.v1", Akka.Serialization.Serialization.ManifestFor(serializer, trade));
        Assert.Equal(trade, RoundTrip(trade));
    }

    [Fact]
    public void A_book_delta_keeps_its_levels_sequences_and_chain_and_a_missing_sequence_list_stays_missing()
    {
        var delta = new OrderBookUpdate(KuCoin, MarketKind.Futures, Xbt, 10, 11, DataChannel.BookDelta, BookUpdateKind.Delta, 100, 102,
            [new BookLevel(89_999.9m, 5m), new BookLevel(89_999.8m, 0m)], [new BookLevel(90_000.1m, 7.5m)], PreviousSequence: 99);
        var back = RoundTrip(delta);

        Assert.Equal([new BookLevel(89_999.9m, 5m), new BookLevel(89_999.8m, 0m)], back.Bids.ToArray());
        Assert.Equal([new BookLevel(90_000.1m, 7.5m)], back.Asks.ToArray());
        Assert.Equal((100L, 102L, 99L), (back.FirstSequence, back.LastSequence, back.PreviousSequence));
        Assert.True(back.BidSequences.IsDefault);
        Assert.Equal(DataChannel.BookDelta, back.Channel);

        var perLevel = delta with { BidSequences = [7, 8], AskSequences = [9] };
        Assert.Equal([7L, 8L], RoundTrip(perLevel).BidSequences.ToArray());
    }

    [Fact]
    public void Order_entry_results_keep_their_kind_and_typed_errors()
    {
        var results = new OrderEntryProtocol.Results(
        [
            new OrderAccepted(new ClientOrderId("a-1"), "v-1"),
            new OrderRejected(new ClientOrderId("a-2"), new ApiError("300003", "Balance insufficient", 200)),
            new OrderRejected(new ClientOrderId("a-3"), new RateLimitedError("slow down", TimeSpan.FromSeconds(3))),
            new OrderStatusUnknown(new ClientOrderId("a-4"), "timeout"),
        ]);
        var back = RoundTrip(results).Items;

        Assert.Equal(results.Items, back);
        Assert.Equal("300003", Assert.IsType<ApiError>(Assert.IsType<OrderRejected>(back[1]).Error).VenueCode);
        Assert.Equal(TimeSpan.FromSeconds(3), Assert.IsType<RateLimitedError>(Assert.IsType<OrderRejected>(back[2]).Error).RetryAfter);
    }

    [Fact]
    public void A_place_command_keeps_every_ticket_field()
    {
        var ticket = new OrderTicket(new ClientOrderId("q-1"), Xbt, Side.Buy, OrderType.Limit, 3m, 89_000.5m)
        {
            PostOnly = true,
            ReduceOnly = true,
            Leverage = 5,
            Stop = new StopTrigger(TriggerDirection.FallsTo, 88_000m, TriggerPrice.Mark),
        };
        var back = RoundTrip(new OrderEntryProtocol.Place([ticket]));

        Assert.Equal(ticket, Assert.Single(back.Orders));
        Assert.Equal([new ClientOrderId("q-1")], back.ClientOrderIds);
    }

    [Fact]
    public void A_venue_snapshot_keeps_orders_fills_and_positions_and_unknown_positions_stay_unknown()
    {
        var snapshot = new OrderEntryProtocol.VenueSnapshot(
            [new VenueOrderReport(new ClientOrderId("q-1"), "v-1", Xbt, OrderLifecycle.PartiallyFilled, 3m, 1m)],
            [new VenueFillReport("v-1", Xbt, new FillInfo("f-1", 89_000.5m, 1m, 0.02m, "USDT", Liquidity.Maker), 1_700_000_000_000)],
            null, null, new NetworkError("positions timed out", IsTimeout: true));
        var back = RoundTrip(snapshot);

        Assert.Equal(snapshot.OpenOrders, back.OpenOrders);
        Assert.Equal(snapshot.RecentFills, back.RecentFills);
        Assert.Null(back.Positions);
        Assert.Equal("timeout", back.PositionsError!.Code);
    }

    [Fact]
    public void Instruments_by_symbol_and_a_venue_status_cross_whole()
    {
        var spec = new InstrumentSpec(Xbt, 0.1m, 1m, 1m, 0.001m) { MinNotional = 5m };
        var instruments = RoundTrip(new InstrumentCatalogProtocol.Instruments(KuCoin, MarketKind.Futures, new Dictionary<Symbol, InstrumentSpec> { [Xbt] = spec }, 123));
        Assert.Equal(spec, instruments.BySymbol[Xbt]);

        var status = new ExchangeSupervisorProtocol.VenueStatus("kucoin-futures",
            [new FeedConnectionProtocol.Status("public", FeedConnectionProtocol.State.Streaming, 3, 10, 0, 2, 1234, DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000), null)],
            [new OrderBookProtocol.BookView(Xbt, BookHealth.Synced, 77, [new BookLevel(1m, 2m)], [new BookLevel(3m, 4m)], 1)], null);
        var back = RoundTrip(status);

        Assert.Equal(status.Feeds, back.Feeds);
        var book = Assert.Single(back.Books);
        Assert.Equal((BookHealth.Synced, 77L, new BookLevel(1m, 2m), new BookLevel(3m, 4m)), (book.Health, book.Sequence, book.Bids[0], book.Asks[0]));
    }

    [Fact]
    public void Parameterless_messages_come_back_as_their_one_instance()
    {
        Assert.Same(ExchangeSupervisorProtocol.GetStatus.Instance, RoundTrip(ExchangeSupervisorProtocol.GetStatus.Instance));
        Assert.Same(InstrumentCatalogProtocol.Subscribe.Instance, RoundTrip(InstrumentCatalogProtocol.Subscribe.Instance));
    }

    [Fact]
    public void A_stopped_feed_keeps_why()
    {
        var stopped = new FeedStopped(KuCoin, MarketKind.Futures, "private", 5, new AuthenticationError("key revoked", "400003"));
        Assert.Equal(stopped, RoundTrip(stopped));
    }

    [Fact]
    public void An_unlisted_type_or_manifest_is_a_clear_error()
    {
        var serializer = new WireSerializer((ExtendedActorSystem)_system);

        var unlisted = Assert.Throws<SerializationException>(() => serializer.ToBinary(new UnlistedMessage()));
        Assert.Contains(nameof(UnlistedMessage), unlisted.Message);
        var unknown = Assert.Throws<SerializationException>(() => serializer.FromBinary(Encoding.UTF8.GetBytes("{}"), "trade.v99"));
        Assert.Contains("trade.v99", unknown.Message);
    }

    [Fact]
    public void Every_order_message_that_may_cross_nodes_has_a_manifest() =>
        EveryMarkedTypeIsListed(typeof(IOrderWireMessage), OrderWireSerializer.KnownTypes, 23, typeof(OrderGateway).Assembly);

    [Fact]
    public void A_placement_keeps_every_field_and_names_the_same_order()
    {
        var place = new OrderGatewayProtocol.PlaceOrder("quoter", "r-7", KuCoin, MarketKind.Futures, Xbt, Side.Sell, OrderType.Limit, 2m, 90_100.5m)
        {
            TimeInForce = TimeInForce.ImmediateOrCancel,
            PostOnly = true,
            Leverage = 3,
            ReferencePrice = 90_000m,
            Stop = new StopTrigger(TriggerDirection.RisesTo, 91_000m),
        };
        var back = RoundTrip(place);

        Assert.Equal(place, back);
        Assert.Equal(place.ClientOrderId, back.ClientOrderId);
        Assert.Equal("place-order.v1", Akka.Serialization.Serialization.ManifestFor(_system.Serialization.FindSerializerFor(place), place));
    }

    [Fact]
    public void An_order_status_carries_the_state_and_the_event_as_the_journal_writes_them()
    {
        var id = new ClientOrderId("quoter-run-1");
        var submitted = new OrderEvents.Submitted(id, "quoter", KuCoin, MarketKind.Futures, Xbt, Side.Buy, OrderType.Limit, 3m, 89_000.5m, TimeInForce.GoodTillCanceled, false, false, 1_700_000_000_000, "run");
        var fill = new OrderEvents.FillRecorded(id, "t-1", 89_000.5m, 1m, 0.0178m, "USDT", Liquidity.Maker, FillSource.WebSocket, "v-1", 1_700_000_000_500);
        var state = OrderState.Start(submitted).Apply(new OrderEvents.Acknowledged(id, "v-1", 1_700_000_000_100)).Apply(fill);
        var back = RoundTrip(new OrderGatewayProtocol.OrderStatus(state, fill));

        Assert.Equal(state with { TradeIds = back.State.TradeIds }, back.State);
        Assert.Equal(["t-1"], back.State.TradeIds);
        Assert.Equal(fill, back.Event);
        Assert.Null(RoundTrip(new OrderGatewayProtocol.OrderStatus(state, null)).Event);
    }

    [Fact]
    public void What_the_gateway_and_a_sharded_order_say_to_each_other_keeps_every_field()
    {
        var id = new ClientOrderId("quoter-r-9");
        var ticket = new OrderTicket(id, Xbt, Side.Sell, OrderType.Limit, 2m, 90_100.5m)
        {
            TimeInForce = TimeInForce.FillOrKill,
            ReduceOnly = true,
            Leverage = 5,
            Stop = new StopTrigger(TriggerDirection.FallsTo, 89_000m),
        };
        var submit = RoundTrip(new OrderActorProtocol.Submit(ticket, "quoter", KuCoin, MarketKind.Futures));
        Assert.Equal((ticket, "quoter", KuCoin, MarketKind.Futures, id), (submit.Ticket, submit.StrategyId, submit.Venue, submit.Market, submit.ClientOrderId));

        var refused = new OrderActorProtocol.SubmitRefused(ticket, "quoter", KuCoin, MarketKind.Futures, "risk:max-order-size", "2 > 1");
        Assert.Equal(refused, RoundTrip(refused));
        var update = new OrderUpdate(KuCoin, MarketKind.Futures, Xbt, 1_700_000_000_000, 1_700_000_000_002, "v-9", id, Side.Sell, OrderStatus.PartiallyFilled,
            90_100.5m, 2m, 0.5m, new FillInfo("t-9", 90_100.5m, 0.5m, null, null, Liquidity.Taker));
        Assert.Equal(new OrderActorProtocol.VenueUpdate(id, update), RoundTrip(new OrderActorProtocol.VenueUpdate(id, update)));
        var fill = new OrderActorProtocol.ReportFill(id, new FillInfo("t-10", 90_100m, 1.5m, 0.02m, "USDT", Liquidity.Maker), FillSource.Reconciliation, "v-9", 1_700_000_000_500);
        Assert.Equal(fill, RoundTrip(fill));
        var venueState = new OrderActorProtocol.ReportVenueState(id, OrderLifecycle.Canceled, 0.5m, "v-9", 1_700_000_000_600);
        Assert.Equal(venueState, RoundTrip(venueState));
        var absent = new OrderActorProtocol.ReportNotAtVenue(id, 1_700_000_000_700, OrderLifecycle.Submitted, null);
        Assert.Equal(absent, RoundTrip(absent));
        Assert.Equal(new OrderActorProtocol.Amend(id, 90_000m, null), RoundTrip(new OrderActorProtocol.Amend(id, 90_000m, null)));
        Assert.Equal(new OrderActorProtocol.Cancel(id), RoundTrip(new OrderActorProtocol.Cancel(id)));
        Assert.Equal(new OrderActorProtocol.GetState(id), RoundTrip(new OrderActorProtocol.GetState(id)));
        var commandRefused = new OrderActorProtocol.CommandRefused(id, "quoter", "cancel", new ConfigurationError("order is already Filled"));
        Assert.Equal(commandRefused, RoundTrip(commandRefused));
        Assert.Same(OrderActorProtocol.Stop.Instance, RoundTrip(OrderActorProtocol.Stop.Instance));
        Assert.Equal("order-submit.v1", Akka.Serialization.Serialization.ManifestFor(_system.Serialization.FindSerializerFor(submit), submit));
    }

    [Fact]
    public void A_change_of_a_sharded_order_carries_its_state_and_event_as_journaled()
    {
        var id = new ClientOrderId("quoter-run-2");
        var submitted = new OrderEvents.Submitted(id, "quoter", KuCoin, MarketKind.Futures, Xbt, Side.Buy, OrderType.Market, 1m, null, TimeInForce.ImmediateOrCancel, false, true, 1_700_000_000_000, null);
        var state = OrderState.Start(submitted);
        var back = RoundTrip(new OrderActorProtocol.Changed(state, submitted));

        Assert.Equal(state with { TradeIds = back.State.TradeIds }, back.State);
        Assert.Empty(back.State.TradeIds);
        Assert.Equal(submitted, back.Event);
    }

    [Fact]
    public void Every_strategy_message_that_may_cross_nodes_has_a_manifest_and_a_signal_keeps_every_field()
    {
        EveryMarkedTypeIsListed(typeof(IStrategyWireMessage), StrategyWireSerializer.KnownTypes, 1, typeof(StrategyWireSerializer).Assembly);
        var signal = new StrategyProtocol.Signal("funding", KuCoin, MarketKind.Futures, Xbt, "funding-rate", "rate 0.0007 above 0.0005", 0.0007m, 1_700_000_000_000);
        Assert.Equal(signal, RoundTrip(signal));
        Assert.Equal("signal.v1", Akka.Serialization.Serialization.ManifestFor(_system.Serialization.FindSerializerFor(signal), signal));
        Assert.True(ActorTrading.Runtime.Bus.ClusterMarketDataBus.Crosses(DataChannel.Signals));
    }

    [Fact]
    public void A_type_of_ours_without_a_wire_serializer_is_refused_at_the_sender_while_others_keep_akkas_json()
    {
        var unmarked = new UnmarkedMessage("kucoin", 3);
        var serializer = _system.Serialization.FindSerializerFor(unmarked);

        Assert.Equal(StrictFallbackSerializer.Id, serializer.Identifier);
        var refused = Assert.Throws<SerializationException>(() => serializer.ToBinary(unmarked));
        Assert.StartsWith($"{typeof(UnmarkedMessage).FullName} has no wire serializer", refused.Message);

        var foreign = new List<int> { 1, 2, 3 };
        var fallback = _system.Serialization.FindSerializerFor(foreign);
        Assert.Equal(StrictFallbackSerializer.Id, fallback.Identifier);
        Assert.Equal(foreign, (List<int>)_system.Serialization.Deserialize(fallback.ToBinary(foreign), fallback.Identifier, typeof(List<int>)));
    }

    private sealed record UnmarkedMessage(string Venue, int Count);

    private sealed record UnlistedMessage : ICrossNodeMessage;
}
