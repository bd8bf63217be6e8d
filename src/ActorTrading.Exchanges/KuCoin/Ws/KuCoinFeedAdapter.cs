using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Json;
using ActorTrading.Core.Market;
using ActorTrading.Exchanges.KuCoin.Rest;

namespace ActorTrading.Exchanges.KuCoin.Ws;

/// <summary>
/// KuCoin Futures and Spot WebSocket (docs-new websocket-api/base-info/introduction): POST bullet-public (or signed
/// bullet-private) on the market's own host for a token, connect to <c>endpoint?token=…&amp;connectId=…</c>, wait for <c>welcome</c>,
/// subscribe with <c>{"type":"subscribe","response":true}</c>, ping every <c>pingInterval</c>.
/// </summary>
public sealed class KuCoinFeedAdapter : IFeedAdapter, IBookSnapshotProvider
{
    /// <summary>The symbol that subscribes a private channel for every symbol (<c>/contractMarket/tradeOrders</c>, <c>/contract/positionAll</c>).</summary>
    public static readonly Symbol AllSymbols = new("*");

    private readonly Func<string> _connectIdFactory;
    private readonly Uri? _endpointOverride;

    /// <param name="endpointOverride">Connect here instead of the bullet's instance server (the token is still fetched).</param>
    /// <param name="connectIdFactory">Client-unique connection ids; a GUID by default.</param>
    /// <param name="isPrivate">The private feed: a signed bullet-private token and the account's order, position and wallet topics.</param>
    /// <param name="market">Futures or Spot: topics, host and parser follow.</param>
    public KuCoinFeedAdapter(Uri? endpointOverride = null, Func<string>? connectIdFactory = null, bool isPrivate = false, MarketKind market = MarketKind.Futures)
    {
        if (market is not (MarketKind.Futures or MarketKind.Spot))
        {
            throw new ExchangeException(new ConfigurationError($"KuCoin feeds are futures or spot, not {market.ToWire()}"));
        }

        _endpointOverride = endpointOverride;
        _connectIdFactory = connectIdFactory ?? (() => Guid.NewGuid().ToString("N"));
        IsPrivate = isPrivate;
        Market = market;
    }

    public bool IsPrivate { get; }

    public VenueId Venue => KuCoinVenue.Id;

    public MarketKind Market { get; }

    public SendWindow SendWindow { get; } = new(KuCoinVenue.WsSendLimit, KuCoinVenue.WsSendWindow);

    /// <summary>"The connection will only be available once the welcome message has been received."</summary>
    public FeedReadiness Readiness => FeedReadiness.Welcome;

    public static RestRequest BulletPublicRequest { get; } =
        new(HttpMethod.Post, "/api/v1/bullet-public", [], null, KuCoinVenue.Pools.Public, 10);

    /// <summary>Signed; a fresh private token on every connect (tokens last 24 hours).</summary>
    public static RestRequest BulletPrivateRequest { get; } =
        new(HttpMethod.Post, "/api/v1/bullet-private", [], null, KuCoinVenue.Pools.Futures, 10, Signed: true);

    public async Task<FeedEndpoint> ResolveEndpointAsync(IRestExecutor rest, CancellationToken cancellationToken)
    {
        var bullet = IsPrivate
            ? BulletPrivateRequest with { Pool = Market == MarketKind.Spot ? KuCoinVenue.Pools.Spot : KuCoinVenue.Pools.Futures }
            : BulletPublicRequest;
        var data = await rest.SendAsync(bullet, cancellationToken).ConfigureAwait(false);
        return ParseBullet(data, _connectIdFactory(), _endpointOverride);
    }

    /// <summary>Builds the connect URL from a bullet response's <c>data</c>.</summary>
    public static FeedEndpoint ParseBullet(JsonElement data, string connectId, Uri? endpointOverride = null)
    {
        try
        {
            var token = data.Required("token").GetString() ?? throw new FrameFormatException("token is null");
            var servers = data.Required("instanceServers");
            if (servers.ValueKind != JsonValueKind.Array || servers.GetArrayLength() == 0)
            {
                throw new FrameFormatException("bullet response has no instanceServers");
            }

            var server = servers[0];
            var endpoint = endpointOverride?.ToString() ?? server.Required("endpoint").GetString() ?? throw new FrameFormatException("endpoint is null");
            if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var named) || named.Scheme is not ("wss" or "ws"))
            {
                // The venue names the socket host (it may change); anything but a WebSocket URL is no endpoint.
                throw new FrameFormatException($"endpoint '{endpoint}' is not a WebSocket URL");
            }

