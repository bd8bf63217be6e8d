using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Exchanges.Calls;
using ActorTrading.Exchanges.CryptoCom.Rest;
using static ActorTrading.Exchanges.Calls.UnifiedCalls;

namespace ActorTrading.Exchanges.CryptoCom;

/// <summary>
/// <c>actortrading call cryptocom</c>: the unified operations (get-instruments, get-orderbook, get-ticker, get-klines,
/// get-trades, get-balances, get-positions, place-order, cancel-order, amend-order, get-order, get-open-orders,
/// get-order-history, cancel-all-orders, get-fills, get-funding-rate) and Crypto.com's own (get-valuations), on spot
/// (<c>BTC_USDT</c>) and perpetuals (<c>BTCUSD-PERP</c>, <c>--market futures</c>); one account serves both.
/// </summary>
public static class CryptoComOperations
{
    /// <summary>A book answer as <c>call</c> prints it: its time and the levels.</summary>
    public sealed record OrderBookResult(string Symbol, long Ts, IReadOnlyList<BookLevel> Bids, IReadOnlyList<BookLevel> Asks);

    private static readonly OperationParameter Symbol = UnifiedCalls.Symbol("Crypto.com", "BTC_USDT or BTCUSD-PERP");
    private static readonly OperationParameter OptionalSymbol = new("symbol", "instrument, e.g. BTC_USDT or BTCUSD-PERP");
    private static readonly OperationParameter ClientOrderId = new("clientOrderId", "client_oid (when orderId is not given)");

    private static readonly OperationParameter[] PlaceParameters =
    [
        Symbol, new("side", "buy or sell", Required: true), new("type", "limit (default) or market"), new("price", "limit price"),
        new("size", "quantity", Required: true), new("timeInForce", "GTC (default), IOC or FOK"),
        new("clientOrderId", "client_oid, at most 36 letters, digits, - or _ (generated when absent)"), new("postOnly", "true/false"),
        new("reduceOnly", "true/false (perpetuals)"),
    ];

    public static IReadOnlyList<CallOperation> All { get; } =
    [
        .. Both("get-instruments", "every instrument's rules: ticks, decimals, leverage, tradable", [], async (c, _, ct) => await Market(c).GetInstrumentsAsync(ct)),
        .. Both("get-orderbook", "the book to limit levels (10 or 50, default 50)", [Symbol, Limit], async (c, a, ct) =>
        {
            var book = await Market(c).GetBookAsync(new Symbol(a.Text("symbol")), c.Market, a.OptionalInt("limit") ?? 50, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), ct);
            return new OrderBookResult(book.Symbol.Value, book.ExchangeTs, book.Bids, book.Asks);
        }),
        .. Both("get-ticker", "best quote, last trade and the last 24 hours", [OptionalSymbol], async (c, a, ct) => await Market(c).GetTickersAsync(a.Optional("symbol"), ct)),
        .. Both("get-klines", "candles, oldest first", [Symbol, new("interval", "1m, 5m, 15m, 30m, 1h, 2h, 4h, 12h, 1D, 7D, 14D or 1M"), Limit],
            async (c, a, ct) => await Market(c).GetCandlesAsync(a.Text("symbol"), Ws.CryptoComFeedAdapter.CandleInterval(a.Optional("interval") ?? "1m"), a.OptionalInt("limit"), ct)),
        .. Both("get-trades", "recent public trades", [Symbol, Limit], async (c, a, ct) => await Market(c).GetTradesAsync(a.Text("symbol"), a.OptionalInt("limit"), ct)),
        Futures("get-funding-rate", "the perpetual's estimated funding rate (get-valuations funding_rate)", [Symbol],
            async (c, a, ct) => await Market(c).GetValuationsAsync(a.Text("symbol"), "funding_rate", 1, ct)),
        .. Both("get-valuations", "index price, mark price, funding history or estimated funding (valuation_type)", [Symbol, new("type", "index_price, mark_price, funding_hist or funding_rate", true), Limit],
            async (c, a, ct) => await Market(c).GetValuationsAsync(a.Text("symbol"), a.Text("type"), a.OptionalInt("limit"), ct)),

