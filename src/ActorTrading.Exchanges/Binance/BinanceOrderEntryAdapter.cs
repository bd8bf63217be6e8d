using System.Text.Json;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Core.Orders;
using ActorTrading.Exchanges.Binance.Rest;
using ActorTrading.Exchanges.Binance.Ws;
using CoreOrderType = ActorTrading.Core.Orders.OrderType;
using CoreTimeInForce = ActorTrading.Core.Orders.TimeInForce;

namespace ActorTrading.Exchanges.Binance;

/// <summary>
/// Binance order entry over signed REST, one order per request: spot <c>/api/v3/order</c>, USDⓈ-M <c>/fapi/v1/order</c>
/// (amended in place with <c>PUT</c>). Before a symbol's first futures order the account's leverage (and margin type,
/// when configured) is set for that symbol, as the venue keeps them per symbol. The client order id is Binance's
/// <c>newClientOrderId</c>: at most 36 of <c>[.A-Z:/a-z0-9_-]</c>.
/// </summary>
public sealed class BinanceOrderEntryAdapter : IOrderEntryAdapter
{
    private readonly int _leverage;
    private readonly string? _marginType;

    /// <param name="market">Spot or USDⓈ-M futures.</param>
    /// <param name="leverage">USDⓈ-M leverage set per symbol before its first order.</param>
    /// <param name="marginType">USDⓈ-M <c>ISOLATED</c> or <c>CROSSED</c>, set per symbol; the account's when null.</param>
    public BinanceOrderEntryAdapter(MarketKind market, int leverage = 1, string? marginType = null)
    {
        if (market is not (MarketKind.Spot or MarketKind.Futures))
        {
            throw new ExchangeException(new ConfigurationError($"Binance order entry is spot or futures, not {market.ToWire()}"));
        }

        if (leverage is < 1 or > 125)
        {
            throw new ExchangeException(new ConfigurationError($"Binance leverage is 1 to 125, got {leverage}"));
        }

        Market = market;
        _leverage = leverage;
        _marginType = marginType;
        Queries = new BinanceOrderQueries(market);
    }

    public VenueId Venue => BinanceVenue.Id;

    public MarketKind Market { get; }

    /// <summary><c>newClientOrderId</c>: "^[\.A-Z\:/a-z0-9_-]{1,36}$".</summary>
    /// <summary>The venue's client order id rule (the module declares it, so ids are made to fit it).</summary>
    public static readonly ClientOrderIdRule Rule = new(36, ".:/_-");

    public ClientOrderIdRule ClientOrderIds => Rule;

    public int MaxPlaceBatch => 1;

    public int MaxCancelBatch => 1;

    public IOrderQueryAdapter Queries { get; }

    /// <summary>USDⓈ-M keeps leverage and margin type per symbol: set them before the symbol's first order.</summary>
    public IReadOnlyList<RestRequest> SymbolSetup(Symbol symbol) => Market != MarketKind.Futures
        ? []
        : [.. _marginType is null ? [] : new[] { BinanceOrderRequests.SetMarginType(symbol.Value, _marginType) }, BinanceOrderRequests.SetLeverage(symbol.Value, _leverage)];

    /// <summary>
    /// -4046 "No need to change margin type": it already is. -4047/-4048: open orders or a position hold the type as it
    /// is; orders go on with it.
    /// </summary>
    public bool IsSetupInPlace(ExchangeError error) => error is ApiError { VenueCode: "-4046" or "-4047" or "-4048" };

    public OrderEntryCall Place(IReadOnlyList<OrderTicket> orders)
    {
        var t = Single(orders, "placement");
        if (t.Stop is { } stop)
        {
            return Call(OrderCommandKind.Place, t.ClientOrderId, SpotStop(t, stop));
        }

        if (t.Leverage is { } leverage && leverage != _leverage)
        {
            throw Invalid($"Binance sets leverage per symbol ({_leverage}x from the venue's Orders.Leverage), not per order ({leverage}x)");
        }

        var limit = t.Type == CoreOrderType.Limit;
        var tif = TimeInForceText(t.TimeInForce);
        if (t.PostOnly && t.TimeInForce != CoreTimeInForce.GoodTillCanceled)
        {
            throw Invalid("a post-only order rests on the book: its time in force is GTC");
        }

        var request = BinanceOrderRequests.Place(Market, t.Symbol.Value, t.Side, limit, Positive(t.Size, "size"), t.Price is { } p ? Positive(p, "price") : null,
            t.ClientOrderId.Value, tif, t.PostOnly, t.ReduceOnly);
        return Call(OrderCommandKind.Place, t.ClientOrderId, request);
    }

