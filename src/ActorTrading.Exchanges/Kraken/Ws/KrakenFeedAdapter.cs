using System.Globalization;
using System.Text.Json;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Exchanges.Kraken.Rest;

namespace ActorTrading.Exchanges.Kraken.Ws;

/// <summary>
/// A Kraken WebSocket v2 stream: public data at <c>wss://ws.kraken.com/v2</c>, or the account's at
/// <c>wss://ws-auth.kraken.com/v2</c> with a token fetched by <c>GetWebSocketsToken</c> on every connect (a token is
/// good for 15 minutes until a private subscription holds it). A public socket first subscribes the <c>instrument</c>
/// channel, whose snapshot gives the precisions the book checksums need, and takes its other subscriptions once that
/// is acknowledged. Ready on open; kept alive by <c>{"method":"ping"}</c>. One request per channel and symbol, so
/// each ack and refusal names one subscription. Books come from the stream: recovery is to subscribe again.
/// </summary>
public sealed class KrakenFeedAdapter : IFeedAdapter
{
    private readonly Uri _endpoint;
    private volatile string? _token;

    /// <summary>The token of the current connection (private stream), once resolved.</summary>
    public string? Token => _token;

    /// <param name="streamOverride">Another server (tests, a proxy): public data at <c>/v2</c>, the account's at <c>/auth/v2</c> on it.</param>
    /// <param name="isPrivate">The account's stream (its token comes from signed REST).</param>
    public KrakenFeedAdapter(Uri? streamOverride = null, bool isPrivate = false)
    {
        IsPrivate = isPrivate;
        _endpoint = streamOverride is null
            ? isPrivate ? KrakenVenue.PrivateStream : KrakenVenue.PublicStream
            : new Uri(streamOverride, isPrivate ? "/auth/v2" : "/v2");
    }

    public VenueId Venue => KrakenVenue.Id;

    public MarketKind Market => MarketKind.Spot;

    public bool IsPrivate { get; }

    /// <summary>Kraken documents no per-connection message rate for v2 requests; a steady 20 a second keeps bursts polite.</summary>
    public SendWindow SendWindow { get; } = new(20, TimeSpan.FromSeconds(1));

    public FeedReadiness Readiness => FeedReadiness.OnOpen;

    /// <summary>The private stream fetches a new token for every connection; the public one needs nothing.</summary>
    public async Task<FeedEndpoint> ResolveEndpointAsync(IRestExecutor rest, CancellationToken cancellationToken)
    {
        if (!IsPrivate)
        {
            return new FeedEndpoint(_endpoint, Guid.NewGuid().ToString("N"), KrakenVenue.PingInterval, TimeSpan.FromSeconds(10));
        }

        var token = KrakenTrading.ReadToken(await rest.SendAsync(KrakenOrderRequests.WebSocketsToken(), cancellationToken).ConfigureAwait(false));
        _token = token.Token;

        // The token travels in the frames, not the URL: as one of the endpoint's secrets the node scrubs it from every log and error.
        return new FeedEndpoint(_endpoint, Guid.NewGuid().ToString("N"), KrakenVenue.PingInterval, TimeSpan.FromSeconds(10), PathSecrets: [token.Token]);
    }

    /// <summary>
    /// A public socket's first request: the <c>instrument</c> channel, so the pairs' precisions are known before any
    /// book's snapshot arrives; the private socket authenticates by the token in each subscription instead.
    /// </summary>
    public OutboundFrame? LoginFrame(string id, DateTimeOffset now) =>
        IsPrivate ? null : new OutboundFrame(id, Request(id, "subscribe", "instrument", null, static _ => { }), []);

