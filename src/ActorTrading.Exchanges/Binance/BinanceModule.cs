using System.Text.Json;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Json;
using ActorTrading.Core.Market;
using ActorTrading.Exchanges.Binance.Auth;
using ActorTrading.Exchanges.Binance.Rest;
using ActorTrading.Exchanges.Binance.Ws;
using ActorTrading.Exchanges.Calls;

namespace ActorTrading.Exchanges.Binance;

/// <summary>
/// Binance Spot or USDⓈ-M Futures: market streams, REST, the account's user-data stream and order entry over REST, or
/// for spot over the WebSocket API (<c>Orders.Route = ws</c>).
/// </summary>
public sealed class BinanceModule(MarketKind market) : ITradingSocketModule
{
    /// <summary>Every Binance market the node runs.</summary>
    public static IReadOnlyList<IVenueModule> All { get; } = [new BinanceModule(MarketKind.Spot), new BinanceModule(MarketKind.Futures)];

    public VenueId Venue => BinanceVenue.Id;

    public MarketKind Market { get; } = market is MarketKind.Futures or MarketKind.Spot
        ? market
        : throw new ExchangeException(new ConfigurationError($"Binance modules are spot or futures, not {market.ToWire()}"));

    public Uri DefaultRestBase => Market == MarketKind.Futures ? BinanceVenue.FuturesRestBase : BinanceVenue.SpotRestBase;

    public IReadOnlyList<RateQuota> Limits => Market == MarketKind.Futures ? BinanceVenue.FuturesLimits : BinanceVenue.SpotLimits;

    public IFeedAdapter CreateFeedAdapter(VenueEndpoints endpoints) => new BinanceFeedAdapter(Market, endpoints.WsEndpointOverride);

    public IRestAdapter CreateRestAdapter(VenueEndpoints endpoints) => new BinanceRestAdapter(Market, endpoints.RestBaseUri);

    public IInstrumentAdapter Instruments => new BinanceInstruments(Market);

    public IReadOnlyList<CallOperation> Calls => BinanceOperations.All;

    public IRestAdapter CreateSignedRestAdapter(VenueEndpoints endpoints, Func<string, string?> environment) =>
        new BinanceRestAdapter(Market, endpoints.RestBaseUri, BinanceCredentials.FromEnvironment(environment));

    public IFeedAdapter CreatePrivateFeedAdapter(VenueEndpoints endpoints, Func<string, string?> environment) =>
        new BinanceUserDataAdapter(Market, BinanceCredentials.FromEnvironment(environment), endpoints.WsEndpointOverride);

    /// <summary>USDⓈ-M leverage and margin type (<c>isolated</c>, <c>cross</c>) are set per symbol before its first order; spot has neither.</summary>
    public ClientOrderIdRule ClientOrderIds => BinanceOrderEntryAdapter.Rule;

    public IOrderEntryAdapter CreateOrderEntry(OrderEntryOptions options) => Market == MarketKind.Futures
        ? new BinanceOrderEntryAdapter(MarketKind.Futures, options.Leverage, options.MarginMode?.ToLowerInvariant() switch
        {
            null or "" => null,
            "isolated" => "ISOLATED",
            "cross" or "crossed" => "CROSSED",
            _ => throw new ExchangeException(new ConfigurationError($"Binance futures margin mode '{options.MarginMode}' (isolated, cross)")),
        })
        : options.MarginMode is null or "" && options.Leverage == 1 ? new BinanceOrderEntryAdapter(MarketKind.Spot)
        : throw new ExchangeException(new ConfigurationError("Binance spot has no leverage or margin mode: remove Orders.Leverage and Orders.MarginMode"));

    /// <summary>Spot's WebSocket API (<paramref name="endpointOverride"/>: the whole URL); USDⓈ-M orders go by REST.</summary>
    public IRequestReplyAdapter CreateTradingSocket(Uri? endpointOverride, Func<string, string?> environment) => Market == MarketKind.Spot
        ? new BinanceWsApiAdapter(BinanceCredentials.FromEnvironment(environment), endpointOverride)
        : throw new ExchangeException(new ConfigurationError("Binance USDⓈ-M orders go by REST: remove Orders.Route ws"));

    /// <summary>The depth body exactly as <c>GET /api/v3/depth</c> or <c>/fapi/v1/depth</c> returns it; an error body is the venue's error.</summary>
    public OrderBookUpdate ParseSnapshotBody(ReadOnlyMemory<byte> body, Symbol symbol, long receivedTs)
    {
        var outcome = new BinanceRestAdapter(Market, DefaultRestBase).Unwrap(200, body.Span, null);
        if (!outcome.IsSuccess)
        {
            throw new ExchangeException(outcome.Error!);
        }

        if (outcome.Data.ValueKind == JsonValueKind.Object && outcome.Data.TryGetProperty("code", out var code) && outcome.Data.TryGetProperty("msg", out var message))
        {
            throw new ExchangeException(new ApiError(code.GetRawText(), message.GetString() ?? "error", 400));
        }

        try
        {
            return BinanceMarketData.ParseDepth(outcome.Data, Market, symbol, receivedTs);
        }
        catch (Exception e) when (e is FrameFormatException or InvalidOperationException)
        {
            throw new ExchangeException(ProtocolError.From("depth snapshot: " + e.Message, body.Span));
        }
    }
}
