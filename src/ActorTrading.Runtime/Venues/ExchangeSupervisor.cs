using ActorTrading.Core;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Core.Orders;
using ActorTrading.Runtime.Books;
using ActorTrading.Runtime.Bus;
using ActorTrading.Runtime.Capture;
using ActorTrading.Runtime.Feeds;
using ActorTrading.Runtime.Hosting;
using ActorTrading.Runtime.Limits;
using ActorTrading.Runtime.Orders;
using ActorTrading.Runtime.Rest;
using Akka.Actor;
using Akka.Event;

namespace ActorTrading.Runtime.Venues;

/// <summary>Everything needed to run one venue+market: the adapters, quotas, streams and books.</summary>
public sealed record VenueDefinition(
    IFeedAdapter Feed,
    IRestAdapter Rest,
    IReadOnlyList<RateQuota> Limits,
    IReadOnlyList<Subscription> Subscriptions,
    IReadOnlyList<Symbol> Books,
    FeedSettings FeedSettings,
    OrderBookSettings BookSettings,
    RestClientOptions RestOptions,
    IFeedAdapter? PrivateFeed = null,
    IReadOnlyList<Subscription>? PrivateSubscriptions = null,
    IOrderEntryAdapter? OrderEntry = null,
    OrderEntrySettings? OrderEntrySettings = null,
    IRequestReplyAdapter? TradingSocket = null)
{
    public VenueId Venue => Feed.Venue;

    public MarketKind Market => Feed.Market;

    /// <summary>Actor name of the supervisor: <c>kucoin-futures</c>.</summary>
    public string Name => $"{Venue}-{Market.ToWire()}";

    /// <summary>How the venue lists its instruments' trading rules; null: orders go out unchecked and paper venues have no contract sizes.</summary>
    public IInstrumentAdapter? Instruments { get; init; }

    public InstrumentCatalogSettings InstrumentSettings { get; init; } = new();
}

public static class ExchangeSupervisorProtocol
{
    public sealed class GetStatus : ICrossNodeMessage
    {
        public static readonly GetStatus Instance = new();

        private GetStatus()
        {
        }
    }

    /// <summary>The book of <paramref name="Symbol"/> to <paramref name="Depth"/> levels: an <see cref="OrderBookProtocol.BookView"/>, or <see cref="NoBook"/>.</summary>
    public sealed record GetBook(Symbol Symbol, int Depth) : ICrossNodeMessage;

    public sealed record NoBook(Symbol Symbol) : ICrossNodeMessage;

    public sealed record VenueStatus(string Venue, IReadOnlyList<FeedConnectionProtocol.Status> Feeds, IReadOnlyList<OrderBookProtocol.BookView> Books, string? StoppedReason) : ICrossNodeMessage;
}

/// <summary>
/// Owns a venue's actors: rate limiter, REST gateway, public (and private) feed, one book per symbol and, when
/// enabled, order entry (<c>orders</c>, with the trading socket <c>order-ws</c> on the WebSocket route). Order
/// commands sent to the supervisor go to <c>orders</c>. Bounded one-for-one supervision: a crashing child is restarted
/// at most 10 times a minute; authentication failures stop it.
/// </summary>
public sealed class ExchangeSupervisor : ReceiveActor
{
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<Symbol, IActorRef> _books = new();
    private readonly List<IActorRef> _feeds = [];
    private readonly List<PublicSocket> _publicSockets = [];
    private readonly VenueDefinition _venue;
    private readonly IMarketDataBus _bus;
    private readonly TimeProvider _clock;
    private readonly IFrameCapture? _capture;
    private readonly GatewayRestExecutor _executor;
    private string? _stoppedReason;

