using System.Collections.Concurrent;
using System.Collections.Immutable;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Core.Orders;
using ActorTrading.Journal;
using ActorTrading.Runtime.Bus;
using ActorTrading.Runtime.Venues;
using ActorTrading.Strategies.Paper;
using ActorTrading.TestExchange;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Xunit;
using Xunit.Abstractions;

namespace ActorTrading.Strategies.Tests;

/// <summary>
/// Strategies on a real actor system and a real SQLite journal: strategy → order gateway → paper venue → fills →
/// journal → strategy, with market data published on the bus as the feeds publish it.
/// </summary>
public sealed class StrategySpecs : TestKit
{
    private static readonly VenueId KuCoin = VenueId.KuCoin;
    private static readonly Symbol Xbt = new("XBTUSDTM");
    private static readonly Symbol Eth = new("ETHUSDTM");
    private static readonly PaperFees Fees = new(0.0002m, 0.0006m, "USDT");

    /// <summary>KuCoin's XBTUSDTM and ETHUSDTM rules: 0.1 ticks, whole contracts, 0.001 BTC (0.01 ETH) a contract.</summary>
    private static readonly InstrumentCatalogProtocol.Instruments Rules = new(KuCoin, MarketKind.Futures, new Dictionary<Symbol, InstrumentSpec>
    {
        [Xbt] = new(Xbt, 0.1m, 1m, 1m, 0.001m),
        [Eth] = new(Eth, 0.01m, 1m, 1m, 0.01m),
    }, 0);
    private readonly SqliteJournalDatabase _database;
    private readonly LocalMarketDataBus _bus;
    private readonly List<StrategySettings> _strategies = [];

    public StrategySpecs(ITestOutputHelper output) : this(new SqliteJournalDatabase(), output)
    {
    }

    private StrategySpecs(SqliteJournalDatabase database, ITestOutputHelper output)
        : base(database.SystemConfig(), output: output)
    {
        _database = database;
        _bus = new LocalMarketDataBus(Sys);
    }

