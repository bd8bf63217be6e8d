using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Exchanges.KuCoin;
using ActorTrading.Exchanges.KuCoin.Auth;
using ActorTrading.Exchanges.KuCoin.Rest;
using ActorTrading.Exchanges.KuCoin.Ws;

namespace ActorTrading.Exchanges;

/// <summary>Endpoint overrides for one venue+market (tests and users point them at other servers).</summary>
public sealed record VenueEndpoints(Uri RestBaseUri, Uri? WsEndpointOverride = null);

/// <summary>Venue-neutral order-entry knobs from config: default leverage and margin mode for derivatives.</summary>
public sealed record OrderEntryOptions(int Leverage = 1, string? MarginMode = null);

/// <summary>
/// What the runtime and the CLI need to run a venue+market. Adding an exchange is one adapter folder plus one
/// entry in <see cref="ExchangeCatalog.Modules"/>.
/// </summary>
public sealed record VenueModule(
    VenueId Venue,
    MarketKind Market,
    Uri DefaultRestBase,
    IReadOnlyDictionary<string, int> Quotas,
    TimeSpan QuotaWindow,
    Func<VenueEndpoints, IFeedAdapter> CreateFeedAdapter,
    Func<VenueEndpoints, IRestAdapter> CreateRestAdapter,
    Func<ReadOnlyMemory<byte>, Symbol, long, OrderBookUpdate> ParseSnapshotBody,
    Func<VenueEndpoints, IFeedAdapter>? CreatePrivateFeedAdapter = null,
    Func<VenueEndpoints, Func<string, string?>, IRestAdapter>? CreateSignedRestAdapter = null,
    Func<OrderEntryOptions, IOrderEntryAdapter>? CreateOrderEntry = null,
    Func<Uri?, Func<string, string?>, IRequestReplyAdapter>? CreateTradingSocket = null);

public static class ExchangeCatalog
{
    public static readonly IReadOnlyList<VenueModule> Modules =
    [
        new(KuCoinVenue.Id, MarketKind.Futures, KuCoinVenue.FuturesRestBase, KuCoinVenue.Vip0Quota, KuCoinVenue.QuotaWindow,
            endpoints => new KuCoinFeedAdapter(endpoints.WsEndpointOverride),
            endpoints => new KuCoinRestAdapter(endpoints.RestBaseUri),
            (body, _, receivedTs) => KuCoinFeedAdapter.ParseSnapshotBody(body.Span, receivedTs),
            endpoints => new KuCoinFeedAdapter(endpoints.WsEndpointOverride, isPrivate: true),
            (endpoints, environment) => new KuCoinRestAdapter(endpoints.RestBaseUri, KuCoinCredentials.FromEnvironment(environment)),
            options => new KuCoinOrderEntryAdapter(MarketKind.Futures, options.Leverage, KuCoinFuturesMarginMode(options.MarginMode)),
            (endpoint, environment) => new KuCoinWsApiAdapter(KuCoinCredentials.FromEnvironment(environment), endpoint)),
        new(KuCoinVenue.Id, MarketKind.Spot, KuCoinVenue.SpotRestBase, KuCoinVenue.Vip0Quota, KuCoinVenue.QuotaWindow,
            endpoints => new KuCoinFeedAdapter(endpoints.WsEndpointOverride, market: MarketKind.Spot),
            endpoints => new KuCoinRestAdapter(endpoints.RestBaseUri),
            (body, symbol, receivedTs) => KuCoinFeedAdapter.ParseSpotSnapshotBody(body.Span, symbol, receivedTs),
            endpoints => new KuCoinFeedAdapter(endpoints.WsEndpointOverride, isPrivate: true, market: MarketKind.Spot),
            (endpoints, environment) => new KuCoinRestAdapter(endpoints.RestBaseUri, KuCoinCredentials.FromEnvironment(environment)),
            _ => new KuCoinOrderEntryAdapter(MarketKind.Spot),
            (endpoint, environment) => new KuCoinWsApiAdapter(KuCoinCredentials.FromEnvironment(environment), endpoint)),
    ];

    private static FuturesMarginMode? KuCoinFuturesMarginMode(string? mode) => mode?.ToLowerInvariant() switch
    {
        null or "" => null,
        "isolated" => FuturesMarginMode.Isolated,
        "cross" => FuturesMarginMode.Cross,
        _ => throw new ExchangeException(new ConfigurationError($"KuCoin futures margin mode '{mode}' (isolated, cross)")),
    };

    public static VenueModule Find(string venue, MarketKind market) =>
        Modules.FirstOrDefault(m => m.Venue.Value.Equals(venue, StringComparison.OrdinalIgnoreCase) && m.Market == market)
        ?? throw new ExchangeException(new ConfigurationError(
            $"no adapter for venue '{venue}' market '{market.ToWire()}' (available: {string.Join(", ", Modules.Select(m => $"{m.Venue} {m.Market.ToWire()}"))})"));
}