    public ExchangeSupervisor(VenueDefinition venue, IMarketDataBus bus, HttpClient http, TimeProvider clock, IFrameCapture? capture)
    {
        _venue = venue;
        _bus = bus;
        _clock = clock;
        _capture = capture;
        var rest = StartRest(Context, venue, http, clock);
        _executor = new GatewayRestExecutor(rest, venue.RestOptions.AttemptTimeout * (venue.RestOptions.MaxRetries + 2));
        var shards = FeedShards.Plan(venue.Feed, venue.FeedSettings.Name, venue.Subscriptions);
        foreach (var shard in shards)
        {
            _publicSockets.Add(new PublicSocket(shard.Route, StartFeed(shard, venue.FeedSettings), shard.Subscriptions.Count));
        }

        if (venue.PrivateFeed is not null)
        {
            var privateSettings = venue.FeedSettings with { Name = "private" };
            foreach (var shard in FeedShards.Plan(venue.PrivateFeed, privateSettings.Name, venue.PrivateSubscriptions ?? []))
            {
                StartFeed(shard, privateSettings);
            }
        }

        // Captured book snapshots and instrument lists let a replay sync its books and check orders exactly as this run did.
        IRestExecutor recordedRest = capture is null ? _executor : new CapturingRestExecutor(_executor, capture, venue.Venue, venue.Market, clock);
        SnapshotSource? snapshots = venue.Feed is IBookSnapshotProvider provider
            ? (symbol, ct) => provider.FetchBookSnapshotAsync(symbol, recordedRest, clock.GetUtcNow().ToUnixTimeMilliseconds(), ct)
            : null;
        var instruments = StartInstruments(Context, venue, recordedRest, clock);
        foreach (var symbol in venue.Books)
        {
            var source = BookSource(venue, symbol);

            // A book whose stream brings its own snapshot (no REST snapshot) recovers by subscribing its stream again.
            var self = Self;
            StreamResubscriber? resubscribe = source == DataChannel.BookDelta && snapshots is null
                ? s => self.Tell(new FeedConnectionProtocol.Resubscribe(venue.Subscriptions.Where(sub => sub.Symbol == s && sub.Channel == DataChannel.BookDelta).ToArray()))
                : null;
            _books[symbol] = Context.ActorOf(
                OrderBookActor.Props(venue.Venue, venue.Market, symbol, source, bus, source == DataChannel.BookDelta ? snapshots : null, venue.BookSettings, clock,
                    shards.FirstOrDefault(s => s.Subscriptions.Any(sub => sub.Symbol == symbol && sub.Channel == source))?.Name, resubscribe),
                "book-" + ActorNames.Of(symbol.Value));
        }

        var orders = StartOrderEntry(Context, venue, rest, instruments, clock);

        var orderEntryOff = new ConfigurationError($"{venue.Name}: order entry is not enabled (Orders.Enabled in the venue's config)");
        Receive<OrderEntryProtocol.ICommand>(command =>
        {
            if (orders is not null)
            {
                orders.Forward(command);
                return;
            }

            Sender.Tell(new OrderEntryProtocol.Results(command.ClientOrderIds.Select(id => (OrderEntryResult)new OrderRejected(id, orderEntryOff)).ToArray()));
        });
        Receive<OrderEntryProtocol.IQuery>(query =>
        {
            if (orders is not null)
            {
                orders.Forward(query);
                return;
            }

            Sender.Tell(query.Unanswerable(orderEntryOff));
        });
        Receive<InstrumentCatalogProtocol.Subscribe>(subscribe =>
        {
            if (instruments is not null)
            {
                instruments.Forward(subscribe);
                return;
            }

            Sender.Tell(new InstrumentCatalogProtocol.Unavailable(venue.Venue, venue.Market, new ConfigurationError($"{venue.Name} lists no instruments")));
        });
        Receive<FeedStopped>(s =>
        {
            _stoppedReason = s.Error.ToString();
            _log.Error("{Venue}: feed {Feed} stopped: {Error}", venue.Name, s.Feed, s.Error);
        });
        Receive<FeedConnectionProtocol.Subscribe>(Subscribe);
        Receive<FeedConnectionProtocol.Unsubscribe>(u => TellRouteSockets(u.Subscriptions, streams => new FeedConnectionProtocol.Unsubscribe(streams)));
        Receive<FeedConnectionProtocol.Resubscribe>(r => TellRouteSockets(r.Subscriptions, streams => new FeedConnectionProtocol.Resubscribe(streams)));
        Receive<ExchangeSupervisorProtocol.GetStatus>(_ => CollectStatus(venue.Name).PipeTo(Sender));
        Receive<ExchangeSupervisorProtocol.GetBook>(g =>
        {
            if (_books.TryGetValue(g.Symbol, out var book))
            {
                book.Forward(new OrderBookProtocol.GetBook(g.Depth));
            }
            else
            {
                Sender.Tell(new ExchangeSupervisorProtocol.NoBook(g.Symbol));
            }
        });
    }

