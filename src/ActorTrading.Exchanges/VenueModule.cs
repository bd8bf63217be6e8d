using ActorTrading.Core.Adapters;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Exchanges.Calls;

namespace ActorTrading.Exchanges;

/// <summary>Endpoint overrides for one venue+market (tests and users point them at other servers).</summary>
public sealed record VenueEndpoints(Uri RestBaseUri, Uri? WsEndpointOverride = null);

/// <summary>Venue-neutral order-entry knobs from config: default leverage and margin mode for derivatives.</summary>
public sealed record OrderEntryOptions(int Leverage = 1, string? MarginMode = null);

/// <summary>
/// What the runtime and the CLI need to run one venue+market's public side: its REST host and quotas, its feed and
/// REST adapters, and how to read its book snapshot. A venue's folder implements this (and the capabilities below it
/// has) in one module class; <see cref="ExchangeCatalog.Modules"/> lists it on one line.
/// </summary>
public interface IVenueModule
{
    VenueId Venue { get; }

    MarketKind Market { get; }

    Uri DefaultRestBase { get; }

    /// <summary>The venue's REST limits: per pool, one or more windows.</summary>
    IReadOnlyList<RateQuota> Limits { get; }

    IFeedAdapter CreateFeedAdapter(VenueEndpoints endpoints);

    IRestAdapter CreateRestAdapter(VenueEndpoints endpoints);

    /// <summary>How the venue lists its instruments' trading rules (tick, lot step, minimum size and notional, contract size).</summary>
    IInstrumentAdapter Instruments { get; }

    /// <summary>
    /// The venue's <c>call</c> operations, every market's (each module of a venue gives the same list): the unified
    /// ones under the same names and parameters on every venue, and the venue's own.
    /// </summary>
    IReadOnlyList<CallOperation> Calls { get; }

    /// <summary>A REST book snapshot body exactly as the venue returns it, as a snapshot update (the <c>book</c> command).</summary>
    OrderBookUpdate ParseSnapshotBody(ReadOnlyMemory<byte> body, Symbol symbol, long receivedTs);
}

/// <summary>A venue+market with private access: signed REST and the account's private feed.</summary>
public interface IPrivateVenueModule : IVenueModule
{
    /// <summary>Signed REST, with credentials read through <paramref name="environment"/> (named in the error when missing).</summary>
    IRestAdapter CreateSignedRestAdapter(VenueEndpoints endpoints, Func<string, string?> environment);

    /// <summary>The account's feed; credentials, where the feed itself signs (Binance spot), read through <paramref name="environment"/>.</summary>
    IFeedAdapter CreatePrivateFeedAdapter(VenueEndpoints endpoints, Func<string, string?> environment);
}

/// <summary>A venue+market whose orders the node can place, cancel and reconcile.</summary>
public interface IOrderEntryModule : IPrivateVenueModule
{
    /// <summary>The ids the venue takes for orders (the node's ids are made to fit the strictest of a venue's markets).</summary>
    ClientOrderIdRule ClientOrderIds { get; }

    IOrderEntryAdapter CreateOrderEntry(OrderEntryOptions options);
}

/// <summary>A venue+market with a trading WebSocket for order entry (<c>Orders.Route ws</c>).</summary>
public interface ITradingSocketModule : IOrderEntryModule
{
    IRequestReplyAdapter CreateTradingSocket(Uri? endpointOverride, Func<string, string?> environment);
}