    /// <summary>
    /// A spot stop: a sell that falls to its trigger or a buy that rises to it is a <c>STOP_LOSS</c>, the other two a
    /// <c>TAKE_PROFIT</c>; spot stops watch the last trade. USDⓈ-M conditional orders live in the venue's Algo Service
    /// (<c>/fapi/v1/algoOrder</c>, since 2025-12-09 the order endpoint answers -4120), which order entry does not use yet.
    /// </summary>
    private RestRequest SpotStop(OrderTicket t, StopTrigger stop)
    {
        if (Market == MarketKind.Futures)
        {
            throw Invalid("Binance USDⓈ-M stop orders go through its Algo Service (POST /fapi/v1/algoOrder), which order entry does not use yet");
        }

        if (stop.Source != TriggerPrice.LastTrade)
        {
            throw Invalid($"Binance spot stops trigger on the last trade price, not the {stop.Source} price");
        }

        if (t.PostOnly)
        {
            throw Invalid("a stop order cannot be post-only");
        }

        var stopLoss = (t.Side, stop.Direction) is (Side.Sell, TriggerDirection.FallsTo) or (Side.Buy, TriggerDirection.RisesTo);
        var limit = t.Type == CoreOrderType.Limit;
        return BinanceOrderRequests.PlaceSpotStop(t.Symbol.Value, t.Side, stopLoss, Positive(t.Size, "size"), Positive(stop.Price, "stop price"),
            limit ? Positive(t.Price ?? throw Invalid("a limit stop order needs a price"), "price") : null, t.ClientOrderId.Value,
            TimeInForceText(t.TimeInForce));
    }

    private static string TimeInForceText(CoreTimeInForce timeInForce) => timeInForce switch
    {
        CoreTimeInForce.GoodTillCanceled => "GTC",
        CoreTimeInForce.ImmediateOrCancel => "IOC",
        _ => "FOK",
    };

    public OrderEntryCall Cancel(IReadOnlyList<CancelTicket> cancels)
    {
        var c = Single(cancels, "cancel");
        return Call(OrderCommandKind.Cancel, c.ClientOrderId, BinanceOrderRequests.Cancel(Market, c.Symbol.Value, c.VenueOrderId, c.ClientOrderId.Value));
    }

    /// <summary>USDⓈ-M: the whole order restated with its new price and size. Spot: a smaller quantity only (keep-priority amend).</summary>
    public OrderEntryCall Amend(AmendTicket amend)
    {
        RestRequest request;
        if (Market == MarketKind.Futures)
        {
            var current = amend.Current ?? throw Invalid("a Binance futures amendment restates the order: its side, price and size are needed");
            var price = amend.NewPrice ?? current.Price ?? throw Invalid("a Binance futures amendment is for limit orders: the order has no price");
            request = BinanceOrderRequests.AmendFutures(amend.Symbol.Value, current.Side, Positive(amend.NewSize ?? current.Size, "size"), Positive(price, "price"),
                amend.VenueOrderId, amend.ClientOrderId.Value);
        }
        else
        {
            if (amend.NewPrice is not null || amend.NewSize is not { } size)
            {
                throw Invalid("Binance spot amends only lower an order's quantity (keep priority): cancel and place to change its price");
            }

            request = BinanceOrderRequests.AmendSpotQuantity(amend.Symbol.Value, Positive(size, "size"), amend.VenueOrderId, amend.ClientOrderId.Value);
        }

        return Call(OrderCommandKind.Amend, amend.ClientOrderId, request);
    }

    /// <summary>
    /// The call by REST, and on spot also as the WebSocket API method of the same endpoint with the same parameters
    /// (<c>order.place</c>, <c>order.cancel</c>, <c>order.amend.keepPriority</c>: the same answers), for the <c>ws</c> route.
    /// </summary>
    private OrderEntryCall Call(OrderCommandKind kind, ClientOrderId id, RestRequest rest)
    {
        if (Market == MarketKind.Futures)
        {
            return new OrderEntryCall(kind, [id], rest, null, null);
        }

        var method = (rest.Method.Method, rest.Path) switch
        {
            ("POST", "/api/v3/order") => "order.place",
            ("DELETE", "/api/v3/order") => "order.cancel",
            ("PUT", "/api/v3/order/amend/keepPriority") => "order.amend.keepPriority",
            _ => throw new InvalidOperationException($"no WebSocket API method for {rest.Method} {rest.Path}"),
        };
        return new OrderEntryCall(kind, [id], rest, method, BinanceWsApiAdapter.Args(rest.Query));
    }

    /// <summary>
    /// Placement ACK <c>{"symbol","orderId","clientOrderId",…}</c>; a cancel or a futures amendment the order itself; a
    /// spot amendment <c>{"amendedOrder":{…}}</c>.
    /// </summary>
    public IReadOnlyList<OrderEntryResult> ReadAnswer(OrderEntryCall call, JsonElement data)
    {
        var order = data.ValueKind == JsonValueKind.Object && data.TryGetProperty("amendedOrder", out var amended) ? amended : data;
        var orderId = BinanceAnswers.Read(call.Rest, () => order.GetProperty("orderId").GetInt64());
        return [new OrderAccepted(call.Orders[0], orderId.ToString(System.Globalization.CultureInfo.InvariantCulture))];
    }

    private static T Single<T>(IReadOnlyList<T> items, string what) => items.Count == 1
        ? items[0]
        : throw Invalid($"Binance takes one order per {what} request, got {items.Count}");

    private static decimal Positive(decimal value, string field) => value > 0 ? value : throw Invalid($"{field} must be positive, got {value}");

    private static ExchangeException Invalid(string message) => new(new ConfigurationError(message));
}
