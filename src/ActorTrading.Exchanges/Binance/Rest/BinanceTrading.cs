using System.Globalization;
using System.Text.Json;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;

namespace ActorTrading.Exchanges.Binance.Rest;

/// <summary>
/// The signed requests of Binance trading, as data (rest-api.md "Trading endpoints", "Account Endpoints"; USDⓈ-M
/// "Trade" and "Account"): built once, sent by the node's gateway or by <see cref="BinanceTrading"/>. Orders spend the
/// account's order count and IP weight; every parameter goes in the query (the venue accepts it for every method).
/// </summary>
public static class BinanceOrderRequests
{
    public static string Api(MarketKind market) => market == MarketKind.Futures ? "/fapi/v1" : "/api/v3";

    /// <summary>An order request: counted against the account's orders and the IP's weight.</summary>
    public static RestRequest OrderCall(HttpMethod method, string path, params (string Key, string? Value)[] query) =>
        new(method, path, RestRequest.BuildQuery(query), null, BinanceVenue.Pools.Orders, 1, Signed: true,
            AlsoCharges: [new RateCharge(BinanceVenue.Pools.Weight, 1)]);

    /// <summary>A signed read: IP weight only.</summary>
    public static RestRequest Read(HttpMethod method, string path, int weight, params (string Key, string? Value)[] query) =>
        new(method, path, RestRequest.BuildQuery(query), null, BinanceVenue.Pools.Weight, weight, Signed: true);

    /// <summary>
    /// <c>POST /api/v3/order</c> or <c>/fapi/v1/order</c> with <c>newOrderRespType=ACK</c>: a limit order takes
    /// <c>timeInForce</c> and <c>price</c>; post-only is spot's <c>LIMIT_MAKER</c> and USDⓈ-M's <c>GTX</c>.
    /// </summary>
    public static RestRequest Place(MarketKind market, string symbol, Side side, bool limit, decimal quantity, decimal? price, string clientOrderId,
        string? timeInForce = "GTC", bool postOnly = false, bool reduceOnly = false)
    {
        var futures = market == MarketKind.Futures;
        if (reduceOnly && !futures)
        {
            throw new ExchangeException(new ConfigurationError("reduce-only is for futures orders"));
        }

        if (limit && price is null)
        {
            throw new ExchangeException(new ConfigurationError("a limit order needs a price"));
        }

        var type = !limit ? "MARKET" : postOnly && !futures ? "LIMIT_MAKER" : "LIMIT";
        var tif = !limit || type == "LIMIT_MAKER" ? null : postOnly ? "GTX" : timeInForce ?? "GTC";
        return OrderCall(HttpMethod.Post, Api(market) + "/order",
            ("symbol", symbol), ("side", SideText(side)), ("type", type), ("timeInForce", tif), ("quantity", Number(quantity)),
            ("price", limit ? Number(price!.Value) : null), ("newClientOrderId", clientOrderId),
            ("reduceOnly", reduceOnly ? "true" : null), ("newOrderRespType", "ACK"));
    }

    /// <summary>
    /// A spot stop on <c>POST /api/v3/order</c> (trailing-stop-faq.md): <c>STOP_LOSS</c> triggers a sell when the last
    /// price falls to <paramref name="stopPrice"/> and a buy when it rises to it, <c>TAKE_PROFIT</c> the other way round;
    /// with a limit <paramref name="price"/> it enters the book as <c>…_LIMIT</c> with its time in force, else at market.
    /// </summary>
    public static RestRequest PlaceSpotStop(string symbol, Side side, bool stopLoss, decimal quantity, decimal stopPrice, decimal? price, string clientOrderId, string timeInForce = "GTC")
    {
        var type = (stopLoss ? "STOP_LOSS" : "TAKE_PROFIT") + (price is null ? string.Empty : "_LIMIT");
        return OrderCall(HttpMethod.Post, "/api/v3/order",
            ("symbol", symbol), ("side", SideText(side)), ("type", type), ("timeInForce", price is null ? null : timeInForce), ("quantity", Number(quantity)),
            ("price", price is { } p ? Number(p) : null), ("stopPrice", Number(stopPrice)), ("newClientOrderId", clientOrderId), ("newOrderRespType", "ACK"));
    }

    /// <summary><c>DELETE …/order</c> by the venue's id when known, else by the client id (<c>origClientOrderId</c>).</summary>
    public static RestRequest Cancel(MarketKind market, string symbol, string? orderId, string? clientOrderId) =>
        OrderCall(HttpMethod.Delete, Api(market) + "/order", ("symbol", symbol), ("orderId", orderId),
            ("origClientOrderId", orderId is null ? clientOrderId ?? throw new ExchangeException(new ConfigurationError("a cancel needs an order id or a client order id")) : null));

