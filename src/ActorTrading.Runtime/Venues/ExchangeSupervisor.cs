using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Core.Orders;
using ActorTrading.Runtime.Books;
using ActorTrading.Runtime.Bus;
using ActorTrading.Runtime.Capture;
using ActorTrading.Runtime.Feeds;
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
    IReadOnlyDictionary<string, int> Quotas,
    TimeSpan QuotaWindow,
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
}

public static class ExchangeSupervisorProtocol
{
    public sealed class GetStatus
    {
        public static readonly GetStatus Instance = new();

        private GetStatus()
        {
        }
    }

    /// <summary>The book of <paramref name="Symbol"/> to <paramref name="Depth"/> levels: an <see cref="OrderBookProtocol.BookView"/>, or <see cref="NoBook"/>.</summary>
    public sealed record GetBook(Symbol Symbol, int Depth);

    public sealed record NoBook(Symbol Symbol);

    public sealed record VenueStatus(string Venue, IReadOnlyList<FeedConnectionProtocol.Status> Feeds, IReadOnlyList<OrderBookProtocol.BookView> Books, string? StoppedReason);
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
    private readonly IActorRef _feed;
    private string? _stoppedReason;

    public ExchangeSupervisor(VenueDefinition venue, IMarketDataBus bus, HttpClient http, TimeProvider clock, IFrameCapture? capture)
    {
        var rest = StartRest(Context, venue, http, clock);
        var executor = new GatewayRestExecutor(rest, venue.RestOptions.AttemptTimeout * (venue.RestOptions.MaxRetries + 2));
        _feed = Context.ActorOf(FeedConnection.Props(venue.Feed, executor, bus, venue.FeedSettings, venue.Subscriptions, clock, capture), "feed-" + venue.FeedSettings.Name);
        _feeds.Add(_feed);
        if (venue.PrivateFeed is not null)
        {
            var privateSettings = venue.FeedSettings with { Name = "private" };
            _feeds.Add(Context.ActorOf(
                FeedConnection.Props(venue.PrivateFeed, executor, bus, privateSettings, venue.PrivateSubscriptions ?? [], clock, capture), "feed-private"));
        }

        // Captured book snapshots let a replay sync its books exactly as this run did.
        IRestExecutor snapshotExecutor = capture is null ? executor : new CapturingRestExecutor(executor, capture, venue.Venue, venue.Market, clock);
        SnapshotSource? snapshots = venue.Feed is IBookSnapshotProvider provider
            ? (symbol, ct) => provider.FetchBookSnapshotAsync(symbol, snapshotExecutor, clock.GetUtcNow().ToUnixTimeMilliseconds(), ct)
            : null;
        foreach (var symbol in venue.Books)
        {
            var source = BookSource(venue, symbol);
            _books[symbol] = Context.ActorOf(
                OrderBookActor.Props(venue.Venue, venue.Market, symbol, source, bus, source == DataChannel.BookDelta ? snapshots : null, venue.BookSettings, clock),
                "book-" + symbol.Value);
        }

        var orders = StartOrderEntry(Context, venue, rest, clock);

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
        Receive<FeedStopped>(s =>
        {
            _stoppedReason = s.Error.ToString();
            _log.Error("{Venue}: feed {Feed} stopped: {Error}", venue.Name, s.Feed, s.Error);
        });
        Receive<FeedConnectionProtocol.Subscribe>(s => _feed.Forward(s));
        Receive<FeedConnectionProtocol.Unsubscribe>(s => _feed.Forward(s));
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

    /// <summary>What a symbol's book is built from: sequenced deltas (with a REST snapshot) when subscribed, else pushed depth snapshots.</summary>
    public static DataChannel BookSource(VenueDefinition venue, Symbol symbol) =>
        venue.Subscriptions.Any(s => s.Symbol == symbol && s.Channel == DataChannel.BookDelta)
            ? DataChannel.BookDelta
            : venue.Subscriptions.FirstOrDefault(s => s.Symbol == symbol && s.Channel is DataChannel.BookDepth50 or DataChannel.BookDepth5)?.Channel ?? DataChannel.BookDelta;

    /// <summary>The venue's REST door: its rate limiter and REST gateway (<c>{prefix}rate-limits</c>, <c>{prefix}rest</c>).</summary>
    public static IActorRef StartRest(IActorRefFactory factory, VenueDefinition venue, HttpClient http, TimeProvider clock, string prefix = "")
    {
        var limiter = factory.ActorOf(RateLimiter.Props(venue.Quotas, venue.QuotaWindow, clock), prefix + "rate-limits");
        return factory.ActorOf(RestGateway.Props(new RestClient(http, venue.Rest, venue.RestOptions, clock), limiter), prefix + "rest");
    }

    /// <summary>
    /// The venue's order entry when enabled (<c>{prefix}orders</c>, with the trading socket <c>{prefix}order-ws</c> on the
    /// WebSocket route), or null.
    /// </summary>
    public static IActorRef? StartOrderEntry(IActorRefFactory factory, VenueDefinition venue, IActorRef rest, TimeProvider clock, string prefix = "")
    {
        if (venue.OrderEntry is null)
        {
            return null;
        }

        var settings = venue.OrderEntrySettings ?? new OrderEntrySettings();
        var socket = settings.Route == OrderRoute.WebSocket
            ? factory.ActorOf(WsOrderClient.Props(venue.TradingSocket ?? throw new ExchangeException(new ConfigurationError($"{venue.Name}: the WebSocket order route needs a trading socket")), clock: clock), prefix + "order-ws")
            : null;
        return factory.ActorOf(VenueOrderEntry.Props(venue.OrderEntry, rest, socket, settings), prefix + "orders");
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
}
