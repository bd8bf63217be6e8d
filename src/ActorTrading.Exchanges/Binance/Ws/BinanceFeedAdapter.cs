using System.Text;
using System.Text.Json;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Exchanges.Binance.Rest;

namespace ActorTrading.Exchanges.Binance.Ws;

/// <summary>
/// Binance market streams: combined-stream sockets (<c>/stream</c>; USDⓈ-M on its routed paths <c>/public/stream</c>
/// and <c>/market/stream</c>) that are ready as soon as they open, take <c>SUBSCRIBE</c> requests, carry at most 1,024
/// streams each, and are kept alive by protocol pings (the server pings too and the socket answers). Delta books start
/// from the REST depth snapshot.
/// </summary>
public sealed class BinanceFeedAdapter : IFeedAdapter, IBookSnapshotProvider
{
    /// <summary>Streams per <c>SUBSCRIBE</c> request: a few requests a second is all a connection may send.</summary>
    public const int StreamsPerRequest = 200;

    /// <summary>Depth of the REST snapshot a delta book starts from.</summary>
    public const int SnapshotDepth = 1000;

    private readonly Uri _streamBase;

    /// <param name="market">Spot or USDⓈ-M futures.</param>
    /// <param name="streamBase">Another stream host (tests, a proxy): its scheme, host and port; paths follow the venue's.</param>
    /// <param name="route">USDⓈ-M only: the routed path this socket serves (<c>public</c> or <c>market</c>).</param>
    public BinanceFeedAdapter(MarketKind market, Uri? streamBase = null, string route = "")
    {
        if (market is not (MarketKind.Spot or MarketKind.Futures))
        {
            throw new ExchangeException(new ConfigurationError($"Binance feeds are spot or futures, not {market.ToWire()}"));
        }

        Market = market;
        Route = route;
        _streamBase = streamBase ?? (market == MarketKind.Futures ? BinanceVenue.FuturesStreamBase : BinanceVenue.SpotStreamBase);
    }

    public VenueId Venue => BinanceVenue.Id;

    public MarketKind Market { get; }

    /// <summary>The routed path of this socket (USDⓈ-M), empty on spot.</summary>
    public string Route { get; }

    public bool IsPrivate => false;

    public SendWindow SendWindow => BinanceVenue.SendWindow(Market);

    /// <summary>Binance sends no welcome.</summary>
    public FeedReadiness Readiness => FeedReadiness.OnOpen;

    public int MaxStreamsPerConnection => BinanceVenue.MaxStreamsPerConnection;

    /// <summary>Quiet symbols send nothing for long stretches: liveness is the socket's pong, not the data.</summary>
    public TimeSpan? ProtocolKeepAlive => TimeSpan.FromSeconds(30);

    public string RouteOf(Subscription subscription) => BinanceStreams.RouteOf(subscription, Market);

    public IFeedAdapter ForRoute(string route) => route == Route ? this : new BinanceFeedAdapter(Market, _streamBase, route);

    public Task<FeedEndpoint> ResolveEndpointAsync(IRestExecutor rest, CancellationToken cancellationToken)
    {
        // A futures socket with nothing routed yet serves the market path, where most streams live.
        var path = Market == MarketKind.Futures ? $"/{(Route.Length > 0 ? Route : BinanceStreams.MarketRoute)}/stream" : "/stream";
        var uri = new Uri(_streamBase, path);
        return Task.FromResult(new FeedEndpoint(uri, Guid.NewGuid().ToString("N"), TimeSpan.Zero, TimeSpan.Zero));
    }

    /// <summary><c>{"method":"SUBSCRIBE","params":["btcusdt@aggTrade",…],"id":"7"}</c>, at most <see cref="StreamsPerRequest"/> streams each.</summary>
    public IReadOnlyList<OutboundFrame> SubscriptionFrames(IReadOnlyCollection<Subscription> subscriptions, bool subscribe, Func<string> nextId)
    {
        var named = subscriptions.Select(s => (Subscription: s, Stream: BinanceStreams.Name(s, Market))).ToArray();
        return named.Chunk(StreamsPerRequest).Select(batch =>
        {
            var id = nextId();
            using var buffer = new MemoryStream();
            using (var json = new Utf8JsonWriter(buffer))
            {
                json.WriteStartObject();
                json.WriteString("method", subscribe ? "SUBSCRIBE" : "UNSUBSCRIBE");
                json.WriteStartArray("params");
                foreach (var (_, stream) in batch.DistinctBy(b => b.Stream))
                {
                    json.WriteStringValue(stream);
                }

                json.WriteEndArray();
                json.WriteString("id", id);
                json.WriteEndObject();
            }

            return new OutboundFrame(id, Encoding.UTF8.GetString(buffer.ToArray()), batch.Select(b => b.Subscription).ToArray());
        }).ToArray();
    }

    /// <summary>Never sent: Binance sockets are kept alive by protocol pings (<see cref="ProtocolKeepAlive"/>), so the endpoint's ping interval is zero.</summary>
    public string PingFrame(string id) =>
        throw new InvalidOperationException("Binance sockets are kept alive by WebSocket protocol pings, not ping frames");

    public string? AnswerFrame(in ControlEvent serverPing) => null;

    public IFrameParser CreateParser() => new BinanceFrameParser(Market);

    public Task<OrderBookUpdate> FetchBookSnapshotAsync(Symbol symbol, IRestExecutor rest, long receivedTs, CancellationToken cancellationToken) =>
        new BinanceMarketData(rest, Market).GetOrderBookAsync(symbol.Value, SnapshotDepth, receivedTs, cancellationToken);
}
