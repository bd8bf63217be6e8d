using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Exchanges.Calls;
using ActorTrading.Exchanges.KuCoin.Auth;
using ActorTrading.Exchanges.KuCoin.Rest;
using ActorTrading.Exchanges.KuCoin.Ws;

namespace ActorTrading.Exchanges.KuCoin;

/// <summary>KuCoin Futures or Spot: public and private feeds, REST, order entry over REST or the trading socket.</summary>
public sealed class KuCoinModule(MarketKind market) : ITradingSocketModule
{
    /// <summary>Every KuCoin market the node runs (margin and unified are reached through spot and the CLI).</summary>
    public static IReadOnlyList<IVenueModule> All { get; } = [new KuCoinModule(MarketKind.Futures), new KuCoinModule(MarketKind.Spot)];

    public VenueId Venue => KuCoinVenue.Id;

    public MarketKind Market { get; } = market is MarketKind.Futures or MarketKind.Spot
        ? market
        : throw new ExchangeException(new ConfigurationError($"KuCoin modules are futures or spot, not {market.ToWire()}"));

    public Uri DefaultRestBase => Market == MarketKind.Futures ? KuCoinVenue.FuturesRestBase : KuCoinVenue.SpotRestBase;

    public IReadOnlyList<RateQuota> Limits { get; } = RateQuota.Uniform(KuCoinVenue.Vip0Quota, KuCoinVenue.QuotaWindow);

    public IFeedAdapter CreateFeedAdapter(VenueEndpoints endpoints) => new KuCoinFeedAdapter(endpoints.WsEndpointOverride, market: Market);

    public IRestAdapter CreateRestAdapter(VenueEndpoints endpoints) => new KuCoinRestAdapter(endpoints.RestBaseUri);

    public OrderBookUpdate ParseSnapshotBody(ReadOnlyMemory<byte> body, Symbol symbol, long receivedTs) => Market == MarketKind.Futures
        ? KuCoinFeedAdapter.ParseSnapshotBody(body.Span, receivedTs)
        : KuCoinFeedAdapter.ParseSpotSnapshotBody(body.Span, symbol, receivedTs);

    public IInstrumentAdapter Instruments => new KuCoinInstruments(Market);

    public IReadOnlyList<CallOperation> Calls => KuCoinOperations.Calls;

    public IRestAdapter CreateSignedRestAdapter(VenueEndpoints endpoints, Func<string, string?> environment) =>
        new KuCoinRestAdapter(endpoints.RestBaseUri, KuCoinCredentials.FromEnvironment(environment));

    /// <summary>KuCoin's private feed signs nothing itself: its token comes from the signed REST the node gives it.</summary>
    public IFeedAdapter CreatePrivateFeedAdapter(VenueEndpoints endpoints, Func<string, string?> environment) => new KuCoinFeedAdapter(endpoints.WsEndpointOverride, isPrivate: true, market: Market);

    public ClientOrderIdRule ClientOrderIds => KuCoinOrderEntryAdapter.Rule;

    public IOrderEntryAdapter CreateOrderEntry(OrderEntryOptions options) => Market == MarketKind.Futures
        ? new KuCoinOrderEntryAdapter(MarketKind.Futures, options.Leverage, FuturesMarginModeOf(options.MarginMode))
        : new KuCoinOrderEntryAdapter(MarketKind.Spot);

    public IRequestReplyAdapter CreateTradingSocket(Uri? endpointOverride, Func<string, string?> environment) =>
        new KuCoinWsApiAdapter(KuCoinCredentials.FromEnvironment(environment), endpointOverride);

    private static FuturesMarginMode? FuturesMarginModeOf(string? mode) => mode?.ToLowerInvariant() switch
    {
        null or "" => null,
        "isolated" => FuturesMarginMode.Isolated,
        "cross" => FuturesMarginMode.Cross,
        _ => throw new ExchangeException(new ConfigurationError($"KuCoin futures margin mode '{mode}' (isolated, cross)")),
    };
}