    [Fact]
    public void A_strategy_receives_exactly_its_subscriptions()
    {
        Start(Recording("watcher"));
        AwaitReady("watcher");

        _bus.Publish(Trade(Eth, 3000m));
        _bus.Publish(new Ticker(KuCoin, MarketKind.Futures, Xbt, 1, 1, 59999m, 1, 60001m, 1, 60000m, 1));
        _bus.Publish(Trade(Xbt, 60000m) with { Venue = new VenueId("binance") });
        _bus.Publish(Trade(Xbt, 60000m) with { Market = MarketKind.Spot });
        _bus.Publish(Trade(Xbt, 60123m));

        var seen = ExpectMsg<Trade>();
        Assert.Equal((KuCoin, Xbt, 60123m), (seen.Venue, seen.Symbol, seen.Price));
        ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public void Quotes_flow_to_the_paper_venue_fill_on_a_trade_through_and_come_back_journaled()
    {
        var gateway = Gateway();
        Start(gateway, Settings("quoter", "quoting", new Dictionary<string, string>
        {
            ["Size"] = "1",
            ["HalfSpreadBps"] = "5",
            ["SkewBpsPerUnit"] = "0",
            ["TickSize"] = "0.5",
        }));
        AwaitReady("quoter");

        _bus.Publish(BookTopic(Xbt), Top(Xbt, 60000m, 4, 60001m, 3));

        // mid 60000.5 ± 5 bps on a 0.5 tick: bid 59970.0 (down), ask 60031.0 (up).
        AwaitAssert(() => Assert.Equal(2, Status("quoter").OpenOrders), TimeSpan.FromSeconds(10));
        var quotes = AwaitOrders(2).Where(o => o.StrategyId == "quoter").OrderBy(o => o.Side).ToArray();
        Assert.Equal([(Side.Buy, 59970.0m, 1m), (Side.Sell, 60031.0m, 1m)], quotes.Select(o => (o.Side, o.Price!.Value, o.Size)));
        Assert.All(quotes, o => Assert.Equal(new VenueId("paper-kucoin"), o.Venue));

        _bus.Publish(Trade(Xbt, 59969.5m, size: 2));

        AwaitAssert(() => Assert.Equal(1, Status("quoter").Fills), TimeSpan.FromSeconds(10));
        var status = Status("quoter");
        var position = Assert.Single(status.Positions);
        Assert.Equal((Xbt, 1m), (position.Symbol, position.Size));
        Assert.Equal(59970.0m * 1 * 0.001m * 0.0002m, status.Fees);

        var fills = Journal().Select(r => r.Event).OfType<OrderEvents.FillRecorded>().ToArray();
        var fill = Assert.Single(fills);
        Assert.Equal((quotes[0].ClientOrderId, 59970.0m, 1m, Liquidity.Maker, "USDT"), (fill.ClientOrderId, fill.Price, fill.Size, fill.Liquidity!.Value, fill.FeeCurrency));
        Assert.Equal(59970.0m * 0.001m * 0.0002m, fill.Fee);
    }

    [Fact]
    public void The_quoter_requotes_when_the_mid_moves_and_cancels_on_a_stale_book()
    {
        var gateway = Gateway();
        Start(gateway, Settings("requoter", "quoting", new Dictionary<string, string>
        {
            ["Size"] = "1",
            ["HalfSpreadBps"] = "5",
            ["SkewBpsPerUnit"] = "0",
            ["TickSize"] = "0.5",
            ["RequoteBps"] = "2",
            ["StaleSeconds"] = "1",
        }));
        AwaitReady("requoter");
        _bus.Publish(BookTopic(Xbt), Top(Xbt, 60000m, 4, 60001m, 3));
        AwaitOrders(2);

        // The mid moves 30 (5 bps > 2): both quotes are canceled, then posted around 60030.5 on the next book update.
        _bus.Publish(BookTopic(Xbt), Top(Xbt, 60030m, 4, 60031m, 3));
        AwaitAssert(() => Assert.Equal(2, Status("requoter").Orders - Status("requoter").OpenOrders), TimeSpan.FromSeconds(10));
        _bus.Publish(BookTopic(Xbt), Top(Xbt, 60030m, 4, 60031m, 2));
        var requoted = AwaitOrders(2).OrderBy(o => o.Side).ToArray();
        Assert.Equal([(Side.Buy, 60000.0m), (Side.Sell, 60061.0m)], requoted.Select(o => (o.Side, o.Price!.Value)));

        // No book update for over a second: the quotes go.
        AwaitAssert(() => Assert.Equal(0, Status("requoter").OpenOrders), TimeSpan.FromSeconds(10));
        Assert.Equal(4, Journal().Select(r => r.Event).OfType<OrderEvents.Canceled>().Count());
    }

    [Fact]
    public void When_the_node_stops_every_strategy_cancels_its_open_orders_and_places_no_more()
    {
        var gateway = Gateway();
        var supervisor = Start(gateway, Settings("closer", "quoting", new Dictionary<string, string> { ["TickSize"] = "0.5" }));
        AwaitReady("closer");
        _bus.Publish(BookTopic(Xbt), Top(Xbt, 60000m, 4, 60001m, 3));
        AwaitOrders(2);

        supervisor.Tell(StrategyProtocol.CancelAllOrders.Instance, TestActor);

        ExpectMsg<StrategyProtocol.OrdersClosed>(TimeSpan.FromSeconds(10));
        Assert.Equal(0, Status("closer").OpenOrders);
        Assert.Equal(2, Journal().Select(r => r.Event).OfType<OrderEvents.Canceled>().Count());
        _bus.Publish(BookTopic(Xbt), Top(Xbt, 60100m, 4, 60101m, 3));
        Thread.Sleep(300);
        Assert.Equal(2, Status("closer").Orders);
    }

    [Fact]
    public void A_strategy_asks_the_node_for_a_full_book_and_gets_it()
    {
        var exchanges = CreateTestProbe();
        Start(ActorRefs.Nobody, exchanges, Recording("reader"));
        AwaitReady("reader");

        Sys.ActorSelection("/user/strategies/reader").Tell(new RecordingStrategy.ReadBook(10));

        var ask = exchanges.ExpectMsg<ActorTrading.Runtime.Venues.ExchangesRootProtocol.ToVenue>();
        Assert.Equal((KuCoin, MarketKind.Futures), (ask.Venue, ask.Market));
        Assert.Equal(new ActorTrading.Runtime.Venues.ExchangeSupervisorProtocol.GetBook(Xbt, 10), ask.Message);
        exchanges.Reply(new ActorTrading.Runtime.Books.OrderBookProtocol.BookView(Xbt, BookHealth.Synced, 77,
            [new BookLevel(60000m, 4), new BookLevel(59999.5m, 1)], [new BookLevel(60001m, 3)], 0));
        var book = ExpectMsg<ActorTrading.Runtime.Books.OrderBookProtocol.BookView>();
        Assert.Equal((77L, 2, 60001m), (book.Sequence, book.Bids.Count, book.Asks[0].Price));
    }

    [Fact]
    public void Risk_limits_stop_an_over_trading_strategy_and_it_is_told()
    {
        var gateway = Gateway();
        Start(gateway, Recording("eager", new RiskLimits { MaxOrdersPerSecond = 2 }));
        AwaitReady("eager");

        Sys.ActorSelection("/user/strategies/eager").Tell(new RecordingStrategy.PlaceMany(4, 59000m));

        var finals = new Dictionary<ClientOrderId, OrderState>();
        FishForMessage<OrderState>(s =>
        {
            finals[s.ClientOrderId] = s;
            return finals.Values.Count(o => o.Status is OrderLifecycle.Acknowledged or OrderLifecycle.Rejected) == 4;
        }, TimeSpan.FromSeconds(10));
        Assert.Equal(2, finals.Values.Count(o => o.Status == OrderLifecycle.Acknowledged));
        var refused = finals.Values.Where(o => o.Status == OrderLifecycle.Rejected).ToArray();
        Assert.Equal(2, refused.Length);
        Assert.All(refused, o => Assert.StartsWith("risk:max-orders-per-second", o.LastReason));
        Assert.Equal(2, Journal().Select(r => r.Event).OfType<OrderEvents.Rejected>().Count(r => r.Code == "risk:max-orders-per-second"));
    }

    [Fact]
    public void Trading_is_halted_until_the_book_is_synced_and_again_when_it_goes_stale()
    {
        var gateway = Gateway();
        Start(gateway, Recording("booker", channels: "book"));
        AwaitReady("booker");
        var strategy = Sys.ActorSelection("/user/strategies/booker");

        strategy.Tell(new RecordingStrategy.PlaceMany(1, 59000m));
        Assert.Equal("refused: book not synced yet", ExpectMsg<string>());

        _bus.Publish(BookTopic(Xbt), Top(Xbt, 60000m, 4, 60001m, 3));
        Assert.Equal("resumed XBTUSDTM", FishForMessage<string>(m => m.StartsWith("resumed", StringComparison.Ordinal)));
        strategy.Tell(new RecordingStrategy.PlaceMany(1, 59000m));
        Assert.Equal(OrderLifecycle.Submitted, ExpectMsg<OrderState>().Status);

        _bus.Publish(BookTopic(Xbt), new BookHealthChanged(KuCoin, MarketKind.Futures, Xbt, BookHealth.Stale, "no update for 30 s", 7, 1));
        Assert.Equal("halted XBTUSDTM: book Stale: no update for 30 s", FishForMessage<string>(m => m.StartsWith("halted", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_strategy_that_throws_is_restarted_and_the_feeds_keep_streaming()
    {
        var other = CreateTestProbe();
        _bus.Subscribe(other, TopicFilter.Parse("kucoin.futures/trades/XBTUSDTM"));
        Start(Recording("fragile"));
        AwaitReady("fragile");
        var strategy = Sys.ActorSelection("/user/strategies/fragile");

        EventFilter.Exception<InvalidOperationException>("boom").ExpectOne(() => strategy.Tell(new RecordingStrategy.Boom()));
        AwaitReady("fragile");
        _bus.Publish(Trade(Xbt, 60500m));

        Assert.Equal(60500m, ExpectMsg<Trade>().Price);
        Assert.Equal(60500m, other.ExpectMsg<Trade>().Price);
    }

    [Fact]
    public void A_restarted_supervisor_brings_every_strategy_back_and_still_closes_their_orders()
    {
        var gateway = Gateway();
        StrategySettings[] strategies = [Settings("alpha", "quoting", new Dictionary<string, string> { ["TickSize"] = "0.5" }), Recording("beta")];
        _strategies.AddRange(strategies);
        var props = StrategiesSupervisor.Props(strategies, s => new StrategyContext(
            s, _bus, gateway, TimeProvider.System, _run, ct => AuditQueries.LoadAsync(Sys, OrderEventTags.Strategy(s.Id), ct)));
        Sys.ActorOf(Props.Create(() => new RestartingParent(props)), "parent");
        var supervisor = Sys.ActorSelection("/user/parent/strategies");

        for (var restart = 0; restart <= 3; restart++)
        {
            if (restart > 0)
            {
                supervisor.Tell(Kill.Instance);
            }

            AwaitAssert(() =>
            {
                var statuses = supervisor.Ask<StrategiesProtocol.Statuses>(StrategiesProtocol.GetStatuses.Instance, TimeSpan.FromSeconds(3)).Result;
                Assert.Equal(["alpha", "beta"], statuses.Items.Where(x => x.Ready).Select(x => x.Id));
            }, TimeSpan.FromSeconds(10));
        }

        _bus.Publish(BookTopic(Xbt), Top(Xbt, 60000m, 4, 60001m, 3));
        AwaitOrders(2);
        supervisor.Tell(StrategyProtocol.CancelAllOrders.Instance, TestActor);
        ExpectMsg<StrategyProtocol.OrdersClosed>(TimeSpan.FromSeconds(10));
        Assert.Equal(2, Journal().Select(r => r.Event).OfType<OrderEvents.Canceled>().Count());
    }

    [Fact]
    public void A_restarted_strategy_goes_on_numbering_its_orders_and_reuses_no_client_order_id()
    {
        var gateway = Gateway();
        Start(gateway, Recording("phoenix"));
        AwaitReady("phoenix");
        var strategy = Sys.ActorSelection("/user/strategies/phoenix");
        strategy.Tell(new RecordingStrategy.PlaceMany(2, 59000m));
        var before = FishUntilAcknowledged(2);

        EventFilter.Exception<InvalidOperationException>("boom").ExpectOne(() => strategy.Tell(new RecordingStrategy.Boom()));
        AwaitReady("phoenix");
        strategy.Tell(new RecordingStrategy.PlaceMany(1, 59000m));
        var after = FishUntilAcknowledged(1);

        Assert.Equal([$"phoenix-{_run}-1", $"phoenix-{_run}-2", $"phoenix-{_run}-3"], before.Concat(after).Select(o => o.ClientOrderId.Value).Order());
        Assert.Equal(3, Journal().Select(r => r.Event).OfType<OrderEvents.Submitted>().Count(e => e.StrategyId == "phoenix" && e.RunId == _run.Value));
    }

    [Fact]
    public void A_strategy_has_the_actor_of_its_next_order_prepared_when_ready_and_when_its_latest_placement_is_answered()
    {
        // The desk as the strategy sees it: every message goes on to the real one (paper venue), and is kept here.
        var desk = CreateTestProbe();
        var gateway = Gateway();
        desk.SetAutoPilot(new Akka.TestKit.DelegateAutoPilot((sender, message) =>
        {
            gateway.Tell(message, sender);
            return Akka.TestKit.AutoPilot.KeepRunning;
        }));
        Start(desk.Ref, Recording("eager_beaver"));
        AwaitReady("eager_beaver");
        var strategy = Sys.ActorSelection("/user/strategies/eager_beaver");

        strategy.Tell(new RecordingStrategy.PlaceMany(1, 59000m));
        FishUntilAcknowledged(1);
        strategy.Tell(new RecordingStrategy.PlaceMany(2, 59000m));
        FishUntilAcknowledged(2);

        // Ready: the first order's actor; each answered latest placement: the next one's. Never one per placement:
        // the second of two placed together is the latest when the first is answered.
        var seen = Enumerable.Range(0, 6).Select(_ => desk.ExpectMsg<object>(TimeSpan.FromSeconds(5))).Select(m => m switch
        {
            OrderGatewayProtocol.PrepareOrder p => ("prepare", p.RequestId, p.ClientOrderId),
            OrderGatewayProtocol.PlaceOrder p => ("place", p.RequestId, p.ClientOrderId),
            _ => (m.GetType().Name, "", default(ClientOrderId)),
        }).ToArray();
        Assert.Equal(
            [("prepare", $"{_run}-1"), ("place", $"{_run}-1"), ("prepare", $"{_run}-2"), ("place", $"{_run}-2"), ("place", $"{_run}-3"), ("prepare", $"{_run}-4")],
            seen.Select(m => (m.Item1, m.Item2)));
        Assert.Equal(seen[0].Item3, seen[1].Item3);   // the id prepared is the id placed
        Assert.Equal(seen[2].Item3, seen[3].Item3);
        desk.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public async Task A_strategy_whose_journal_cannot_be_read_waits_and_retries_instead_of_trading_on_an_empty_ledger()
    {
        // One order journaled before: the ledger must count it once the history is read.
        var gateway = Gateway();
        Start(gateway, Recording("first"));
        AwaitReady("first");
        Sys.ActorSelection("/user/strategies/first").Tell(new RecordingStrategy.PlaceMany(1, 59000m));
        FishUntilAcknowledged(1);
        var before = await Sys.ActorSelection("/user/strategies").ResolveOne(TimeSpan.FromSeconds(3));
        Watch(before);
        Sys.Stop(before);
        FishForMessage<Terminated>(t => t.ActorRef.Equals(before), TimeSpan.FromSeconds(5));

        var attempts = 0;
        var settings = Recording("first");
        var context = new StrategyContext(settings, _bus, gateway, TimeProvider.System, _run, async ct =>
        {
            if (Interlocked.Increment(ref attempts) <= 2)
            {
                throw new TimeoutException("journal busy");
            }

            return await AuditQueries.LoadAsync(Sys, OrderEventTags.Strategy("first"), ct);
        });
        Sys.ActorOf(StrategiesSupervisor.Props([settings], _ => context), "strategies");

        AwaitAssert(() => Assert.Equal(1, Volatile.Read(ref attempts)), TimeSpan.FromSeconds(5));
        var waiting = Status("first");
        Assert.False(waiting.Ready);
        Assert.Equal("journal history not read: journal busy", waiting.Halted[Xbt]);
        _bus.Publish(Trade(Xbt, 60111m));   // stale by the time the history is read: not handed to the strategy

        AwaitReady("first");
        Assert.Equal(3, Volatile.Read(ref attempts));
        var ready = Status("first");
        Assert.Equal((1, 1), (ready.Orders, ready.OpenOrders));
        Assert.Empty(ready.Halted);
        _bus.Publish(Trade(Xbt, 60222m));
        Assert.Equal(60222m, FishForMessage<Trade>(_ => true, TimeSpan.FromSeconds(5)).Price);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(5, 16)]
    [InlineData(6, 30)]
    [InlineData(40, 30)]
    public void Reading_the_journal_history_again_waits_longer_each_time_up_to_half_a_minute(int attempt, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), StrategyActor.HistoryRetryDelay(attempt));

    /// <summary>Order updates until <paramref name="count"/> new orders are acknowledged; those orders.</summary>
    private IReadOnlyList<OrderState> FishUntilAcknowledged(int count)
    {
        var orders = new Dictionary<ClientOrderId, OrderState>();
        FishForMessage<OrderState>(s =>
        {
            orders[s.ClientOrderId] = s;
            return orders.Values.Count(o => o.Status == OrderLifecycle.Acknowledged) == count;
        }, TimeSpan.FromSeconds(10));
        return orders.Values.ToArray();
    }

    [Fact]
    public void The_funding_monitor_signals_on_entering_and_leaving_an_alert_and_places_nothing()
    {
        var signals = CreateTestProbe();
        _bus.Subscribe(signals, TopicFilter.Parse("kucoin.futures/signals/*"));
        Start(Settings("funding", "funding-monitor", new Dictionary<string, string> { ["RateThreshold"] = "0.0005", ["BasisBpsThreshold"] = "20" }));
        AwaitReady("funding");

        _bus.Publish(Funding(0.0001m, 60000m, 60000m));
        _bus.Publish(Funding(0.0007m, 60000m, 60000m));
        _bus.Publish(Funding(0.0008m, 60000m, 60000m));     // still alerting: no second signal
        _bus.Publish(Funding(-0.0002m, 60150m, 60000m));    // rate back, basis 25 bps

        var first = signals.ExpectMsg<StrategyProtocol.Signal>();
        Assert.Equal(("funding", 0.0007m), (first.Kind, first.Value));
        var second = signals.ExpectMsg<StrategyProtocol.Signal>();
        Assert.Equal(("funding-normal", -0.0002m), (second.Kind, second.Value));
        var third = signals.ExpectMsg<StrategyProtocol.Signal>();
        Assert.Equal(("basis", 25m), (third.Kind, third.Value));
        signals.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        Assert.Equal(0, Status("funding").Orders);
    }

    [Fact]
    public void Candle_momentum_buys_after_rising_closes_at_the_market_on_the_paper_venue()
    {
        var gateway = Gateway();
        Start(gateway, Settings("momentum", "candle-momentum", new Dictionary<string, string> { ["Lookback"] = "3", ["Size"] = "2" }));
        AwaitReady("momentum");
        _bus.Publish(BookTopic(Xbt), Top(Xbt, 60000m, 4, 60001m, 5));

        decimal[] closes = [100m, 101m, 102m];
        for (var i = 0; i < closes.Length; i++)
        {
            _bus.Publish(Candle(i, closes[i]));
        }

        _bus.Publish(Candle(2, 99m) with { IsClosed = false });   // still forming: ignored
        Assert.Equal(0, Status("momentum").Orders);
        _bus.Publish(Candle(3, 103m));

        AwaitAssert(() => Assert.Equal(1, Status("momentum").Fills), TimeSpan.FromSeconds(10));
        var fill = Journal().Select(r => r.Event).OfType<OrderEvents.FillRecorded>().Single();
        Assert.Equal((60001m, 2m, Liquidity.Taker), (fill.Price, fill.Size, fill.Liquidity!.Value));
        Assert.Equal(2m, Status("momentum").Positions.Single().Size);
    }

    [Fact]
    public void The_readme_example_buys_at_the_bid_on_a_wide_spread_and_fills_on_a_trade_through()
    {
        var gateway = Gateway();
        Start(gateway, Settings("catcher", typeof(SpreadCatcher).AssemblyQualifiedName!, new Dictionary<string, string> { ["Size"] = "2", ["MinSpread"] = "0.5" }));
        AwaitReady("catcher");

        _bus.Publish(BookTopic(Xbt), Top(Xbt, 60000m, 4, 60000.1m, 3));   // spread 0.1: nothing
        _bus.Publish(BookTopic(Xbt), Top(Xbt, 60000m, 4, 60001m, 3));     // spread 1: buy 2 at 60000
        AwaitAssert(() => Assert.Equal(1, Status("catcher").OpenOrders), TimeSpan.FromSeconds(10));
        var order = AwaitOrders(1).Single();
        Assert.Equal((Side.Buy, 60000m, 2m), (order.Side, order.Price!.Value, order.Size));

        _bus.Publish(Trade(Xbt, 59999m, size: 5));
        AwaitAssert(() => Assert.Equal(2m, Status("catcher").Positions.Single().Size), TimeSpan.FromSeconds(10));
    }

    protected override void AfterAll()
    {
        base.AfterAll();
        _database.Dispose();
    }

    private static Trade Trade(Symbol symbol, decimal price, decimal size = 1) =>
        new(KuCoin, MarketKind.Futures, symbol, 1729163001000, 1729163001001, "t-" + price, Side.Sell, price, size, 1);

    private static Candle Candle(int minute, decimal close) =>
        new(KuCoin, MarketKind.Futures, Xbt, 1, 1, "1min", 1729163000000 + (minute * 60_000), close, close, close, close, 10, IsClosed: true);

    private static FundingRate Funding(decimal rate, decimal mark, decimal index) =>
        new(KuCoin, MarketKind.Futures, Xbt, 1, 1, rate, null, mark, index, null);

    private static MarketDataTopic BookTopic(Symbol symbol) => new(KuCoin, MarketKind.Futures, DataChannel.Book, symbol);

    private static BookTop Top(Symbol symbol, decimal bid, decimal bidSize, decimal ask, decimal askSize) =>
        new(KuCoin, MarketKind.Futures, symbol, 1, new BookLevel(bid, bidSize), new BookLevel(ask, askSize), 1729163001000);

    private readonly RunId _run = RunId.New();

    /// <summary>Restarts its one child whatever it fails with (a Kill included), as a long-running node's guardian would.</summary>
    private sealed class RestartingParent : ReceiveActor
    {
        public RestartingParent(Props child) => Context.ActorOf(child, "strategies");

        protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(_ => Directive.Restart);
    }

    private static StrategySettings Settings(string id, string type, Dictionary<string, string>? parameters = null, RiskLimits? risk = null) =>
        new(id, type, KuCoin, MarketKind.Futures, [Xbt], Paper: true, parameters ?? new Dictionary<string, string>(), risk ?? RiskLimits.None);

    private StrategySettings Recording(string id, RiskLimits? risk = null, string channels = "trades")
    {
        RecordingStrategy.Probes[id] = TestActor;
        return Settings(id, typeof(RecordingStrategy).AssemblyQualifiedName!, new Dictionary<string, string> { ["Channels"] = channels }, risk);
    }

    private IActorRef Gateway()
    {
        var paper = Sys.ActorOf(PaperVenue.Props(new PaperVenueSettings(KuCoin, MarketKind.Futures, Fees, TimeSpan.Zero), _bus,
            subscribeInstruments: venue => venue.Tell(Rules)), "paper-kucoin-futures");
        var doors = VenueDoors.Direct(new Dictionary<(VenueId, MarketKind), IActorRef> { [(PaperVenue.IdFor(KuCoin), MarketKind.Futures)] = paper });
        return Sys.ActorOf(OrderGateway.Props(doors, id => StrategyHosting.Limits(_strategies)(id), _bus, new OrderActorSettings { RunId = _run.Value }), "orders");
    }

    private IActorRef Start(params StrategySettings[] strategies) => Start(ActorRefs.Nobody, strategies);

    private IActorRef Start(IActorRef gateway, params StrategySettings[] strategies) => Start(gateway, ActorRefs.Nobody, strategies);

    private IActorRef Start(IActorRef gateway, IActorRef exchanges, params StrategySettings[] strategies)
    {
        _strategies.AddRange(strategies);
        return Sys.ActorOf(StrategiesSupervisor.Props(strategies, s => new StrategyContext(
            s, _bus, gateway, TimeProvider.System, _run, ct => AuditQueries.LoadAsync(Sys, OrderEventTags.Strategy(s.Id), ct))
        { Exchanges = exchanges }), "strategies");
    }

    private StrategyProtocol.Status Status(string id) =>
        Sys.ActorSelection("/user/strategies/" + id).Ask<StrategyProtocol.Status>(StrategyProtocol.GetStatus.Instance, TimeSpan.FromSeconds(3)).Result;

    private void AwaitReady(string id) => AwaitAssert(() => Assert.True(Status(id).Ready), TimeSpan.FromSeconds(10));

    private IReadOnlyList<JournalRecord> Journal() => AuditQueries.LoadAsync(Sys).Result;

    private IReadOnlyList<OrderState> AwaitOrders(int count)
    {
        IReadOnlyList<OrderState> orders = [];
        AwaitAssert(() =>
        {
            orders = Journal().GroupBy(r => r.Event.ClientOrderId)
                .Select(g => g.Skip(1).Aggregate(OrderState.Start((OrderEvents.Submitted)g.First().Event), (s, r) => s.Apply(r.Event)))
                .Where(o => o.Status == OrderLifecycle.Acknowledged)
                .ToArray();
            Assert.Equal(count, orders.Count);
        }, TimeSpan.FromSeconds(10));
        return orders;
    }
}

/// <summary>A strategy that reports what it sees to the spec's probe (by strategy id) and obeys scripted commands.</summary>
public sealed class RecordingStrategy : StrategyActor
{
    public static readonly ConcurrentDictionary<string, IActorRef> Probes = new();
    private readonly IActorRef _probe;

    public RecordingStrategy(StrategyContext context) : base(context)
    {
        _probe = Probes[Settings.Id];
        Channels = Settings.Text("Channels", "trades").Split(',').Select(c => DataChannelNames.TryParse(c, out var channel) ? channel : throw new ArgumentException(c)).ToImmutableArray();
        Receive<PlaceMany>(p =>
        {
            for (var i = 0; i < p.Count; i++)
            {
                if (Place(Settings.Symbols[0], Side.Buy, OrderType.Limit, 1, p.Price) is null)
                {
                    _probe.Tell("refused: " + HaltReason(Settings.Symbols[0]));
                }
            }
        });
        Receive<Boom>(_ => throw new InvalidOperationException("boom"));
        Receive<ReadBook>(r => RequestBook(Settings.Symbols[0], r.Depth));
    }

    protected override void OnBook(ActorTrading.Runtime.Books.OrderBookProtocol.BookView book) => _probe.Tell(book);

    protected override IReadOnlyCollection<DataChannel> Channels { get; }

    protected override void OnData(DataMessage message) => _probe.Tell(message);

    protected override void OnOrderUpdate(OrderState order, IJournalEvent? e) => _probe.Tell(order);

    protected override void OnTradingHalted(Symbol symbol, string reason) => _probe.Tell($"halted {symbol}: {reason}");

    protected override void OnTradingResumed(Symbol symbol) => _probe.Tell($"resumed {symbol}");

    public sealed record PlaceMany(int Count, decimal Price);

    public sealed record Boom;

    public sealed record ReadBook(int Depth);
}