    /// <summary>A socket ignores streams it does not carry: every socket of the streams' route hears about them.</summary>
    private void TellRouteSockets(IReadOnlyCollection<Subscription> subscriptions, Func<Subscription[], object> message)
    {
        foreach (var route in subscriptions.GroupBy(_venue.Feed.RouteOf))
        {
            foreach (var socket in _publicSockets.Where(p => p.Route == route.Key))
            {
                socket.Feed.Tell(message(route.ToArray()));
            }
        }
    }

    /// <summary>New streams go to the least loaded socket of their route that has room, or to a new socket.</summary>
    private void Subscribe(FeedConnectionProtocol.Subscribe subscribe)
    {
        var limit = Math.Max(1, _venue.Feed.MaxStreamsPerConnection);
        foreach (var route in subscribe.Subscriptions.GroupBy(_venue.Feed.RouteOf))
        {
            var streams = route.ToArray();
            var socket = _publicSockets.Where(p => p.Route == route.Key && p.Streams + streams.Length <= limit).MinBy(p => p.Streams);
            if (socket is null)
            {
                var n = _publicSockets.Count(p => p.Route == route.Key) + 1;
                var name = FeedShards.NameOf(_venue.FeedSettings.Name, route.Key, n);
                socket = new PublicSocket(route.Key, StartFeed(new FeedShard(name, route.Key, _venue.Feed.ForRoute(route.Key), []), _venue.FeedSettings), 0);
                _publicSockets.Add(socket);
            }

            socket.Feed.Forward(new FeedConnectionProtocol.Subscribe(streams));
            socket.Streams += streams.Length;
        }
    }

    private IActorRef StartFeed(FeedShard shard, FeedSettings settings)
    {
        var feed = Context.ActorOf(
            FeedConnection.Props(shard.Adapter, _executor, _bus, settings with { Name = shard.Name }, shard.Subscriptions, _clock, _capture),
            "feed-" + shard.Name);
        _feeds.Add(feed);
        return feed;
    }

    /// <summary>What a symbol's book is built from: sequenced deltas (with a REST snapshot) when subscribed, else pushed depth snapshots.</summary>
    public static DataChannel BookSource(VenueDefinition venue, Symbol symbol) =>
        venue.Subscriptions.Any(s => s.Symbol == symbol && s.Channel == DataChannel.BookDelta)
            ? DataChannel.BookDelta
            : venue.Subscriptions.FirstOrDefault(s => s.Symbol == symbol && s.Channel is DataChannel.BookDepth50 or DataChannel.BookDepth5)?.Channel ?? DataChannel.BookDelta;

    /// <summary>The venue's REST door: its rate limiter and REST gateway (<c>{prefix}rate-limits</c>, <c>{prefix}rest</c>).</summary>
    public static IActorRef StartRest(IActorRefFactory factory, VenueDefinition venue, HttpClient http, TimeProvider clock, string prefix = "")
    {
        var limiter = factory.ActorOf(RateLimiter.Props(venue.Limits, clock, venue.Name), prefix + "rate-limits");
        return factory.ActorOf(RestGateway.Props(new RestClient(http, venue.Rest, venue.RestOptions with { MetricsName = venue.Name }, clock), limiter), prefix + "rest");
    }

