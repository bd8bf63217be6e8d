using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Exchanges.Binance.Rest;
using ActorTrading.Exchanges.Calls;
using static ActorTrading.Exchanges.Calls.UnifiedCalls;

namespace ActorTrading.Exchanges.Binance;

/// <summary>
/// <c>actortrading call binance</c>: the unified operations (the same names and parameters on every venue:
/// get-balances, get-positions, place-order, cancel-order, get-order, get-open-orders, cancel-all-orders, get-fills,
/// get-ticker, get-orderbook, get-klines, get-instruments, get-funding-rate) and Binance's own, named after its
/// endpoints in kebab-case. Spot and USDⓈ-M alike unless an operation says otherwise.
/// </summary>
public static class BinanceOperations
{
    /// <summary>A depth answer as <c>call</c> prints it: the update id it is at, its time (the arrival's on spot) and the levels.</summary>
    public sealed record OrderBookResult(string Symbol, long LastUpdateId, long Ts, IReadOnlyList<BookLevel> Bids, IReadOnlyList<BookLevel> Asks)
    {
        public static OrderBookResult Of(OrderBookUpdate book) => new(book.Symbol.Value, book.LastSequence, book.ExchangeTs, book.Bids, book.Asks);
    }

    private static readonly OperationParameter Symbol = UnifiedCalls.Symbol("Binance", "BTCUSDT");
    private static readonly OperationParameter OptionalSymbol = new("symbol", "symbol, e.g. BTCUSDT");
    private static readonly OperationParameter ClientOrderId = new("clientOrderId", "the client order id (when orderId is not given)");

    private static readonly OperationParameter[] PlaceParameters =
    [
        Symbol, new("side", "buy or sell", Required: true), new("type", "limit (default) or market"), new("price", "limit price"),
        new("size", "quantity in the base asset (contracts' base quantity on USDⓈ-M)", Required: true), new("timeInForce", "GTC (default), IOC or FOK"),
        new("clientOrderId", "newClientOrderId, at most 36 of [.A-Z:/a-z0-9_-] (generated when absent)"), new("postOnly", "true/false"),
        new("reduceOnly", "true/false (USDⓈ-M)"),
    ];

    public static IReadOnlyList<CallOperation> All { get; } =
    [
        .. Both("get-server-time", "venue time, Unix ms", [], async (c, _, ct) => await Market(c).GetServerTimeAsync(ct)),
        .. Both("get-instruments", "trading rules: tick size, lot step, minimum notional (exchangeInfo)", [OptionalSymbol],
            async (c, a, ct) => await Market(c).GetExchangeInfoAsync(a.Optional("symbol"), ct)),
        .. Both("get-orderbook", "the book to limit levels (default 100)", [Symbol, Limit],
            async (c, a, ct) => OrderBookResult.Of(await Market(c).GetOrderBookAsync(a.Text("symbol"), a.OptionalInt("limit") ?? 100, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), ct))),
        .. Both("get-ticker", "24-hour rolling statistics", [Symbol], async (c, a, ct) => await Market(c).GetTicker24hAsync(a.Text("symbol"), ct)),
        .. Both("get-book-ticker", "best bid and ask", [Symbol], async (c, a, ct) => await Market(c).GetBookTickerAsync(a.Text("symbol"), ct)),
        .. Both("get-klines", "klines, oldest first", [Symbol, new("interval", "1m, 5m, 1h, 1d, … (1s spot only)", true), StartTime, EndTime, Limit],
            async (c, a, ct) => await Market(c).GetKlinesAsync(a.Text("symbol"), a.Text("interval"), a.OptionalLong("startTime"), a.OptionalLong("endTime"), a.OptionalInt("limit"), ct)),
        .. Both("get-trades", "recent public trades", [Symbol, Limit], async (c, a, ct) => await Market(c).GetTradesAsync(a.Text("symbol"), a.OptionalInt("limit"), ct)),
        .. Both("get-agg-trades", "aggregate trades", [Symbol, new("fromId", "aggregate trade id"), StartTime, EndTime, Limit],
            async (c, a, ct) => await Market(c).GetAggTradesAsync(a.Text("symbol"), a.OptionalLong("fromId"), a.OptionalLong("startTime"), a.OptionalLong("endTime"), a.OptionalInt("limit"), ct)),
        Futures("get-funding-rate", "mark and index price, last funding rate, next funding time (premiumIndex)", [Symbol],
            async (c, a, ct) => await Market(c).GetPremiumIndexAsync(a.Text("symbol"), ct)),
        Futures("get-funding-rate-history", "settled funding rates", [Symbol, StartTime, EndTime, Limit],
            async (c, a, ct) => await Market(c).GetFundingRateHistoryAsync(a.Text("symbol"), a.OptionalLong("startTime"), a.OptionalLong("endTime"), a.OptionalInt("limit"), ct)),
        Futures("get-open-interest", "open interest", [Symbol], async (c, a, ct) => await Market(c).GetOpenInterestAsync(a.Text("symbol"), ct)),