    public IReadOnlyList<OutboundFrame> SubscriptionFrames(IReadOnlyCollection<Subscription> subscriptions, bool subscribe, Func<string> nextId)
    {
        var method = subscribe ? "subscribe" : "unsubscribe";
        var frames = new List<OutboundFrame>();
        foreach (var group in subscriptions.GroupBy(KeyOf))
        {
            var id = nextId();
            var (channel, symbol, extra) = group.Key;
            if (IsPrivate)
            {
                // "<token>" stands in when the adapter is asked before its first connect (the node checks its config so).
                var token = _token ?? "<token>";
                frames.Add(new OutboundFrame(id, Request(id, method, channel, null, json =>
                {
                    json.WriteString("token", token);
                    if (subscribe && channel == "executions")
                    {
                        // Open orders and the last 50 fills on every (re)connect: a fill pushed while the socket was down is not lost.
                        json.WriteBoolean("snap_orders", true);
                        json.WriteBoolean("snap_trades", true);
                    }
                }), group.ToArray())
                {
                    Secrets = _token is null ? [] : [_token],
                });
                continue;
            }

            frames.Add(new OutboundFrame(id, Request(id, method, channel, symbol, json =>
            {
                if (extra is { } value)
                {
                    json.WriteNumber(channel == "book" ? "depth" : "interval", value);
                }

                if (channel == "ticker" && subscribe)
                {
                    json.WriteString("event_trigger", "bbo");   // a ticker on every change of the best quote, not only on trades
                }
            }), group.ToArray()));
        }

        return frames;
    }

    /// <summary>The request a subscription belongs to: its channel, its symbol (public) and its depth or interval.</summary>
    private (string Channel, string? Symbol, int? Extra) KeyOf(Subscription s)
    {
        if (IsPrivate)
        {
            return s.Channel switch
            {
                DataChannel.Orders => ("executions", null, null),
                DataChannel.Balances => ("balances", null, null),
                _ => throw new ExchangeException(new ConfigurationError($"Kraken's account stream has no channel '{s.Channel.ToWire()}' (orders, balances)")),
            };
        }

        KrakenPairs.Split(s.Symbol);
        return s.Channel switch
        {
            DataChannel.Trades => ("trade", s.Symbol.Value, null),
            DataChannel.Ticker or DataChannel.BestQuote or DataChannel.Statistics => ("ticker", s.Symbol.Value, null),
            DataChannel.BookDelta => ("book", s.Symbol.Value, BookDepth(s.Interval)),
            DataChannel.Candles => ("ohlc", s.Symbol.Value, CandleInterval(s.Interval ?? "1")),
            _ => throw new ExchangeException(new ConfigurationError($"Kraken spot has no channel '{s.Channel.ToWire()}'")),
        };
    }

    /// <summary>A book subscription's depth: 10 by default, or 25, 100, 500, 1000.</summary>
    public static int BookDepth(string? depth) => depth is null
        ? KrakenVenue.DefaultBookDepth
        : int.TryParse(depth, NumberStyles.None, CultureInfo.InvariantCulture, out var levels) && KrakenVenue.BookDepths.Contains(levels)
            ? levels
            : throw new ExchangeException(new ConfigurationError($"Kraken book depth '{depth}': one of {string.Join(", ", KrakenVenue.BookDepths)}"));

    /// <summary>A candle interval in minutes: 1, 5, 15, 30, 60, 240, 1440, 10080 or 21600.</summary>
    public static int CandleInterval(string interval) =>
        int.TryParse(interval, NumberStyles.None, CultureInfo.InvariantCulture, out var minutes) && KrakenVenue.CandleIntervals.Contains(minutes)
            ? minutes
            : throw new ExchangeException(new ConfigurationError($"Kraken candle interval '{interval}': one of {string.Join(", ", KrakenVenue.CandleIntervals)} (minutes)"));

    /// <summary><c>{"method":"subscribe","params":{"channel":"book","symbol":["BTC/USD"],"depth":10},"req_id":7}</c>.</summary>
    private static string Request(string id, string method, string channel, string? symbol, Action<Utf8JsonWriter> parameters) => JsonText.Object(json =>
    {
        json.WriteString("method", method);
        json.WriteStartObject("params");
        json.WriteString("channel", channel);
        if (symbol is not null)
        {
            json.WriteStartArray("symbol");
            json.WriteStringValue(symbol);
            json.WriteEndArray();
        }

        parameters(json);
        json.WriteEndObject();
        json.WriteNumber("req_id", long.Parse(id, CultureInfo.InvariantCulture));
    });

    /// <summary><c>{"method":"ping","req_id":12}</c>, answered by a pong with the same id.</summary>
    public string PingFrame(string id) => $$"""{"method":"ping","req_id":{{id}}}""";

    /// <summary>Kraken's server does not ping.</summary>
    public string? AnswerFrame(in ControlEvent serverPing) => null;

    public IFrameParser CreateParser() => new KrakenFrameParser();
}
