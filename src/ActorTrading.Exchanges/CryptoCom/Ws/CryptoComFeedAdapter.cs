using System.Globalization;
using System.Text.Json;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Exchanges.CryptoCom.Auth;

namespace ActorTrading.Exchanges.CryptoCom.Ws;

/// <summary>
/// A Crypto.com Exchange v1 stream: market data at <c>/exchange/v1/market</c>, or with credentials the account's at
/// <c>/exchange/v1/user</c>, which takes a <c>public/auth</c> frame (signed over method, id, key and nonce) before its
/// subscriptions; a refused login stops the feed. The venue asks for a second's pause after connecting before any
/// request (its limits count from the calendar second the connection opened). The server keeps the socket alive with
/// <c>public/heartbeat</c>, which must be answered with <c>public/respond-heartbeat</c> and the same id, or it closes the
/// connection: the client sends no pings of its own. Books: <c>book.{instrument}.{depth}</c> as a snapshot and then
/// deltas (<c>SNAPSHOT_AND_UPDATE</c>, every 10 ms), chained by <c>u</c>/<c>pu</c>; recovery is to subscribe again.
/// </summary>
public sealed class CryptoComFeedAdapter : IFeedAdapter
{
    /// <summary>Subscriptions one connection may carry (beyond: 40107 EXCEED_MAX_SUBSCRIPTIONS).</summary>
    public const int MaxSubscriptions = 400;

    /// <summary>Channels one subscribe request names.</summary>
    public const int ChannelsPerRequest = 100;

    private readonly Uri _endpoint;
    private readonly CryptoComCredentials? _credentials;

    /// <param name="market">Spot (<c>BTC_USDT</c>) or perpetuals (<c>BTCUSD-PERP</c>): one account and one stream serve both.</param>
    /// <param name="streamBase">Another stream host (tests, a proxy): its scheme, host and port; paths follow the venue's.</param>
    /// <param name="credentials">The account's: this is then the user stream.</param>
    public CryptoComFeedAdapter(MarketKind market, Uri? streamBase = null, CryptoComCredentials? credentials = null)
    {
        Market = market is MarketKind.Spot or MarketKind.Futures
            ? market
            : throw new ExchangeException(new ConfigurationError($"Crypto.com markets are spot or futures (perpetuals), not {market.ToWire()}"));
        _credentials = credentials;
        _endpoint = new Uri(streamBase ?? CryptoComVenue.StreamBase, IsPrivate ? "/exchange/v1/user" : "/exchange/v1/market");
    }

    public VenueId Venue => CryptoComVenue.Id;

    public MarketKind Market { get; }

    public bool IsPrivate => _credentials is not null;

    /// <summary>Market data takes 100 requests a second, the user API 150: a steady 50 a second stays well within both.</summary>
    public SendWindow SendWindow { get; } = new(50, TimeSpan.FromSeconds(1));

    public FeedReadiness Readiness => FeedReadiness.OnOpen;

    public TimeSpan ReadyDelay => CryptoComVenue.PauseAfterConnect;

    public int MaxStreamsPerConnection => MaxSubscriptions;

    /// <summary>No client pings: the server's heartbeats keep the socket alive (and the idle watchdog notices when they stop).</summary>
    public Task<FeedEndpoint> ResolveEndpointAsync(IRestExecutor rest, CancellationToken cancellationToken) =>
        Task.FromResult(new FeedEndpoint(_endpoint, Guid.NewGuid().ToString("N"), TimeSpan.Zero, TimeSpan.FromSeconds(10)));

    /// <summary><c>{"id":…,"method":"public/auth","api_key":…,"sig":…,"nonce":…}</c> on the user stream; none on market data.</summary>
    public OutboundFrame? LoginFrame(string id, DateTimeOffset now)
    {
        if (_credentials is null)
        {
            return null;
        }

        var requestId = long.Parse(id, NumberStyles.None, CultureInfo.InvariantCulture);
        var nonce = now.ToUnixTimeMilliseconds();
        var signature = CryptoComSigner.Sign(_credentials, "public/auth", requestId, null, nonce);
        return new OutboundFrame(id, Write(json =>
        {
            json.WriteNumber("id", requestId);
            json.WriteString("method", "public/auth");
            json.WriteString("api_key", _credentials.ApiKey);
            json.WriteString("sig", signature);
            json.WriteNumber("nonce", nonce);
        }), [])
        {
            Secrets = [_credentials.ApiKey, signature],
        };
    }

