using ActorTrading.Core.Errors;
using ActorTrading.Core.Market;
using ActorTrading.Exchanges.Bybit.Rest;
using ActorTrading.Exchanges.Calls;
using static ActorTrading.Exchanges.Calls.UnifiedCalls;

namespace ActorTrading.Exchanges.Bybit;

/// <summary>
/// <c>actortrading call bybit</c>: the unified operations (the same names and parameters on every venue:
/// get-balances, get-positions, place-order, cancel-order, get-order, get-open-orders, cancel-all-orders, get-fills,
/// get-ticker, get-orderbook, get-klines, get-instruments, get-funding-rate) and Bybit's own (get-server-time,
/// get-trades, get-funding-rate-history, get-open-interest, get-order-history, amend-order, set-leverage). Spot and
/// linear alike unless an operation says otherwise; the Unified account's wallet is the same on both.
/// </summary>
public static class BybitOperations
{
    /// <summary>A book answer as <c>call</c> prints it: the update id it is at, its time and the levels.</summary>
    public sealed record OrderBookResult(string Symbol, long UpdateId, long Ts, IReadOnlyList<BookLevel> Bids, IReadOnlyList<BookLevel> Asks)
    {
        public static OrderBookResult Of(OrderBookUpdate book) => new(book.Symbol.Value, book.LastSequence, book.ExchangeTs, book.Bids, book.Asks);
    }

    private static readonly OperationParameter Symbol = UnifiedCalls.Symbol("Bybit", "BTCUSDT");
    private static readonly OperationParameter OptionalSymbol = new("symbol", "symbol, e.g. BTCUSDT");
    private static readonly OperationParameter ClientOrderId = new("clientOrderId", "orderLinkId (when orderId is not given)");
    private static readonly OperationParameter SettleCoin = new("settleCoin", "linear lists without a symbol: the settle coin (default USDT)");

    private static readonly OperationParameter[] PlaceParameters =
    [
        Symbol, new("side", "buy or sell", Required: true), new("type", "limit (default) or market"), new("price", "limit price"),
        new("size", "quantity in the base coin (spot market orders too)", Required: true), new("timeInForce", "GTC (default), IOC or FOK"),
        new("clientOrderId", "orderLinkId, at most 36 letters, digits, - or _ (generated when absent)"), new("postOnly", "true/false"),
        new("reduceOnly", "true/false (linear)"),
    ];

    public static IReadOnlyList<CallOperation> All { get; } =
    [
        .. Both("get-server-time", "venue time, Unix ms", [], async (c, _, ct) => await Market(c).GetServerTimeAsync(ct)),
        .. Both("get-instruments", "trading rules: tick size, quantity step, minimum order (instruments-info)", [OptionalSymbol],
            async (c, a, ct) => await Market(c).GetInstrumentsAsync(a.Optional("symbol"), ct)),
        .. Both("get-orderbook", "the book to limit levels (default 50, at most 1000)", [Symbol, Limit],
            async (c, a, ct) => OrderBookResult.Of(await Market(c).GetOrderBookAsync(a.Text("symbol"), a.OptionalInt("limit") ?? 50, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), ct))),
        .. Both("get-ticker", "last price, best quote and 24-hour figures (linear: mark, index, funding)", [OptionalSymbol],
            async (c, a, ct) => await Market(c).GetTickersAsync(a.Optional("symbol"), ct)),
        .. Both("get-klines", "klines, oldest first", [Symbol, new("interval", "1, 3, 5, 15, 30, 60, 120, 240, 360, 720 (minutes), D, W or M", true), StartTime, EndTime, Limit],
            async (c, a, ct) => await Market(c).GetKlinesAsync(a.Text("symbol"), a.Text("interval"), a.OptionalLong("startTime"), a.OptionalLong("endTime"), a.OptionalInt("limit"), ct)),
        .. Both("get-trades", "recent public trades (recent-trade)", [Symbol, Limit], async (c, a, ct) => await Market(c).GetRecentTradesAsync(a.Text("symbol"), a.OptionalInt("limit"), ct)),
        Futures("get-funding-rate", "mark and index price, funding rate and next funding time (tickers)", [Symbol],
            async (c, a, ct) => (await Market(c).GetTickersAsync(a.Text("symbol"), ct)).Select(t => new { t.Symbol, t.MarkPrice, t.IndexPrice, t.FundingRate, t.NextFundingTime }).ToArray()),
        Futures("get-funding-rate-history", "settled funding rates (funding/history)", [Symbol, StartTime, EndTime, Limit],
            async (c, a, ct) => await Market(c).GetFundingHistoryAsync(a.Text("symbol"), a.OptionalLong("startTime"), a.OptionalLong("endTime"), a.OptionalInt("limit"), ct)),
        Futures("get-open-interest", "open interest per interval", [Symbol, new("intervalTime", "5min (default), 15min, 30min, 1h, 4h or 1d"), StartTime, EndTime, Limit],
            async (c, a, ct) => await Market(c).GetOpenInterestAsync(a.Text("symbol"), a.Optional("intervalTime") ?? "5min", a.OptionalLong("startTime"), a.OptionalLong("endTime"),
                a.OptionalInt("limit"), ct)),

