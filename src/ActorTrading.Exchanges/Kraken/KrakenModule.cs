using System.Text.Json;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Json;
using ActorTrading.Core.Market;
using ActorTrading.Exchanges.Calls;
using ActorTrading.Exchanges.Kraken.Auth;
using ActorTrading.Exchanges.Kraken.Rest;
using ActorTrading.Exchanges.Kraken.Ws;

namespace ActorTrading.Exchanges.Kraken;

/// <summary>
/// Kraken Spot: public data over WebSocket v2 (books from the stream, each message checked against Kraken's CRC32),
/// public and private REST, the account's stream (token from <c>GetWebSocketsToken</c> on every connect) and order
/// entry over signed REST or the account's WebSocket. Symbols are the v2 names (<c>BTC/USD</c>).
/// </summary>
public sealed class KrakenModule : ITradingSocketModule
{
    /// <summary>Every Kraken market the node runs.</summary>
    public static IReadOnlyList<IVenueModule> All { get; } = [new KrakenModule()];

    public VenueId Venue => KrakenVenue.Id;

    public MarketKind Market => MarketKind.Spot;

    public Uri DefaultRestBase => KrakenVenue.RestBase;

    public IReadOnlyList<RateQuota> Limits => KrakenVenue.Limits;

    public IFeedAdapter CreateFeedAdapter(VenueEndpoints endpoints) => new KrakenFeedAdapter(endpoints.WsEndpointOverride);

    public IRestAdapter CreateRestAdapter(VenueEndpoints endpoints) => new KrakenRestAdapter(endpoints.RestBaseUri);

    public IInstrumentAdapter Instruments => new KrakenInstruments();

    public IReadOnlyList<CallOperation> Calls => KrakenOperations.All;

    public IRestAdapter CreateSignedRestAdapter(VenueEndpoints endpoints, Func<string, string?> environment) =>
        new KrakenRestAdapter(endpoints.RestBaseUri, KrakenCredentials.FromEnvironment(environment));

    /// <summary>The account's stream: its token comes from the signed REST, so the keys are checked here already.</summary>
    public IFeedAdapter CreatePrivateFeedAdapter(VenueEndpoints endpoints, Func<string, string?> environment)
    {
        _ = KrakenCredentials.FromEnvironment(environment);
        return new KrakenFeedAdapter(endpoints.WsEndpointOverride, isPrivate: true);
    }

    public ClientOrderIdRule ClientOrderIds => KrakenOrderEntryAdapter.Rule;

    public IOrderEntryAdapter CreateOrderEntry(OrderEntryOptions options) => options.MarginMode is null or ""
        ? new KrakenOrderEntryAdapter(options.Leverage)
        : throw new ExchangeException(new ConfigurationError("Kraken spot orders have no margin mode: remove Orders.MarginMode"));

    /// <summary>Order entry over the account's WebSocket (<c>Orders.Route ws</c>; <c>Orders.TradingWsEndpoint</c> names another server, its account socket at <c>/auth/v2</c>).</summary>
    public IRequestReplyAdapter CreateTradingSocket(Uri? endpointOverride, Func<string, string?> environment)
    {
        _ = KrakenCredentials.FromEnvironment(environment);
        return new KrakenTradingSocket(endpointOverride);
    }

    /// <summary>The body exactly as <c>GET /0/public/Depth</c> returns it; an error envelope is the venue's error.</summary>
    public OrderBookUpdate ParseSnapshotBody(ReadOnlyMemory<byte> body, Symbol symbol, long receivedTs)
    {
        var outcome = new KrakenRestAdapter(DefaultRestBase).Unwrap(200, body.Span, null);
        if (!outcome.IsSuccess)
        {
            throw new ExchangeException(outcome.Error!);
        }

        try
        {
            return KrakenMarketData.ReadDepth(outcome.Data, symbol, receivedTs);
        }
        catch (Exception e) when (e is FrameFormatException or InvalidOperationException or KeyNotFoundException or JsonException or IndexOutOfRangeException)
        {
            throw new ExchangeException(ProtocolError.From("Depth snapshot: " + e.Message, body.Span));
        }
    }
}
