using System.Text.Json;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Json;
using ActorTrading.Core.Market;
using ActorTrading.Exchanges.Calls;
using ActorTrading.Exchanges.CryptoCom.Auth;
using ActorTrading.Exchanges.CryptoCom.Rest;
using ActorTrading.Exchanges.CryptoCom.Ws;

namespace ActorTrading.Exchanges.CryptoCom;

/// <summary>
/// Crypto.com Exchange (API v1), spot (<c>BTC_USDT</c>) or perpetuals (<c>BTCUSD-PERP</c>, <c>--market futures</c>): market
/// data streams (books from the stream, chained by u/pu), the user stream (<c>public/auth</c>, heartbeats answered) and
/// order entry over signed REST or the user socket.
/// </summary>
public sealed class CryptoComModule(MarketKind market) : ITradingSocketModule
{
    public static IReadOnlyList<IVenueModule> All { get; } = [new CryptoComModule(MarketKind.Spot), new CryptoComModule(MarketKind.Futures)];

    public VenueId Venue => CryptoComVenue.Id;

    public MarketKind Market { get; } = market is MarketKind.Spot or MarketKind.Futures
        ? market
        : throw new ExchangeException(new ConfigurationError($"Crypto.com modules are spot or futures (perpetuals), not {market.ToWire()}"));

    public Uri DefaultRestBase => CryptoComVenue.RestBase;

    public IReadOnlyList<RateQuota> Limits => CryptoComVenue.Limits;

    public IFeedAdapter CreateFeedAdapter(VenueEndpoints endpoints) => new CryptoComFeedAdapter(Market, endpoints.WsEndpointOverride);

    public IRestAdapter CreateRestAdapter(VenueEndpoints endpoints) => new CryptoComRestAdapter(endpoints.RestBaseUri);

    public IInstrumentAdapter Instruments => new CryptoComInstruments(Market);

    public IReadOnlyList<CallOperation> Calls => CryptoComOperations.All;

    public IRestAdapter CreateSignedRestAdapter(VenueEndpoints endpoints, Func<string, string?> environment) =>
        new CryptoComRestAdapter(endpoints.RestBaseUri, CryptoComCredentials.FromEnvironment(environment));

    public IFeedAdapter CreatePrivateFeedAdapter(VenueEndpoints endpoints, Func<string, string?> environment) =>
        new CryptoComFeedAdapter(Market, endpoints.WsEndpointOverride, CryptoComCredentials.FromEnvironment(environment));

    public ClientOrderIdRule ClientOrderIds => CryptoComOrderEntryAdapter.Rule;

    public IOrderEntryAdapter CreateOrderEntry(OrderEntryOptions options) => options.MarginMode is null or ""
        ? new CryptoComOrderEntryAdapter(Market, options.Leverage)
        : throw new ExchangeException(new ConfigurationError("Crypto.com's margin mode belongs to the account, not to the node: remove Orders.MarginMode"));

    /// <summary>Order entry over the user socket (<c>Orders.Route ws</c>; <c>Orders.TradingWsEndpoint</c> names another stream host, its user socket at <c>/exchange/v1/user</c>).</summary>
    public IRequestReplyAdapter CreateTradingSocket(Uri? endpointOverride, Func<string, string?> environment) =>
        new CryptoComTradingSocket(Market, CryptoComCredentials.FromEnvironment(environment), endpointOverride);

    /// <summary>The body exactly as <c>GET /exchange/v1/public/get-book</c> returns it; an error envelope is the venue's error.</summary>
    public OrderBookUpdate ParseSnapshotBody(ReadOnlyMemory<byte> body, Symbol symbol, long receivedTs)
    {
        var outcome = new CryptoComRestAdapter(DefaultRestBase).Unwrap(200, body.Span, null);
        if (!outcome.IsSuccess)
        {
            throw new ExchangeException(outcome.Error!);
        }

        try
        {
            return CryptoComMarketData.ReadBook(outcome.Data, symbol, Market, receivedTs);
        }
        catch (Exception e) when (e is FrameFormatException or InvalidOperationException or KeyNotFoundException or JsonException or IndexOutOfRangeException)
        {
            throw new ExchangeException(ProtocolError.From("get-book snapshot: " + e.Message, body.Span));
        }
    }
}