        .. Both("get-balances", "the Unified account's wallet: balance per coin", [new("coin", "coins, comma-separated (default: every coin with a balance)")],
            async (c, a, ct) => await Trading(c).GetWalletAsync(a.Optional("coin"), ct)),
        Futures("get-positions", "linear positions (of a symbol, or in the settle coin)", [OptionalSymbol, SettleCoin],
            async (c, a, ct) => await Trading(c).GetPositionsAsync(a.Optional("symbol"), a.Optional("settleCoin"), ct)),
        .. Both("place-order", "place a limit or market order", PlaceParameters, async (c, a, ct) => await Place(c, a, ct)),
        .. Both("cancel-order", "cancel one order", [Symbol, OrderId, ClientOrderId],
            async (c, a, ct) => await Trading(c).CancelAsync(a.Text("symbol"), a.Optional("orderId"), RequireOneId(a), ct)),
        .. Both("amend-order", "a new price and/or size for an open order", [Symbol, OrderId, ClientOrderId, new("price", "new price"), new("size", "new quantity")],
            async (c, a, ct) => await Trading(c).AmendAsync(a.Text("symbol"), a.Optional("orderId"), RequireOneId(a), a.OptionalDecimal("size"), a.OptionalDecimal("price"), ct)),
        .. Both("get-order", "one order, open or among the last 500 closed", [Symbol, OrderId, ClientOrderId],
            async (c, a, ct) => await Trading(c).GetOrderAsync(a.Text("symbol"), a.Optional("orderId"), RequireOneId(a), ct) ?? (object)"no such order"),
        .. Both("get-open-orders", "open orders, of one symbol or all (linear: of the settle coin)", [OptionalSymbol, SettleCoin],
            async (c, a, ct) => await Trading(c).GetOpenOrdersAsync(a.Optional("symbol"), a.Optional("settleCoin"), ct)),
        .. Both("get-order-history", "orders of the last 7 days, or from startTime", [OptionalSymbol, ClientOrderId, StartTime, EndTime],
            async (c, a, ct) => await Trading(c).GetOrderHistoryAsync(a.Optional("symbol"), a.Optional("clientOrderId"), a.OptionalLong("startTime"), a.OptionalLong("endTime"), ct)),
        .. Both("cancel-all-orders", "cancel every open order of a symbol (linear without one: of the settle coin)", [OptionalSymbol, SettleCoin],
            async (c, a, ct) => await Trading(c).CancelAllAsync(a.Optional("symbol"), a.Optional("settleCoin"), ct)),
        .. Both("get-fills", "the account's fills (execution/list), last 7 days unless startTime", [OptionalSymbol, OrderId, StartTime],
            async (c, a, ct) => await Trading(c).GetExecutionsAsync(a.Optional("symbol"), a.Optional("orderId"), a.OptionalLong("startTime"), ct)),
        Futures("set-leverage", "the symbol's leverage, buys and sells alike", [Symbol, new("leverage", "from 1 to the symbol's maximum", true)],
            async (c, a, ct) => await Trading(c).SetLeverageAsync(a.Text("symbol"), a.Decimal("leverage"), ct)),
    ];

    private static BybitMarketData Market(ICallContext context) => new(context.Public, context.Market);

    private static BybitTrading Trading(ICallContext context) => new(context.Signed(), context.Market);

    private static Task<BybitOrderAck> Place(ICallContext context, OperationArguments a, CancellationToken ct)
    {
        var side = UnifiedCalls.Side(a);
        var limit = IsLimit(a);
        var tif = a.OptionalBool("postOnly") == true ? "PostOnly" : (a.Optional("timeInForce")?.ToUpperInvariant() ?? "GTC") switch
        {
            var known and ("GTC" or "IOC" or "FOK") => known,
            var other => throw new ExchangeException(new ConfigurationError($"timeInForce is GTC, IOC or FOK, not '{other}'")),
        };
        var clientOrderId = UnifiedCalls.ClientOrderId(a);
        return Trading(context).PlaceAsync(new BybitOrderSpec(a.Text("symbol"), side, limit, a.Decimal("size"), limit ? a.Decimal("price") : null, clientOrderId, tif,
            a.OptionalBool("reduceOnly") ?? false), ct);
    }



}