    /// <summary>The venue's instrument catalog (<c>{prefix}instruments</c>), or null when the venue lists none.</summary>
    public static IActorRef? StartInstruments(IActorRefFactory factory, VenueDefinition venue, IRestExecutor rest, TimeProvider clock, string prefix = "") =>
        venue.Instruments is null
            ? null
            : factory.ActorOf(InstrumentCatalog.Props(venue.Venue, venue.Market, venue.Instruments, rest, clock, venue.InstrumentSettings), prefix + "instruments");

    /// <summary>
    /// The venue's order entry when enabled (<c>{prefix}orders</c>, with the trading socket <c>{prefix}order-ws</c> on the
    /// WebSocket route), or null. Orders are checked against <paramref name="instruments"/> before sending when given.
    /// </summary>
    public static IActorRef? StartOrderEntry(IActorRefFactory factory, VenueDefinition venue, IActorRef rest, IActorRef? instruments, TimeProvider clock, string prefix = "")
    {
        if (venue.OrderEntry is null)
        {
            return null;
        }

        var settings = venue.OrderEntrySettings ?? new OrderEntrySettings();
        var socket = settings.Route == OrderRoute.WebSocket
            ? factory.ActorOf(WsOrderClient.Props(venue.TradingSocket ?? throw new ExchangeException(new ConfigurationError($"{venue.Name}: the WebSocket order route needs a trading socket")), clock: clock,
                rest: new GatewayRestExecutor(rest, venue.RestOptions.AttemptTimeout * (venue.RestOptions.MaxRetries + 2))), prefix + "order-ws")
            : null;
        return factory.ActorOf(VenueOrderEntry.Props(venue.OrderEntry, rest, socket, settings, instruments), prefix + "orders");
    }

    public static Props Props(VenueDefinition venue, IMarketDataBus bus, HttpClient http, TimeProvider? clock = null, IFrameCapture? capture = null) =>
        Akka.Actor.Props.Create(() => new ExchangeSupervisor(venue, bus, http, clock ?? TimeProvider.System, capture));

    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(
        maxNrOfRetries: 10,
        withinTimeRange: TimeSpan.FromMinutes(1),
        localOnlyDecider: ex => ex switch
        {
            ExchangeException { Error: AuthenticationError or ConfigurationError } => Directive.Stop,
            ActorInitializationException => Directive.Stop,
            _ => Directive.Restart,
        });

    /// <summary>Asks every feed and book; what it reads of its own state it reads now, on the actor's thread.</summary>
    private Task<ExchangeSupervisorProtocol.VenueStatus> CollectStatus(string name)
    {
        var timeout = TimeSpan.FromSeconds(2);
        var feeds = _feeds.Select(feed => Answer<FeedConnectionProtocol.Status>(feed, FeedConnectionProtocol.GetStatus.Instance, timeout)).ToArray();
        var books = _books.Values.Select(book => Answer<OrderBookProtocol.BookView>(book, new OrderBookProtocol.GetBook(1), timeout)).ToArray();
        var stoppedReason = _stoppedReason;
        return Task.WhenAll(Task.WhenAll(feeds), Task.WhenAll(books)).ContinueWith(
            _ => new ExchangeSupervisorProtocol.VenueStatus(name, feeds.Select(f => f.Result).OfType<FeedConnectionProtocol.Status>().ToList(),
                books.Select(b => b.Result).OfType<OrderBookProtocol.BookView>().ToList(), stoppedReason),
            TaskScheduler.Default);
    }

    /// <summary>The answer, or null from a child that no longer answers (a stopped feed: StoppedReason says why).</summary>
    private static async Task<T?> Answer<T>(IActorRef child, object question, TimeSpan timeout)
        where T : class
    {
        try
        {
            return await child.Ask<T>(question, timeout).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AskTimeoutException or TaskCanceledException)
        {
            return null;
        }
    }

    /// <summary>A public socket and how many streams it has been given (to place new ones).</summary>
    private sealed class PublicSocket(string route, IActorRef feed, int streams)
    {
        public string Route { get; } = route;

        public IActorRef Feed { get; } = feed;

        public int Streams { get; set; } = streams;
    }
}