    /// <summary>USDⓈ-M <c>PUT /fapi/v1/order</c>: side, quantity and price together (the venue restates the whole order).</summary>
    public static RestRequest AmendFutures(string symbol, Side side, decimal quantity, decimal price, string? orderId, string? clientOrderId) =>
        OrderCall(HttpMethod.Put, "/fapi/v1/order", ("symbol", symbol), ("side", SideText(side)), ("quantity", Number(quantity)), ("price", Number(price)),
            ("orderId", orderId), ("origClientOrderId", orderId is null ? clientOrderId : null));

    /// <summary>Spot <c>PUT /api/v3/order/amend/keepPriority</c>: a smaller quantity, the queue place kept.</summary>
    public static RestRequest AmendSpotQuantity(string symbol, decimal newQuantity, string? orderId, string? clientOrderId) =>
        OrderCall(HttpMethod.Put, "/api/v3/order/amend/keepPriority", ("symbol", symbol), ("newQty", Number(newQuantity)),
            ("orderId", orderId), ("origClientOrderId", orderId is null ? clientOrderId : null));

    /// <summary>Every open order of a symbol: spot <c>DELETE /api/v3/openOrders</c>, USDⓈ-M <c>DELETE /fapi/v1/allOpenOrders</c>.</summary>
    public static RestRequest CancelAll(MarketKind market, string symbol) =>
        OrderCall(HttpMethod.Delete, market == MarketKind.Futures ? "/fapi/v1/allOpenOrders" : "/api/v3/openOrders", ("symbol", symbol));

    /// <summary>One order by the venue's id or the client's (spot weight 4, USDⓈ-M 1).</summary>
    public static RestRequest Query(MarketKind market, string symbol, string? orderId, string? clientOrderId) =>
        Read(HttpMethod.Get, Api(market) + "/order", market == MarketKind.Futures ? 1 : 4, ("symbol", symbol), ("orderId", orderId),
            ("origClientOrderId", orderId is null ? clientOrderId : null));

    /// <summary>Open orders, of one symbol or all (spot weight 6 / 80; USDⓈ-M 1 / 40).</summary>
    public static RestRequest OpenOrders(MarketKind market, string? symbol) =>
        Read(HttpMethod.Get, Api(market) + "/openOrders", (market == MarketKind.Futures, symbol is null) switch
        {
            (true, true) => 40,
            (true, false) => 1,
            (false, true) => 80,
            _ => 6,
        }, ("symbol", symbol));

    /// <summary>The symbol's orders, open or not, newest within the venue's window (spot weight 20, USDⓈ-M 5).</summary>
    public static RestRequest AllOrders(MarketKind market, string symbol, long? startTime = null, long? endTime = null, int? limit = null) =>
        Read(HttpMethod.Get, Api(market) + "/allOrders", market == MarketKind.Futures ? 5 : 20, ("symbol", symbol),
            ("startTime", Invariant(startTime)), ("endTime", Invariant(endTime)), ("limit", Invariant(limit)));

    /// <summary>The account's fills of a symbol: spot <c>GET /api/v3/myTrades</c> (weight 20), USDⓈ-M <c>/fapi/v1/userTrades</c> (5).</summary>
    public static RestRequest Trades(MarketKind market, string symbol, string? orderId = null, long? startTime = null, long? fromId = null, int? limit = null) =>
        Read(HttpMethod.Get, market == MarketKind.Futures ? "/fapi/v1/userTrades" : "/api/v3/myTrades", market == MarketKind.Futures ? 5 : 20,
            ("symbol", symbol), ("orderId", orderId), ("startTime", Invariant(startTime)), ("fromId", Invariant(fromId)), ("limit", Invariant(limit)));

    public static RestRequest SpotAccount() => Read(HttpMethod.Get, "/api/v3/account", 20, ("omitZeroBalances", "true"));

    public static RestRequest FuturesBalances() => Read(HttpMethod.Get, "/fapi/v3/balance", 5);

    public static RestRequest FuturesPositions(string? symbol = null) => Read(HttpMethod.Get, "/fapi/v3/positionRisk", 5, ("symbol", symbol));

    public static RestRequest SetLeverage(string symbol, int leverage) =>
        Read(HttpMethod.Post, "/fapi/v1/leverage", 1, ("symbol", symbol), ("leverage", leverage.ToString(CultureInfo.InvariantCulture)));

    /// <summary><c>POST /fapi/v1/marginType</c> (<c>ISOLATED</c> or <c>CROSSED</c>); -4046 means it already is.</summary>
    public static RestRequest SetMarginType(string symbol, string marginType) =>
        Read(HttpMethod.Post, "/fapi/v1/marginType", 1, ("symbol", symbol), ("marginType", marginType));

    public static string SideText(Side side) => side == Side.Buy ? "BUY" : "SELL";

