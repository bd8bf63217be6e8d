using System.Text.Json;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Json;
using ActorTrading.Core.Market;
using ActorTrading.Exchanges.Bybit.Auth;
using ActorTrading.Exchanges.Bybit.Rest;
using ActorTrading.Exchanges.Bybit.Ws;
using ActorTrading.Exchanges.Calls;

namespace ActorTrading.Exchanges.Bybit;

/// <summary>
/// Bybit v5 Spot or linear perpetuals and futures (<c>--market futures</c>): public streams and REST, the Unified
/// account's private stream and order entry over signed REST. Books come from the stream (a snapshot on subscribe).
/// </summary>
public sealed class BybitModule(MarketKind market) : IOrderEntryModule
{
    /// <summary>Every Bybit market the node runs.</summary>
    public static IReadOnlyList<IVenueModule> All { get; } = [new BybitModule(MarketKind.Spot), new BybitModule(MarketKind.Futures)];

    public VenueId Venue => BybitVenue.Id;

    public MarketKind Market { get; } = market is MarketKind.Spot or MarketKind.Futures
        ? market
        : throw new ExchangeException(new ConfigurationError($"Bybit modules are spot or futures (linear), not {market.ToWire()}"));

    public Uri DefaultRestBase => BybitVenue.RestBase;

    public IReadOnlyList<RateQuota> Limits => BybitVenue.Limits(Market);

    public IFeedAdapter CreateFeedAdapter(VenueEndpoints endpoints) => new BybitFeedAdapter(Market, endpoints.WsEndpointOverride);

    public IRestAdapter CreateRestAdapter(VenueEndpoints endpoints) => new BybitRestAdapter(endpoints.RestBaseUri);

    public IInstrumentAdapter Instruments => new BybitInstruments(Market);

    public IReadOnlyList<CallOperation> Calls => BybitOperations.All;

    public IRestAdapter CreateSignedRestAdapter(VenueEndpoints endpoints, Func<string, string?> environment) =>
        new BybitRestAdapter(endpoints.RestBaseUri, BybitCredentials.FromEnvironment(environment));

    public IFeedAdapter CreatePrivateFeedAdapter(VenueEndpoints endpoints, Func<string, string?> environment) =>
        new BybitFeedAdapter(Market, endpoints.WsEndpointOverride, BybitCredentials.FromEnvironment(environment));

    /// <summary>Linear leverage is set per symbol before its first order; the margin mode is the Unified account's (set at the venue).</summary>
    public ClientOrderIdRule ClientOrderIds => BybitOrderEntryAdapter.Rule;

    public IOrderEntryAdapter CreateOrderEntry(OrderEntryOptions options) => options.MarginMode is null or ""
        ? new BybitOrderEntryAdapter(Market, options.Leverage)
        : throw new ExchangeException(new ConfigurationError(
            "Bybit's margin mode belongs to the Unified account (isolated, cross or portfolio, set at the venue), not to the node: remove Orders.MarginMode"));

    /// <summary>The body exactly as <c>GET /v5/market/orderbook</c> returns it; an error envelope is the venue's error.</summary>
    public OrderBookUpdate ParseSnapshotBody(ReadOnlyMemory<byte> body, Symbol symbol, long receivedTs)
    {
        var outcome = new BybitRestAdapter(DefaultRestBase).Unwrap(200, body.Span, null);
        if (!outcome.IsSuccess)
        {
            throw new ExchangeException(outcome.Error!);
        }

        try
        {
            return BybitMarketData.ParseOrderBook(outcome.Data, Market, symbol, receivedTs);
        }
        catch (Exception e) when (e is FrameFormatException or InvalidOperationException or KeyNotFoundException or JsonException)
        {
            throw new ExchangeException(ProtocolError.From("orderbook snapshot: " + e.Message, body.Span));
        }
    }
}