    /// <summary><c>{"id":7,"method":"subscribe","params":{"channels":[…]},"nonce":…}</c>, books with their type and frequency; 100 channels a request.</summary>
    public IReadOnlyList<OutboundFrame> SubscriptionFrames(IReadOnlyCollection<Subscription> subscriptions, bool subscribe, Func<string> nextId)
    {
        var channels = subscriptions.SelectMany(s => ChannelsOf(s).Select(channel => (Channel: channel, For: s))).ToArray();
        var frames = new List<OutboundFrame>();
        foreach (var kind in channels.GroupBy(c => c.Channel.StartsWith("book.", StringComparison.Ordinal)))
        {
            foreach (var batch in kind.Select(c => c.Channel).Distinct().Chunk(ChannelsPerRequest))
            {
                var id = nextId();
                var isBook = kind.Key;
                frames.Add(new OutboundFrame(id, Write(json =>
                {
                    json.WriteNumber("id", long.Parse(id, NumberStyles.None, CultureInfo.InvariantCulture));
                    json.WriteString("method", subscribe ? "subscribe" : "unsubscribe");
                    json.WriteStartObject("params");
                    json.WriteStartArray("channels");
                    foreach (var channel in batch)
                    {
                        json.WriteStringValue(channel);
                    }

                    json.WriteEndArray();
                    if (isBook && subscribe)
                    {
                        json.WriteString("book_subscription_type", "SNAPSHOT_AND_UPDATE");
                        json.WriteNumber("book_update_frequency", 10);
                    }

                    json.WriteEndObject();
                    json.WriteNumber("nonce", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
                }), channels.Where(c => batch.Contains(c.Channel)).Select(c => c.For).Distinct().ToArray()));
            }
        }

        return frames;
    }

    /// <summary>The node's channels as Crypto.com's: <c>trade.{i}</c>, <c>ticker.{i}</c>, <c>book.{i}.{depth}</c>, <c>candlestick.{interval}.{i}</c>; the user's <c>user.order.{i}</c> + <c>user.trade.{i}</c>, <c>user.balance</c>, <c>user.positions</c>.</summary>
    public IReadOnlyList<string> ChannelsOf(Subscription s)
    {
        var symbol = s.Symbol.Value;
        if (IsPrivate)
        {
            return s.Channel switch
            {
                DataChannel.Orders => ["user.order." + symbol, "user.trade." + symbol],
                DataChannel.Balances => ["user.balance"],
                DataChannel.Positions when Market == MarketKind.Futures => ["user.positions"],
                _ => throw new ExchangeException(new ConfigurationError($"Crypto.com's user stream has no channel '{s.Channel.ToWire()}' on {Market.ToWire()}")),
            };
        }

        var perpetual = symbol.EndsWith("-PERP", StringComparison.Ordinal);
        if (perpetual != (Market == MarketKind.Futures) || symbol != symbol.ToUpperInvariant())
        {
            throw new ExchangeException(new ConfigurationError(
                $"Crypto.com {Market.ToWire()} symbol '{symbol}': {(Market == MarketKind.Futures ? "a perpetual, upper-case (BTCUSD-PERP)" : "upper-case with an underscore (BTC_USDT)")}"));
        }

        return s.Channel switch
        {
            DataChannel.Trades => ["trade." + symbol],
            DataChannel.Ticker or DataChannel.BestQuote or DataChannel.Statistics => ["ticker." + symbol],
            DataChannel.BookDelta => [$"book.{symbol}.{BookDepth(s.Interval)}"],
            DataChannel.Candles => [$"candlestick.{CandleInterval(s.Interval ?? "1m")}.{symbol}"],
            _ => throw new ExchangeException(new ConfigurationError($"Crypto.com has no channel '{s.Channel.ToWire()}'")),
        };
    }

    /// <summary>A book subscription's depth: 50 by default, or 10.</summary>
    public static int BookDepth(string? depth) => depth is null
        ? 50
        : int.TryParse(depth, NumberStyles.None, CultureInfo.InvariantCulture, out var levels) && CryptoComVenue.BookDepths.Contains(levels)
            ? levels
            : throw new ExchangeException(new ConfigurationError($"Crypto.com book depth '{depth}': 10 or 50"));

    /// <summary>The candle intervals Crypto.com names: 1m, 5m, 15m, 30m, 1h, 2h, 4h, 12h, 1D, 7D, 14D, 1M.</summary>
    public static string CandleInterval(string interval) => interval is "1m" or "5m" or "15m" or "30m" or "1h" or "2h" or "4h" or "12h" or "1D" or "7D" or "14D" or "1M"
        ? interval
        : throw new ExchangeException(new ConfigurationError($"Crypto.com candle interval '{interval}': 1m, 5m, 15m, 30m, 1h, 2h, 4h, 12h, 1D, 7D, 14D or 1M"));

    /// <summary>No client pings (the interval is zero); the server's heartbeats are answered instead.</summary>
    public string PingFrame(string id) => AnswerFrame(new ControlEvent(ControlKind.Ping, id))!;

    /// <summary><c>{"id":…,"method":"public/respond-heartbeat"}</c> with the heartbeat's id.</summary>
    public string? AnswerFrame(in ControlEvent serverPing) =>
        serverPing.Kind == ControlKind.Ping && long.TryParse(serverPing.Id, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id)
            ? $$"""{"id":{{id}},"method":"public/respond-heartbeat"}"""
            : null;

    public IFrameParser CreateParser() => new CryptoComFrameParser(Market);

    private static string Write(Action<Utf8JsonWriter> write) => JsonText.Object(write);
}
