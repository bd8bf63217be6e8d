using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Exchanges.Calls;
using ActorTrading.Exchanges.Kraken.Rest;
using static ActorTrading.Exchanges.Calls.UnifiedCalls;

namespace ActorTrading.Exchanges.Kraken;

/// <summary>
/// <c>actortrading call kraken</c>: the unified operations (get-server-time, get-instruments, get-orderbook, get-ticker,
/// get-klines, get-trades, get-balances, place-order, cancel-order, amend-order, get-order, get-open-orders,
/// get-order-history, cancel-all-orders, get-fills) and Kraken's own (edit-order). Spot only; symbols are the
/// WebSocket v2 names (<c>BTC/USD</c>).
/// </summary>
public static class KrakenOperations
{
    /// <summary>A book answer as <c>call</c> prints it: its time and the levels (REST books carry no sequence).</summary>
    public sealed record OrderBookResult(string Symbol, long Ts, IReadOnlyList<BookLevel> Bids, IReadOnlyList<BookLevel> Asks);

    private static readonly OperationParameter Symbol = UnifiedCalls.Symbol("Kraken", "BTC/USD");
    private static readonly OperationParameter OptionalSymbol = new("symbol", "symbol, e.g. BTC/USD");
    private static readonly OperationParameter ClientOrderId = new("clientOrderId", "cl_ord_id (when orderId is not given)");

    private static readonly OperationParameter[] PlaceParameters =
    [
        Symbol, new("side", "buy or sell", Required: true), new("type", "limit (default) or market"), new("price", "limit price"),
        new("size", "quantity in the base asset", Required: true), new("timeInForce", "GTC (default) or IOC"),
        new("clientOrderId", "cl_ord_id, at most 18 letters, digits, - or _ (generated when absent)"), new("postOnly", "true/false"),
        new("validate", "true: the venue checks the order and places nothing"),
    ];

    public static IReadOnlyList<CallOperation> All { get; } =
    [
        Spot("get-server-time", "venue time, Unix ms", [], async (c, _, ct) => await Market(c).GetServerTimeAsync(ct)),
        Spot("get-instruments", "trading rules of the pairs (AssetPairs): precisions, tick size, minimum order and cost", [OptionalSymbol],
            async (c, a, ct) => await Market(c).GetAssetPairsAsync(a.Optional("symbol") is { } s ? KrakenPairs.RestName(new Symbol(s)) : null, ct)),
        Spot("get-orderbook", "the book to limit levels a side (default 100, at most 500)", [Symbol, Limit], async (c, a, ct) =>
        {
            var book = await Market(c).GetOrderBookAsync(new Symbol(a.Text("symbol")), a.OptionalInt("limit"), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), ct);
            return new OrderBookResult(book.Symbol.Value, book.ExchangeTs, book.Bids, book.Asks);
        }),
        Spot("get-ticker", "best quote, last trade and the last 24 hours (Ticker)", [OptionalSymbol],
            async (c, a, ct) => await Market(c).GetTickersAsync(a.Optional("symbol") is { } s ? new Symbol(s) : null, ct)),
        Spot("get-klines", "OHLC rows, oldest first (720 at most)", [Symbol, new("interval", "minutes: 1, 5, 15, 30, 60, 240, 1440, 10080 or 21600"), new("since", "from, Unix s")],
            async (c, a, ct) => await Market(c).GetCandlesAsync(new Symbol(a.Text("symbol")), a.Optional("interval") is { } i ? Ws.KrakenFeedAdapter.CandleInterval(i) : null,
                a.OptionalLong("since"), ct)),
        Spot("get-trades", "recent public trades", [Symbol, new("since", "the last answer's cursor"), Limit],
            async (c, a, ct) => await Market(c).GetTradesAsync(new Symbol(a.Text("symbol")), a.Optional("since"), a.OptionalInt("limit"), ct)),

