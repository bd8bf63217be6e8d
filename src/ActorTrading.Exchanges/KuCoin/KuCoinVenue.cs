using ActorTrading.Core.Ids;

namespace ActorTrading.Exchanges.KuCoin;

/// <summary>KuCoin hosts, resource pools and endpoint weights (docs-new "rate-limit"; SDK spec x-api-rate-limit-weight).</summary>
public static class KuCoinVenue
{
    public static readonly VenueId Id = VenueId.KuCoin;

    public static readonly Uri FuturesRestBase = new("https://api-futures.kucoin.com");
    public static readonly Uri SpotRestBase = new("https://api.kucoin.com");

    /// <summary>The success code of the <c>{"code":…,"data":…}</c> envelope.</summary>
    public const string SuccessCode = "200000";

    public static class Pools
    {
        public const string Spot = "spot";
        public const string Futures = "futures";
        public const string Management = "management";
        public const string Public = "public";
        public const string Unified = "unified";
    }

    /// <summary>VIP0 quota per pool per 30 s window.</summary>
    public static readonly IReadOnlyDictionary<string, int> Vip0Quota = new Dictionary<string, int>
    {
        [Pools.Spot] = 4000,
        [Pools.Futures] = 2000,
        [Pools.Management] = 2000,
        [Pools.Public] = 2000,
        [Pools.Unified] = 2000,
    };

    public static readonly TimeSpan QuotaWindow = TimeSpan.FromSeconds(30);

    /// <summary>Client messages per connection: 100 per 10 s, subscriptions and pings included.</summary>
    public const int WsSendLimit = 100;

    public static readonly TimeSpan WsSendWindow = TimeSpan.FromSeconds(10);
}