            var separator = endpoint.Contains('?') ? '&' : '?';
            var uri = new Uri($"{endpoint}{separator}token={Uri.EscapeDataString(token)}&connectId={Uri.EscapeDataString(connectId)}");
            return new FeedEndpoint(uri, connectId, KeepAlive(server, "pingInterval"), KeepAlive(server, "pingTimeout"));
        }
        catch (FrameFormatException e)
        {
            throw new ExchangeException(new ProtocolError("token answer: " + e.Message, "(token response)"));
        }
    }

    /// <summary>The keep-alive is ours to run from these: nonsense would spin the pinger or never ping.</summary>
    private static TimeSpan KeepAlive(JsonElement server, string field)
    {
        var ms = server.Required(field).GetLong(field);
        return ms is >= 100 and <= 600_000 ? TimeSpan.FromMilliseconds(ms) : throw new FrameFormatException($"{field} {ms} ms is out of range (0.1 s to 10 min)");
    }

    /// <summary>
    /// One topic per frame (the futures docs only define single-symbol topics); subscriptions that come to one topic
    /// (every symbol's account settings) share its one frame.
    /// </summary>
    public IReadOnlyList<OutboundFrame> SubscriptionFrames(IReadOnlyCollection<Subscription> subscriptions, bool subscribe, Func<string> nextId)
    {
        var byTopic = new List<(string Topic, List<Subscription> Subscriptions)>(subscriptions.Count);
        foreach (var subscription in subscriptions)
        {
            foreach (var topic in Topics(subscription))
            {
                if (byTopic.FindIndex(t => t.Topic == topic) is var at and >= 0)
                {
                    byTopic[at].Subscriptions.Add(subscription);
                }
                else
                {
                    byTopic.Add((topic, [subscription]));
                }
            }
        }

        return byTopic.Select(t =>
        {
            var id = nextId();
            var text = $$"""{"id":"{{id}}","type":"{{(subscribe ? "subscribe" : "unsubscribe")}}","topic":"{{t.Topic}}","privateChannel":{{(IsPrivate ? "true" : "false")}},"response":true}""";
            return new OutboundFrame(id, text, t.Subscriptions);
        }).ToArray();
    }

    /// <summary>The venue topics of a subscription: one, except account settings (margin mode and cross leverage).</summary>
    private IEnumerable<string> Topics(Subscription subscription) => (Market, IsPrivate) switch
    {
        (MarketKind.Spot, false) => [SpotTopic(subscription)],
        (MarketKind.Spot, true) => [SpotPrivateTopic(subscription)],
        (_, false) => [Topic(subscription)],
        _ when subscription.Channel == DataChannel.AccountSettings => [KuCoinTopics.Futures.MarginMode, KuCoinTopics.Futures.CrossLeverage],
        _ => [PrivateTopic(subscription)],
    };

    /// <summary>
    /// The full level-2 snapshot as a book update: futures <c>GET /api/v1/level2/snapshot</c>; spot
    /// <c>GET /api/v3/market/orderbook/level2</c>, which the venue only serves signed (spot delta books need credentials).
    /// </summary>
    public async Task<OrderBookUpdate> FetchBookSnapshotAsync(Symbol symbol, IRestExecutor rest, long receivedTs, CancellationToken cancellationToken)
    {
        if (Market == MarketKind.Spot)
        {
            var book = await new KuCoinSpot(rest).GetFullOrderBookAsync(symbol.Value, cancellationToken).ConfigureAwait(false);
            return ToBookUpdate(symbol, book, receivedTs);
        }

        var snapshot = await new KuCoinFuturesMarketData(rest).GetLevel2SnapshotAsync(symbol.Value, cancellationToken).ConfigureAwait(false);
        return ToBookUpdate(snapshot, receivedTs);
    }

    public static OrderBookUpdate ToBookUpdate(Symbol symbol, SpotOrderBook book, long receivedTs)
    {
        static ImmutableArray<BookLevel> Levels(IReadOnlyList<IReadOnlyList<decimal>> rows) =>
            rows.Select(r => r.Count >= 2 ? new BookLevel(r[0], r[1]) : throw new ExchangeException(new ProtocolError("book level needs price and size", "(book)"))).ToImmutableArray();

        var sequence = long.TryParse(book.Sequence, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : throw new ExchangeException(new ProtocolError($"book sequence '{book.Sequence}' is not a number", book.Sequence));
        return new OrderBookUpdate(KuCoinVenue.Id, MarketKind.Spot, symbol, book.Time, receivedTs, DataChannel.BookDelta,
            BookUpdateKind.Snapshot, sequence, sequence, Levels(book.Bids), Levels(book.Asks));
    }

    /// <summary>Parses a spot level-2 snapshot body (<c>/api/v3/market/orderbook/level2</c>), envelope included.</summary>
    public static OrderBookUpdate ParseSpotSnapshotBody(ReadOnlySpan<byte> body, Symbol symbol, long receivedTs)
    {
        var outcome = new KuCoinRestAdapter(KuCoinVenue.SpotRestBase).Unwrap(200, body, null);
        if (!outcome.IsSuccess)
        {
            throw new ExchangeException(outcome.Error!);
        }

        try
        {
            var book = outcome.Data.Deserialize(KuCoinSpotJsonContext.Default.SpotOrderBook) ?? throw new JsonException("data is null");
            return ToBookUpdate(symbol, book, receivedTs);
        }
        catch (JsonException e)
        {
            throw new ExchangeException(ProtocolError.From("level2 snapshot: " + e.Message, body));
        }
    }

    /// <summary>Parses a futures level2 snapshot response body, envelope included, as the venue returns it.</summary>
    public static OrderBookUpdate ParseSnapshotBody(ReadOnlySpan<byte> body, long receivedTs)
    {
        var outcome = new KuCoinRestAdapter(KuCoinVenue.FuturesRestBase).Unwrap(200, body, null);
        if (!outcome.IsSuccess)
        {
            throw new ExchangeException(outcome.Error!);
        }

        try
        {
            return ToBookUpdate(KuCoinFuturesMarketData.ParseLevel2Snapshot(outcome.Data), receivedTs);
        }
        catch (Exception e) when (e is FrameFormatException or InvalidOperationException)
        {
            throw new ExchangeException(ProtocolError.From("level2 snapshot: " + e.Message, body));
        }
    }

    public static OrderBookUpdate ToBookUpdate(FuturesLevel2Snapshot snapshot, long receivedTs) =>
        new(KuCoinVenue.Id, MarketKind.Futures, new Symbol(snapshot.Symbol), snapshot.Ts, receivedTs, DataChannel.BookDelta,
            BookUpdateKind.Snapshot, snapshot.Sequence, snapshot.Sequence, snapshot.Bids, snapshot.Asks);

    public string PingFrame(string id) => $$"""{"id":"{{id}}","type":"ping"}""";

    public string? AnswerFrame(in ControlEvent serverPing) => null;

    public IFrameParser CreateParser() => new KuCoinFrameParser(Market);

    /// <summary>The venue topic of a spot subscription (docs-new "Spot Public Channels").</summary>
    public static string SpotTopic(Subscription subscription) => subscription.Channel switch
    {
        DataChannel.Trades => KuCoinTopics.Spot.Match + subscription.Symbol,
        DataChannel.Ticker => subscription.Symbol == AllSymbols ? KuCoinTopics.Spot.TickerAll : KuCoinTopics.Spot.Ticker + subscription.Symbol,
        DataChannel.BookDelta => KuCoinTopics.Spot.Level2 + subscription.Symbol,
        DataChannel.BookDepth5 => KuCoinTopics.Spot.Level2Depth5 + subscription.Symbol,
        DataChannel.BookDepth50 => KuCoinTopics.Spot.Level2Depth50 + subscription.Symbol,
        DataChannel.Candles => $"{KuCoinTopics.Spot.Candles}{subscription.Symbol}_{SpotCandleInterval(subscription)}",
        DataChannel.BestQuote => KuCoinTopics.Spot.Level1 + subscription.Symbol,
        DataChannel.Statistics => KuCoinTopics.Spot.Snapshot + subscription.Symbol,
        DataChannel.IndexPrice => KuCoinTopics.Spot.IndexPrice + subscription.Symbol,
        DataChannel.MarkPrice => KuCoinTopics.Spot.MarkPrice + subscription.Symbol,
        DataChannel.Auction => KuCoinTopics.Spot.CallAuction + subscription.Symbol,
        DataChannel.Lending => KuCoinTopics.Spot.FundingBook + subscription.Symbol,   // the symbol is a currency
        _ => throw new ExchangeException(new ConfigurationError($"KuCoin Spot public feed has no channel '{subscription.Channel.ToWire()}'")),
    };

    /// <summary>
    /// Spot and margin private topics: orders <c>/spotMarket/tradeOrdersV2</c>, balances <c>/account/balance</c> and
    /// stop orders <c>/spotMarket/advancedOrders</c> cover every symbol; margin positions are the cross account
    /// (<see cref="AllSymbols"/>) or one isolated pair; lend orders are per currency.
    /// </summary>
    public static string SpotPrivateTopic(Subscription subscription) => subscription.Channel switch
    {
        DataChannel.Orders => KuCoinTopics.Spot.TradeOrders,
        DataChannel.Balances => KuCoinTopics.Spot.Balance,
        DataChannel.StopOrders => KuCoinTopics.Spot.AdvancedOrders,
        DataChannel.MarginPositions => subscription.Symbol == AllSymbols
            ? KuCoinTopics.Spot.MarginPosition
            : KuCoinTopics.Spot.IsolatedMarginPosition + subscription.Symbol,
        DataChannel.Lending => subscription.Symbol != AllSymbols
            ? KuCoinTopics.Spot.Loan + subscription.Symbol
            : throw new ExchangeException(new ConfigurationError("KuCoin lend orders are subscribed per currency: list currencies in PrivateSymbols, not *")),
        _ => throw new ExchangeException(new ConfigurationError($"KuCoin Spot private feed has no channel '{subscription.Channel.ToWire()}'")),
    };

    private static string SpotCandleInterval(Subscription subscription)
    {
        var interval = subscription.Interval ?? "1min";
        return KuCoinSpot.KlineTypes.Contains(interval)
            ? interval
            : throw new ExchangeException(new ConfigurationError($"unknown KuCoin spot candle type '{interval}'"));
    }

    /// <summary>The venue topic of a subscription.</summary>
    public static string Topic(Subscription subscription) => subscription.Channel switch
    {
        DataChannel.Trades => KuCoinTopics.Futures.Execution + subscription.Symbol,
        DataChannel.Ticker => KuCoinTopics.Futures.TickerV2 + subscription.Symbol,
        DataChannel.BookDelta => KuCoinTopics.Futures.Level2 + subscription.Symbol,
        DataChannel.BookDepth5 => KuCoinTopics.Futures.Level2Depth5 + subscription.Symbol,
        DataChannel.BookDepth50 => KuCoinTopics.Futures.Level2Depth50 + subscription.Symbol,
        DataChannel.Candles => $"{KuCoinTopics.Futures.Candle}{subscription.Symbol}_{CandleInterval(subscription)}",
        DataChannel.Funding => KuCoinTopics.Futures.Instrument + subscription.Symbol,
        DataChannel.Statistics => KuCoinTopics.Futures.Snapshot + subscription.Symbol,
        DataChannel.Notices => KuCoinTopics.Futures.AnnouncementOf + subscription.Symbol,
        _ => throw new ExchangeException(new ConfigurationError($"KuCoin Futures public feed has no channel '{subscription.Channel.ToWire()}'")),
    };

    /// <summary>The topic of a private subscription; <see cref="AllSymbols"/> subscribes every symbol.</summary>
    public static string PrivateTopic(Subscription subscription)
    {
        var all = subscription.Symbol == AllSymbols;
        return subscription.Channel switch
        {
            DataChannel.Orders => all ? KuCoinTopics.Futures.AllTradeOrders : KuCoinTopics.Futures.TradeOrders + subscription.Symbol,
            DataChannel.Positions => all ? KuCoinTopics.Futures.AllPositions : KuCoinTopics.Futures.Position + subscription.Symbol,
            DataChannel.Balances => KuCoinTopics.Futures.Wallet,
            DataChannel.AccountSettings => KuCoinTopics.Futures.MarginMode,   // and CrossLeverage: see Topics
            DataChannel.StopOrders => KuCoinTopics.Futures.AdvancedOrders,
            _ => throw new ExchangeException(new ConfigurationError($"KuCoin Futures private feed has no channel '{subscription.Channel.ToWire()}'")),
        };
    }

    /// <summary>Candle types of limitCandle (docs-new "Klines").</summary>
    public static readonly IReadOnlySet<string> CandleIntervals = new HashSet<string>(StringComparer.Ordinal)
    {
        "1min", "3min", "5min", "15min", "30min", "1hour", "2hour", "4hour", "8hour", "12hour", "1day", "1week",
    };

    private static string CandleInterval(Subscription subscription)
    {
        var interval = subscription.Interval ?? "1min";
        return CandleIntervals.Contains(interval)
            ? interval
            : throw new ExchangeException(new ConfigurationError(
                $"unknown KuCoin candle interval '{interval}' (expected one of {string.Join(", ", CandleIntervals)})"));
    }

    internal static string FormatInvariant(long value) => value.ToString(CultureInfo.InvariantCulture);
}
