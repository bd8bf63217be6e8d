using System.Globalization;
using System.Text;
using System.Text.Json;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Exchanges.Binance.Auth;
using ActorTrading.Exchanges.Binance.Rest;

namespace ActorTrading.Exchanges.Binance.Ws;

/// <summary>
/// The account's own stream. USDⓈ-M: a listen key from <c>POST /fapi/v1/listenKey</c>, connected at
/// <c>/private/ws/&lt;key&gt;</c>, kept valid by a <c>PUT</c> every 30 minutes (it lapses after 60); on
/// <c>listenKeyExpired</c> the feed connects anew with a new key. Spot (listen keys retired on 2026-02-20): the
/// WebSocket API, where <c>userDataStream.subscribe.signature</c> — signed over its sorted parameters — starts the
/// account's events on this socket. Every event goes to every subscriber: the channels only say what the node wants.
/// </summary>
public sealed class BinanceUserDataAdapter : IFeedAdapter
{
    public static readonly TimeSpan ListenKeyRefresh = TimeSpan.FromMinutes(30);

    private readonly BinanceCredentials _credentials;
    private readonly Uri? _endpointBase;
    private readonly TimeProvider _clock;
    private readonly TimeSpan _listenKeyRefresh;

    /// <param name="market">Spot or USDⓈ-M futures.</param>
    /// <param name="credentials">The account's key; it signs the spot subscription and names the futures listen key.</param>
    /// <param name="endpointBase">Another host (tests): its scheme, host and port; paths follow the venue's.</param>
    /// <param name="clock">Time for the spot subscription's signature.</param>
    /// <param name="listenKeyRefresh">How often the futures listen key is kept alive (<see cref="ListenKeyRefresh"/> by default).</param>
    public BinanceUserDataAdapter(MarketKind market, BinanceCredentials credentials, Uri? endpointBase = null, TimeProvider? clock = null, TimeSpan? listenKeyRefresh = null)
    {
        if (market is not (MarketKind.Spot or MarketKind.Futures))
        {
            throw new ExchangeException(new ConfigurationError($"Binance user data is spot or futures, not {market.ToWire()}"));
        }

        Market = market;
        _credentials = credentials;
        _endpointBase = endpointBase;
        _clock = clock ?? TimeProvider.System;
        _listenKeyRefresh = listenKeyRefresh ?? ListenKeyRefresh;
    }

    public VenueId Venue => BinanceVenue.Id;

    public MarketKind Market { get; }

    public bool IsPrivate => true;

    public SendWindow SendWindow => BinanceVenue.SendWindow(Market);

    public FeedReadiness Readiness => FeedReadiness.OnOpen;

    /// <summary>An account with nothing happening sends nothing: liveness is the socket's pong.</summary>
    public TimeSpan? ProtocolKeepAlive => TimeSpan.FromSeconds(30);

    public TimeSpan? SessionRefreshInterval => Market == MarketKind.Futures ? _listenKeyRefresh : null;

    /// <summary><c>POST /fapi/v1/listenKey</c> (USER_STREAM: the key, no signature); a POST while a key is active returns it.</summary>
    public static RestRequest CreateListenKey { get; } = new(HttpMethod.Post, "/fapi/v1/listenKey", [], null, BinanceVenue.Pools.Weight, 1, Signed: true);

    /// <summary><c>PUT /fapi/v1/listenKey</c>: another 60 minutes; -1125 when the key is gone.</summary>
    public static RestRequest KeepListenKey { get; } = new(HttpMethod.Put, "/fapi/v1/listenKey", [], null, BinanceVenue.Pools.Weight, 1, Signed: true);

    public async Task<FeedEndpoint> ResolveEndpointAsync(IRestExecutor rest, CancellationToken cancellationToken)
    {
        if (Market == MarketKind.Spot)
        {
            return new FeedEndpoint(_endpointBase is null ? BinanceVenue.SpotWebSocketApi : new Uri(_endpointBase, "/ws-api/v3"),
                Guid.NewGuid().ToString("N"), TimeSpan.Zero, TimeSpan.Zero);
        }

        var data = await rest.SendAsync(CreateListenKey, cancellationToken).ConfigureAwait(false);
        var key = BinanceAnswers.Read(CreateListenKey, () => data.Deserialize(BinanceJsonContext.Default.BinanceListenKey)!.ListenKey);
        if (string.IsNullOrWhiteSpace(key) || key.Contains('/', StringComparison.Ordinal))
        {
            throw new ExchangeException(new ProtocolError("listen key answer holds no usable key", "(listen key)"));
        }

        var uri = new Uri(_endpointBase ?? BinanceVenue.FuturesStreamBase, "/private/ws/" + Uri.EscapeDataString(key));
        return new FeedEndpoint(uri, Guid.NewGuid().ToString("N"), TimeSpan.Zero, TimeSpan.Zero, [key]);
    }

    public Task RefreshSessionAsync(IRestExecutor rest, CancellationToken cancellationToken) => Market == MarketKind.Futures
        ? rest.SendAsync(KeepListenKey, cancellationToken)
        : Task.CompletedTask;

    /// <summary>
    /// USDⓈ-M needs none (the listen key carries every event). Spot: one signed <c>userDataStream.subscribe.signature</c>
    /// for all the account's channels (a fresh timestamp each time), or <c>userDataStream.unsubscribe</c>.
    /// </summary>
    public IReadOnlyList<OutboundFrame> SubscriptionFrames(IReadOnlyCollection<Subscription> subscriptions, bool subscribe, Func<string> nextId)
    {
        foreach (var subscription in subscriptions)
        {
            if (subscription.Channel is not (DataChannel.Orders or DataChannel.Balances) && !(subscription.Channel == DataChannel.Positions && Market == MarketKind.Futures))
            {
                throw new ExchangeException(new ConfigurationError($"Binance {Market.ToWire()} user data has no channel '{subscription.Channel.ToWire()}'"));
            }
        }

        if (Market == MarketKind.Futures || subscriptions.Count == 0)
        {
            return [];
        }

        var id = nextId();
        return [new OutboundFrame(id, subscribe ? SubscribeFrame(id, _clock.GetUtcNow().ToUnixTimeMilliseconds()) : UnsubscribeFrame(id), subscriptions.ToArray())];
    }

    /// <summary>The WebSocket API request, signed over <c>apiKey=…&amp;timestamp=…</c> (parameters sorted by name, web-socket-api.md "SIGNED request security").</summary>
    public string SubscribeFrame(string id, long timestampMs)
    {
        var timestamp = timestampMs.ToString(CultureInfo.InvariantCulture);
        var signature = BinanceSigner.SignWebSocketParams(_credentials, [KeyValuePair.Create("apiKey", _credentials.ApiKey), KeyValuePair.Create("timestamp", timestamp)]);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("id", id);
            json.WriteString("method", "userDataStream.subscribe.signature");
            json.WriteStartObject("params");
            json.WriteString("apiKey", _credentials.ApiKey);
            json.WriteNumber("timestamp", timestampMs);
            json.WriteString("signature", signature);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string UnsubscribeFrame(string id) => $$"""{"id":"{{id}}","method":"userDataStream.unsubscribe"}""";

    /// <summary>Never sent: the socket is kept alive by protocol pings.</summary>
    public string PingFrame(string id) =>
        throw new InvalidOperationException("Binance sockets are kept alive by WebSocket protocol pings, not ping frames");

    public string? AnswerFrame(in ControlEvent serverPing) => null;

    public IFrameParser CreateParser() => new BinanceFrameParser(Market);
}
