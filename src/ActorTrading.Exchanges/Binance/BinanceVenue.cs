using ActorTrading.Core.Adapters;
using ActorTrading.Core.Ids;

namespace ActorTrading.Exchanges.Binance;

/// <summary>
/// Binance Spot and USDⓈ-M Futures hosts, rate-limit pools and socket limits (binance-spot-api-docs rest-api.md
/// "LIMITS", web-socket-streams.md "WebSocket Limits"; derivatives docs "USDⓈ-M Futures General Info").
/// </summary>
public static class BinanceVenue
{
    public static readonly VenueId Id = new("binance");

    public static readonly Uri SpotRestBase = new("https://api.binance.com");
    public static readonly Uri FuturesRestBase = new("https://fapi.binance.com");

    /// <summary>Spot market streams; combined streams at <c>/stream</c>.</summary>
    public static readonly Uri SpotStreamBase = new("wss://stream.binance.com:9443");

    /// <summary>USDⓈ-M streams, served on routed paths (<c>/public</c>, <c>/market</c>, <c>/private</c>) since 2026-03-06.</summary>
    public static readonly Uri FuturesStreamBase = new("wss://fstream.binance.com");

    /// <summary>The Spot WebSocket API: user data since the listenKey endpoints were retired on 2026-02-20.</summary>
    public static readonly Uri SpotWebSocketApi = new("wss://ws-api.binance.com:443/ws-api/v3");

    /// <summary>The resource pools of a request: the IP's request weight, and the account's order counts.</summary>
    public static class Pools
    {
        /// <summary>REQUEST_WEIGHT per IP (header <c>X-MBX-USED-WEIGHT-1M</c>).</summary>
        public const string Weight = "weight";

        /// <summary>ORDERS per account (headers <c>X-MBX-ORDER-COUNT-10S</c>, <c>-1D</c> spot, <c>-1M</c> futures).</summary>
        public const string Orders = "orders";
    }

    /// <summary>Spot: 6,000 weight a minute per IP; 100 orders per 10 s and 200,000 a day per account.</summary>
    public static readonly IReadOnlyList<RateQuota> SpotLimits =
    [
        new(Pools.Weight, 6000, TimeSpan.FromMinutes(1)),
        new(Pools.Orders, 100, TimeSpan.FromSeconds(10)),
        new(Pools.Orders, 200_000, TimeSpan.FromDays(1)),
    ];

    /// <summary>USDⓈ-M: 2,400 weight a minute per IP; 300 orders per 10 s and 1,200 a minute per account.</summary>
    public static readonly IReadOnlyList<RateQuota> FuturesLimits =
    [
        new(Pools.Weight, 2400, TimeSpan.FromMinutes(1)),
        new(Pools.Orders, 300, TimeSpan.FromSeconds(10)),
        new(Pools.Orders, 1200, TimeSpan.FromMinutes(1)),
    ];

    /// <summary>Streams one connection may carry (both markets).</summary>
    public const int MaxStreamsPerConnection = 1024;

    /// <summary>Incoming messages per second on a spot connection (pings, pongs and JSON requests count).</summary>
    public const int SpotSendLimit = 5;

    /// <summary>Incoming messages per second on a USDⓈ-M connection.</summary>
    public const int FuturesSendLimit = 10;

    /// <summary>What one connection may send: 5 messages a second on spot, 10 on USDⓈ-M.</summary>
    public static SendWindow SendWindow(MarketKind market) =>
        new(market == MarketKind.Futures ? FuturesSendLimit : SpotSendLimit, TimeSpan.FromSeconds(1));

    /// <summary>A connection is cut at 24 h; the node reconnects on its own before that.</summary>
    public static readonly TimeSpan MaxConnectionAge = TimeSpan.FromHours(24);

    /// <summary>The default <c>recvWindow</c> of a signed request, in ms (the venue's own default, and its advice).</summary>
    public const int RecvWindowMs = 5000;
}