    /// <summary>A decimal as Binance reads it: plain, invariant, no exponent, no trailing zeros past the value.</summary>
    public static string Number(decimal value) => value.ToString("0.############################", CultureInfo.InvariantCulture);

    private static string? Invariant(long? value) => value?.ToString(CultureInfo.InvariantCulture);

    private static string? Invariant(int? value) => value?.ToString(CultureInfo.InvariantCulture);
}

/// <summary>Binance's signed account and order endpoints as typed calls (for the <c>call</c> command and tools).</summary>
public sealed class BinanceTrading(IRestExecutor rest, MarketKind market)
{
    public Task<BinanceOrderAck> PlaceAsync(string symbol, Side side, bool limit, decimal quantity, decimal? price, string clientOrderId,
        string? timeInForce = "GTC", bool postOnly = false, bool reduceOnly = false, CancellationToken ct = default) =>
        rest.SendAsync(BinanceOrderRequests.Place(market, symbol, side, limit, quantity, price, clientOrderId, timeInForce, postOnly, reduceOnly),
            BinanceTradingJsonContext.Default.BinanceOrderAck, ct);

    public Task<BinanceOrderAck> CancelAsync(string symbol, string? orderId, string? clientOrderId, CancellationToken ct = default) =>
        rest.SendAsync(BinanceOrderRequests.Cancel(market, symbol, orderId, clientOrderId), BinanceTradingJsonContext.Default.BinanceOrderAck, ct);

    public Task<BinanceOrder> GetOrderAsync(string symbol, string? orderId, string? clientOrderId, CancellationToken ct = default) =>
        rest.SendAsync(BinanceOrderRequests.Query(market, symbol, orderId, clientOrderId), BinanceTradingJsonContext.Default.BinanceOrder, ct);

    public Task<IReadOnlyList<BinanceOrder>> GetOpenOrdersAsync(string? symbol, CancellationToken ct = default) =>
        rest.SendAsync(BinanceOrderRequests.OpenOrders(market, symbol), BinanceTradingJsonContext.Default.IReadOnlyListBinanceOrder, ct);

    public Task<IReadOnlyList<BinanceOrder>> GetAllOrdersAsync(string symbol, long? startTime = null, long? endTime = null, int? limit = null, CancellationToken ct = default) =>
        rest.SendAsync(BinanceOrderRequests.AllOrders(market, symbol, startTime, endTime, limit), BinanceTradingJsonContext.Default.IReadOnlyListBinanceOrder, ct);

    /// <summary>Cancels every open order of a symbol; the venue answers spot with the canceled orders and USDⓈ-M with a message.</summary>
    public async Task<JsonElement> CancelAllAsync(string symbol, CancellationToken ct = default) =>
        await rest.SendAsync(BinanceOrderRequests.CancelAll(market, symbol), ct).ConfigureAwait(false);

    public Task<IReadOnlyList<BinanceAccountTrade>> GetTradesAsync(string symbol, string? orderId = null, long? startTime = null, long? fromId = null, int? limit = null, CancellationToken ct = default) =>
        rest.SendAsync(BinanceOrderRequests.Trades(market, symbol, orderId, startTime, fromId, limit), BinanceTradingJsonContext.Default.IReadOnlyListBinanceAccountTrade, ct);

    public Task<BinanceSpotAccount> GetSpotAccountAsync(CancellationToken ct = default) =>
        rest.SendAsync(BinanceOrderRequests.SpotAccount(), BinanceTradingJsonContext.Default.BinanceSpotAccount, ct);

    public Task<IReadOnlyList<BinanceFuturesBalance>> GetFuturesBalancesAsync(CancellationToken ct = default) =>
        rest.SendAsync(BinanceOrderRequests.FuturesBalances(), BinanceTradingJsonContext.Default.IReadOnlyListBinanceFuturesBalance, ct);

    public Task<IReadOnlyList<BinancePosition>> GetPositionsAsync(string? symbol = null, CancellationToken ct = default) =>
        rest.SendAsync(BinanceOrderRequests.FuturesPositions(symbol), BinanceTradingJsonContext.Default.IReadOnlyListBinancePosition, ct);

    public Task<BinanceLeverage> SetLeverageAsync(string symbol, int leverage, CancellationToken ct = default) =>
        rest.SendAsync(BinanceOrderRequests.SetLeverage(symbol, leverage), BinanceTradingJsonContext.Default.BinanceLeverage, ct);

    /// <summary>Sets the margin type; one already set that way (-4046 "No need to change margin type") is success.</summary>
    public async Task<string> SetMarginTypeAsync(string symbol, string marginType, CancellationToken ct = default)
    {
        try
        {
            await rest.SendAsync(BinanceOrderRequests.SetMarginType(symbol, marginType), ct).ConfigureAwait(false);
            return marginType;
        }
        catch (ExchangeException e) when (e.Error is ApiError { VenueCode: "-4046" })
        {
            return marginType;
        }
    }
}