        Spot("get-balances", "balance per asset (Balance)", [], async (c, _, ct) => await Trading(c).GetBalancesAsync(ct)),
        Spot("place-order", "place a limit or market order (AddOrder)", PlaceParameters, async (c, a, ct) => await Place(c, a, ct)),
        Spot("cancel-order", "cancel one order (CancelOrder)", [OrderId, ClientOrderId],
            async (c, a, ct) => await Trading(c).CancelAsync(a.Optional("orderId"), RequireOneId(a), ct)),
        Spot("amend-order", "a new price and/or size in place (AmendOrder)", [OrderId, ClientOrderId, new("price", "new limit price"), new("size", "new quantity")],
            async (c, a, ct) => await Trading(c).AmendAsync(a.Optional("orderId"), RequireOneId(a), a.OptionalDecimal("size"), a.OptionalDecimal("price"), ct)),
        Spot("edit-order", "replace an order by a new one with a new txid (EditOrder)", [new("orderId", "the order's txid", true), Symbol, new("price", "new price"), new("size", "new quantity")],
            async (c, a, ct) => await Trading(c).EditAsync(a.Text("orderId"), new Symbol(a.Text("symbol")), a.OptionalDecimal("size"), a.OptionalDecimal("price"), ct)),
        Spot("get-order", "one order by txid (QueryOrders) or client id (open, then closed)", [OrderId, ClientOrderId], async (c, a, ct) =>
        {
            var trading = Trading(c);
            if (a.Optional("orderId") is { } orderId)
            {
                return await trading.QueryOrdersAsync([orderId], ct) is [var order, ..] ? order : "no such order";
            }

            var client = RequireOneId(a);
            return (await trading.GetOpenOrdersAsync(client, ct)).FirstOrDefault() ?? (await trading.GetClosedOrdersAsync(client, null, null, ct)).FirstOrDefault() ?? (object)"no such order";
        }),
        Spot("get-open-orders", "open orders (OpenOrders)", [], async (c, _, ct) => await Trading(c).GetOpenOrdersAsync(null, ct)),
        Spot("get-order-history", "closed orders, newest first (ClosedOrders, 50)", [ClientOrderId, StartTime, EndTime],
            async (c, a, ct) => await Trading(c).GetClosedOrdersAsync(a.Optional("clientOrderId"), a.OptionalLong("startTime"), a.OptionalLong("endTime"), ct)),
        Spot("cancel-all-orders", "cancel every open order (CancelAll)", [], async (c, _, ct) => await Trading(c).CancelAllAsync(ct)),
        Spot("get-fills", "the account's fills, newest first (TradesHistory, 50 a page)", [StartTime, new("offset", "rows to skip")],
            async (c, a, ct) => await Trading(c).GetFillsAsync(a.OptionalLong("startTime"), a.OptionalInt("offset"), ct)),
    ];

    private static CallOperation Spot(string name, string description, IReadOnlyList<OperationParameter> parameters,
        Func<ICallContext, OperationArguments, CancellationToken, Task<object>> run) => new(name, MarketKind.Spot, description, parameters, run);

    private static KrakenMarketData Market(ICallContext context) => new(context.Public);

    private static KrakenTrading Trading(ICallContext context) => new(context.Signed());

    private static Task<KrakenOrderAck> Place(ICallContext context, OperationArguments a, CancellationToken ct)
    {
        var limit = IsLimit(a);
        var tif = (a.Optional("timeInForce")?.ToUpperInvariant() ?? "GTC") switch
        {
            var known and ("GTC" or "IOC") => known,
            var other => throw new ExchangeException(new ConfigurationError($"timeInForce is GTC or IOC (Kraken has no fill-or-kill), not '{other}'")),
        };
        var clientOrderId = a.Optional("clientOrderId") ?? "at-" + Guid.NewGuid().ToString("N")[..15];
        return Trading(context).PlaceAsync(new KrakenOrderSpec(new Symbol(a.Text("symbol")), UnifiedCalls.Side(a), limit ? "limit" : "market", a.Decimal("size"),
            limit ? a.Decimal("price") : null, clientOrderId)
        {
            TimeInForce = tif,
            PostOnly = a.OptionalBool("postOnly") ?? false,
            Validate = a.OptionalBool("validate") ?? false,
        }, ct);
    }
}