        new("get-balances", MarketKind.Spot, "free and locked balance per asset (account)", [], async (c, _, ct) => (await Trading(c).GetSpotAccountAsync(ct)).Balances),
        Futures("get-balances", "balance and available balance per asset", [], async (c, _, ct) => await Trading(c).GetFuturesBalancesAsync(ct)),
        Futures("get-positions", "positions (positionRisk)", [OptionalSymbol], async (c, a, ct) => await Trading(c).GetPositionsAsync(a.Optional("symbol"), ct)),
        .. Both("place-order", "place a limit or market order", PlaceParameters, async (c, a, ct) => await Place(c, a, ct)),
        .. Both("cancel-order", "cancel one order", [Symbol, OrderId, ClientOrderId],
            async (c, a, ct) => await Trading(c).CancelAsync(a.Text("symbol"), a.Optional("orderId"), RequireOneId(a), ct)),
        .. Both("get-order", "one order", [Symbol, OrderId, ClientOrderId],
            async (c, a, ct) => await Trading(c).GetOrderAsync(a.Text("symbol"), a.Optional("orderId"), RequireOneId(a), ct)),
        .. Both("get-open-orders", "open orders, of one symbol or all", [OptionalSymbol], async (c, a, ct) => await Trading(c).GetOpenOrdersAsync(a.Optional("symbol"), ct)),
        .. Both("get-all-orders", "a symbol's orders, open or not", [Symbol, StartTime, EndTime, Limit],
            async (c, a, ct) => await Trading(c).GetAllOrdersAsync(a.Text("symbol"), a.OptionalLong("startTime"), a.OptionalLong("endTime"), a.OptionalInt("limit"), ct)),
        .. Both("cancel-all-orders", "cancel every open order of a symbol", [Symbol], async (c, a, ct) => await Trading(c).CancelAllAsync(a.Text("symbol"), ct)),
        .. Both("get-fills", "the account's fills of a symbol (myTrades, userTrades)", [Symbol, OrderId, StartTime, new("fromId", "trade id"), Limit],
            async (c, a, ct) => await Trading(c).GetTradesAsync(a.Text("symbol"), a.Optional("orderId"), a.OptionalLong("startTime"), a.OptionalLong("fromId"), a.OptionalInt("limit"), ct)),
        Futures("set-leverage", "the symbol's leverage, 1 to 125", [Symbol, new("leverage", "1-125", true)],
            async (c, a, ct) => await Trading(c).SetLeverageAsync(a.Text("symbol"), checked((int)a.Long("leverage")), ct)),
        Futures("set-margin-type", "ISOLATED or CROSSED for the symbol", [Symbol, new("marginType", "ISOLATED or CROSSED", true)],
            async (c, a, ct) => await Trading(c).SetMarginTypeAsync(a.Text("symbol"), MarginType(a.Text("marginType")), ct)),
    ];

    private static BinanceMarketData Market(ICallContext context) => new(context.Public, context.Market);

    private static BinanceTrading Trading(ICallContext context) => new(context.Signed(), context.Market);

    private static Task<BinanceOrderAck> Place(ICallContext context, OperationArguments a, CancellationToken ct)
    {
        var side = UnifiedCalls.Side(a);
        var limit = IsLimit(a);
        var clientOrderId = UnifiedCalls.ClientOrderId(a);
        return Trading(context).PlaceAsync(a.Text("symbol"), side, limit, a.Decimal("size"), a.OptionalDecimal("price"), clientOrderId,
            a.Optional("timeInForce")?.ToUpperInvariant() ?? "GTC", a.OptionalBool("postOnly") ?? false, a.OptionalBool("reduceOnly") ?? false, ct);
    }

    private static string MarginType(string text) => text.ToUpperInvariant() switch
    {
        "ISOLATED" => "ISOLATED",
        "CROSSED" or "CROSS" => "CROSSED",
        _ => throw new ExchangeException(new ConfigurationError($"marginType is ISOLATED or CROSSED, not '{text}'")),
    };



}
