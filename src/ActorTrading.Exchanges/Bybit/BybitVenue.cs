using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;

namespace ActorTrading.Exchanges.Bybit;

/// <summary>
/// Bybit v5 hosts, rate-limit pools and socket limits (bybit-exchange/docs v5/rate-limit/rate-limit.mdx,
/// v5/websocket/wss-authentication.mdx "Connect"). One Unified Trading Account serves spot and linear: the private
/// stream and the wallet are the account's, orders and positions carry their <c>category</c>.
/// </summary>
public static class BybitVenue
{
    public static readonly VenueId Id = new("bybit");

    public static readonly Uri RestBase = new("https://api.bybit.com");

    /// <summary>Public streams at <c>/v5/public/{spot|linear}</c>, the account's at <c>/v5/private</c>, order entry at <c>/v5/trade</c>.</summary>
    public static readonly Uri StreamBase = new("wss://stream.bybit.com");

    /// <summary>The category a market's requests and frames carry: <c>spot</c>, or <c>linear</c> for USDT/USDC perpetuals and futures.</summary>
    public static string Category(MarketKind market) => market switch
    {
        MarketKind.Spot => "spot",
        MarketKind.Futures => "linear",
        _ => throw new ExchangeException(new ConfigurationError($"Bybit markets are spot or futures (linear), not {market.ToWire()}")),
    };

    /// <summary>The resource pools a request spends from.</summary>
    public static class Pools
    {
        /// <summary>Every request to the host: 600 per 5 s per IP; beyond it HTTP 403 "access too frequent" and a pause of at least 10 min.</summary>
        public const string Ip = "ip";

        /// <summary>Per UID and second: <c>/v5/order/create</c> (linear 10/s, spot 20/s).</summary>
        public const string Create = "order-create";

        /// <summary><c>/v5/order/amend</c>: 10/s on both.</summary>
        public const string Amend = "order-amend";

        /// <summary><c>/v5/order/cancel</c> and <c>/cancel-all</c>: linear 10/s, spot 20/s.</summary>
        public const string Cancel = "order-cancel";

        /// <summary><c>/v5/order/realtime</c>, <c>/history</c>, <c>/v5/execution/list</c>, <c>/v5/position/list</c>, <c>/v5/account/wallet-balance</c>: 50/s each.</summary>
        public const string Query = "account-query";

        /// <summary><c>/v5/position/set-leverage</c>: 10/s.</summary>
        public const string Setup = "account-setup";
    }

    /// <summary>The limits of a market's requests: the IP's window and the UID's per-second windows.</summary>
    public static IReadOnlyList<RateQuota> Limits(MarketKind market) =>
    [
        new(Pools.Ip, 600, TimeSpan.FromSeconds(5)),
        new(Pools.Create, market == MarketKind.Spot ? 20 : 10, TimeSpan.FromSeconds(1)),
        new(Pools.Amend, 10, TimeSpan.FromSeconds(1)),
        new(Pools.Cancel, market == MarketKind.Spot ? 20 : 10, TimeSpan.FromSeconds(1)),
        new(Pools.Query, 50, TimeSpan.FromSeconds(1)),
        new(Pools.Setup, 10, TimeSpan.FromSeconds(1)),
    ];

    /// <summary>Arguments one spot subscribe request may carry ("Spot can input up to 10 args for each subscription request").</summary>
    public const int SpotArgsPerRequest = 10;

    /// <summary>Linear has no documented count limit, only the 21,000-character args limit: batched by this many anyway.</summary>
    public const int LinearArgsPerRequest = 200;

    /// <summary>The args of one request may not exceed this many characters.</summary>
    public const int MaxArgsCharacters = 21_000;

    /// <summary>"We recommend that you send the ping heartbeat packet every 20 seconds."</summary>
    public static readonly TimeSpan PingInterval = TimeSpan.FromSeconds(20);

    /// <summary>An IP over the HTTP limit is refused with 403 and must "wait for at least 10 minutes".</summary>
    public static readonly TimeSpan IpBan = TimeSpan.FromMinutes(10);

    /// <summary>The depth of a book stream unless a subscription names another (50 levels every 20 ms on spot and linear).</summary>
    public const int DefaultBookDepth = 50;

    /// <summary>Book depths of spot and linear streams; level 1 carries snapshots only (the best quote).</summary>
    public static readonly IReadOnlyList<int> BookDepths = [1, 50, 200, 1000];
}