        .. Both("get-balances", "balance per currency (user-balance)", [], async (c, _, ct) => CryptoComAnswers.Balances(await c.Signed().SendAsync(CryptoComRequests.Balance(), ct))),
        Futures("get-positions", "perpetual positions", [], async (c, _, ct) => CryptoComAnswers.Positions(await c.Signed().SendAsync(CryptoComRequests.Positions(), ct))),
        .. Both("place-order", "place a limit or market order (create-order)", PlaceParameters, async (c, a, ct) => CryptoComAnswers.Ack(await c.Signed().SendAsync(Place(a), ct))),
        .. Both("cancel-order", "cancel one order", [OrderId, ClientOrderId],
            async (c, a, ct) => await c.Signed().SendAsync(CryptoComRequests.CancelOrder(a.Optional("orderId"), RequireOneId(a)), ct)),
        .. Both("amend-order", "a new price and quantity (both; an unchanged one repeats its value)", [OrderId, ClientOrderId, new("price", "new price", true), new("size", "new quantity", true)],
            async (c, a, ct) => CryptoComAnswers.Ack(await c.Signed().SendAsync(CryptoComRequests.AmendOrder(a.Optional("orderId"), RequireOneId(a), a.Decimal("price"), a.Decimal("size")), ct))),
        .. Both("get-order", "one order (get-order-detail)", [OrderId, ClientOrderId],
            async (c, a, ct) => CryptoComAnswers.Orders(await c.Signed().SendAsync(CryptoComRequests.OrderDetail(a.Optional("orderId"), RequireOneId(a)), ct))[0]),
        .. Both("get-open-orders", "open orders, of one instrument or all", [OptionalSymbol],
            async (c, a, ct) => CryptoComAnswers.Orders(await c.Signed().SendAsync(CryptoComRequests.OpenOrders(a.Optional("symbol")), ct))),
        .. Both("get-order-history", "closed orders", [OptionalSymbol, StartTime, EndTime],
            async (c, a, ct) => CryptoComAnswers.Orders(await c.Signed().SendAsync(CryptoComRequests.OrderHistory(a.Optional("symbol"), a.OptionalLong("startTime"), a.OptionalLong("endTime")), ct))),
        .. Both("cancel-all-orders", "cancel every open order, of one instrument or all", [OptionalSymbol],
            async (c, a, ct) => await c.Signed().SendAsync(CryptoComRequests.CancelAll(a.Optional("symbol")), ct)),
        .. Both("get-fills", "the account's fills, newest first (100)", [OptionalSymbol, StartTime, EndTime],
            async (c, a, ct) => CryptoComAnswers.Fills(await c.Signed().SendAsync(CryptoComRequests.Trades(a.Optional("symbol"), a.OptionalLong("startTime"), a.OptionalLong("endTime")), ct))),
    ];

    private static CryptoComMarketData Market(ICallContext context) => new(context.Public);

    private static Core.Adapters.RestRequest Place(OperationArguments a)
    {
        var limit = IsLimit(a);
        var tif = (a.Optional("timeInForce")?.ToUpperInvariant() ?? "GTC") switch
        {
            "GTC" => "GOOD_TILL_CANCEL",
            "IOC" => "IMMEDIATE_OR_CANCEL",
            "FOK" => "FILL_OR_KILL",
            var other => throw new ExchangeException(new ConfigurationError($"timeInForce is GTC, IOC or FOK, not '{other}'")),
        };
        return CryptoComRequests.CreateOrder(new CryptoComOrderSpec(new Symbol(a.Text("symbol")), Side(a), limit ? "LIMIT" : "MARKET", a.Decimal("size"),
            limit ? a.Decimal("price") : null, UnifiedCalls.ClientOrderId(a))
        {
            TimeInForce = tif,
            PostOnly = a.OptionalBool("postOnly") ?? false,
            ReduceOnly = a.OptionalBool("reduceOnly") ?? false,
        });
    }
}
