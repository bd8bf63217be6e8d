using ActorTrading.Core.Adapters;
using ActorTrading.Core.Ids;

namespace ActorTrading.Exchanges.CryptoCom;

/// <summary>
/// Crypto.com Exchange (API v1) hosts and limits (docs "Rate Limits", "Common Issues"). One account trades spot
/// (<c>BTC_USDT</c>) and perpetuals (<c>BTCUSD-PERP</c>); REST methods live under <c>/exchange/v1/{method}</c>.
/// </summary>
public static class CryptoComVenue
{
    public static readonly VenueId Id = new("cryptocom");

    public const string Name = "Crypto.com";

    public static readonly Uri RestBase = new("https://api.crypto.com");

    /// <summary>The path every REST method is under.</summary>
    public const string ApiPath = "/exchange/v1/";

    /// <summary>Market data at <c>/exchange/v1/market</c>, the account's at <c>/exchange/v1/user</c>.</summary>
    public static readonly Uri StreamBase = new("wss://stream.crypto.com");

    /// <summary>The resource pools a request spends from: each private method has its own per-key limit.</summary>
    public static class Pools
    {
        /// <summary>Public market data: 100 requests a second per IP and method.</summary>
        public const string Public = "public";

        /// <summary><c>private/create-order</c>, <c>private/cancel-order</c>, <c>private/cancel-all-orders</c>: 15 per 100 ms each.</summary>
        public const string Orders = "orders";

        /// <summary><c>private/get-order-detail</c>: 30 per 100 ms.</summary>
        public const string OrderDetail = "order-detail";

        /// <summary><c>private/get-trades</c>, <c>private/get-order-history</c>: 1 a second.</summary>
        public const string History = "history";

        /// <summary>Every other private method: 3 per 100 ms.</summary>
        public const string Private = "private";
    }

    public static IReadOnlyList<RateQuota> Limits { get; } =
    [
        new(Pools.Public, 100, TimeSpan.FromSeconds(1)),
        new(Pools.Orders, 15, TimeSpan.FromMilliseconds(100)),
        new(Pools.OrderDetail, 30, TimeSpan.FromMilliseconds(100)),
        new(Pools.History, 1, TimeSpan.FromSeconds(1)),
        new(Pools.Private, 3, TimeSpan.FromMilliseconds(100)),
    ];

    /// <summary>"By adding a 1-second sleep after establishing the websocket connection, and before requests are sent, this will ensure the rate limit is properly reset."</summary>
    public static readonly TimeSpan PauseAfterConnect = TimeSpan.FromSeconds(1);

    /// <summary>Book depths a subscription may name.</summary>
    public static readonly IReadOnlyList<int> BookDepths = [10, 50];
}
