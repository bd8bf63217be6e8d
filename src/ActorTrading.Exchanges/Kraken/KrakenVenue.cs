using ActorTrading.Core.Adapters;
using ActorTrading.Core.Ids;

namespace ActorTrading.Exchanges.Kraken;

/// <summary>
/// Kraken Spot hosts, rate-limit pools and socket limits (docs "Spot REST rate limits", "Spot WebSocket
/// introduction"). Symbols are the WebSocket v2 names (<c>BTC/USD</c>): what the streams, the executions and WS order
/// entry use; REST requests name the same pair by its REST name (<see cref="KrakenPairs"/>).
/// </summary>
public static class KrakenVenue
{
    public static readonly VenueId Id = new("kraken");

    public const string Name = "Kraken";

    public static readonly Uri RestBase = new("https://api.kraken.com");

    /// <summary>Public data at <c>wss://ws.kraken.com/v2</c>.</summary>
    public static readonly Uri PublicStream = new("wss://ws.kraken.com/v2");

    /// <summary>The account's channels and order entry at <c>wss://ws-auth.kraken.com/v2</c>, with a token from <c>GetWebSocketsToken</c>.</summary>
    public static readonly Uri PrivateStream = new("wss://ws-auth.kraken.com/v2");

    /// <summary>The resource pools a request spends from.</summary>
    public static class Pools
    {
        /// <summary>Public endpoints: about one call a second per IP ("calling the public endpoints at a frequency of 1 per second (or less) would remain within the limits").</summary>
        public const string Public = "public";

        /// <summary>
        /// The API key's call counter: +1 a call (+2 ledger and trade history), at most 15 (Starter) and −0.33 a second.
        /// Modelled as a sliding window of 15 per 45 s, which never exceeds the counter (the counter allows 15 plus what
        /// decays within any window).
        /// </summary>
        public const string Counter = "call-counter";

        /// <summary>
        /// The trading engine's own limiter for AddOrder, AmendOrder, EditOrder and CancelOrder (per pair; Starter 60 with
        /// a decay of 1 a second, more for a cancel soon after its placement): modelled as 60 per 60 s across the key.
        /// </summary>
        public const string Trading = "trading-engine";
    }

    /// <summary>The Starter tier's limits (the lowest: a key of a higher tier only gets more).</summary>
    public static IReadOnlyList<RateQuota> Limits { get; } =
    [
        new(Pools.Public, 1, TimeSpan.FromSeconds(1)),
        new(Pools.Counter, 15, TimeSpan.FromSeconds(45)),
        new(Pools.Trading, 60, TimeSpan.FromSeconds(60)),
    ];

    /// <summary>The WebSocket v2 keep-alive: <c>{"method":"ping"}</c>; the venue sends heartbeats every second once subscribed.</summary>
    public static readonly TimeSpan PingInterval = TimeSpan.FromSeconds(20);

    /// <summary>Book depths the v2 <c>book</c> channel offers.</summary>
    public static readonly IReadOnlyList<int> BookDepths = [10, 25, 100, 500, 1000];

    /// <summary>The depth of a book subscription unless the symbol names another.</summary>
    public const int DefaultBookDepth = 10;

    /// <summary>OHLC intervals in minutes.</summary>
    public static readonly IReadOnlyList<int> CandleIntervals = [1, 5, 15, 30, 60, 240, 1440, 10080, 21600];
}
