using System.Reflection;
using System.Text.Json.Serialization;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Exchanges.Calls;
using ActorTrading.Exchanges.KuCoin.Rest;

namespace ActorTrading.Exchanges.KuCoin;

/// <summary>What an operation runs against: the public and (lazily, needing credentials) the private API.</summary>
public sealed class KuCoinCallContext(IRestExecutor publicRest, Func<IRestExecutor> privateRest, Func<IRestExecutor> privateSpotHostRest)
{
    private KuCoinFuturesTrading? _trading;
    private KuCoinTransfers? _transfers;
    private KuCoinSpot? _spotTrading;
    private KuCoinMargin? _margin;
    private KuCoinUnified? _unified;

    public KuCoinFuturesMarketData FuturesMarket { get; } = new(publicRest);

    public KuCoinFuturesTrading FuturesTrading => _trading ??= new KuCoinFuturesTrading(privateRest());

    /// <summary>Spot public data on the (spot) base URL of the call.</summary>
    public KuCoinSpot SpotMarket { get; } = new(publicRest);

    /// <summary>Signed spot endpoints (HF orders, fills, full book).</summary>
    public KuCoinSpot SpotTrading => _spotTrading ??= new KuCoinSpot(privateRest());

    /// <summary>HF spot margin (spot host).</summary>
    public KuCoinMargin Margin => _margin ??= new KuCoinMargin(privateRest());

    /// <summary>Public margin data (pair lists) on the spot host.</summary>
    public KuCoinMargin MarginMarket { get; } = new(publicRest);

    /// <summary>Unified Trading Account reads (spot host).</summary>
    public KuCoinUnified Unified => _unified ??= new KuCoinUnified(privateRest());

    /// <summary>Transfers run on the spot host (universal transfer) and the futures host (transfer list).</summary>
    public KuCoinTransfers Transfers => _transfers ??= new KuCoinTransfers(privateSpotHostRest(), privateRest());
}

/// <summary>An operation of <c>actortrading call kucoin</c>; names are the seed crate's method names in kebab-case.</summary>
public sealed record KuCoinOperation(
    string Name, MarketKind Market, string Description, IReadOnlyList<OperationParameter> Parameters,
    Func<KuCoinCallContext, OperationArguments, CancellationToken, Task<object>> Run);

/// <summary>A currency balance (<c>get-balance</c>), from the account overview.</summary>
public sealed record FuturesBalance(string Currency, decimal AvailableBalance, decimal AccountEquity, decimal MarginBalance);

public static class KuCoinOperations
{
    private static readonly OperationParameter Symbol = new("symbol", "contract, e.g. XBTUSDTM", Required: true);
    private static readonly OperationParameter OptionalSymbol = new("symbol", "contract, e.g. XBTUSDTM");
    private static readonly OperationParameter Currency = new("currency", "settlement currency, e.g. USDT");

    // Declared before the lists that use them: static fields start in the order they are written.
    private static readonly OperationParameter UnifiedClientOrderId = new("clientOrderId", "the client order id by its unified name (KuCoin's clientOid)");

    private static readonly OperationParameter UnifiedInterval = new("interval", "1m, 5m, 15m, 30m, 1h, 2h, 4h, 8h, 12h, 1d, 1w", Required: true);

    private static readonly OperationParameter[] ListFilter =
    [
        OptionalSymbol, new("side", "buy or sell"), new("type", "limit, market, limit_stop, market_stop"),
        new("startAt", "from, Unix ms"), new("endAt", "to, Unix ms"), new("currentPage", "page, from 1"), new("pageSize", "rows per page"),
    ];

    private static readonly OperationParameter[] OrderParameters =
    [
        Symbol, new("side", "buy or sell", Required: true), new("type", "limit (default) or market"), new("price", "limit price"),
        new("size", "contracts"), new("qty", "base-currency quantity"), new("valueQty", "quote-currency value"), new("leverage", "leverage"),
        new("timeInForce", "GTC or IOC"), new("postOnly", "true/false"), new("reduceOnly", "true/false"), new("closeOrder", "true/false"),
        new("hidden", "true/false"), new("iceberg", "true/false"), new("visibleSize", "iceberg visible size"), new("stp", "CN, CO or CB"),
        new("marginMode", "ISOLATED or CROSS"), new("positionSide", "BOTH, LONG or SHORT"), new("remark", "free text"),
        new("clientOid", "idempotency id (generated when absent)"), UnifiedClientOrderId,
    ];

    public static readonly IReadOnlyList<KuCoinOperation> All =
    [
        Op(MarketKind.Futures, "get-server-time", "venue time, Unix ms", [], async (c, _, ct) => await c.FuturesMarket.GetServerTimeAsync(ct)),
        Op(MarketKind.Futures, "fetch-klines", "klines, at most 500 rows", [Symbol, new("granularity", "minutes: 1,5,15,30,60,120,240,480,720,1440,10080", true), new("from", "Unix ms"), new("to", "Unix ms")],
            async (c, a, ct) => await c.FuturesMarket.GetKlinesAsync(a.Text("symbol"), (int)a.Long("granularity"), a.OptionalLong("from"), a.OptionalLong("to"), ct)),
        Op(MarketKind.Futures, "fetch-klines-extended", "klines over any range, paged in 500-row windows", [Symbol, new("granularity", "minutes", true), new("from", "Unix ms", true), new("to", "Unix ms", true)],
            async (c, a, ct) => await c.FuturesMarket.GetKlinesExtendedAsync(a.Text("symbol"), (int)a.Long("granularity"), a.Long("from"), a.Long("to"), ct)),
        Op(MarketKind.Futures, "get-orderbook-snapshot", "full level-2 book", [Symbol], async (c, a, ct) => await c.FuturesMarket.GetLevel2SnapshotAsync(a.Text("symbol"), ct)),
        Op(MarketKind.Futures, "get-funding-rate", "current funding rate", [Symbol], async (c, a, ct) => await c.FuturesMarket.GetCurrentFundingRateAsync(a.Text("symbol"), ct)),
        Op(MarketKind.Futures, "get-funding-history", "settled funding rates (public endpoint)", [Symbol, new("from", "Unix ms", true), new("to", "Unix ms", true)],
            async (c, a, ct) => await c.FuturesMarket.GetFundingHistoryAsync(a.Text("symbol"), a.Long("from"), a.Long("to"), ct)),
        Op(MarketKind.Futures, "get-mark-price", "mark and index price", [Symbol], async (c, a, ct) => await c.FuturesMarket.GetMarkPriceAsync(a.Text("symbol"), ct)),
        Op(MarketKind.Futures, "get-active-contracts", "every open contract", [], async (c, _, ct) => await c.FuturesMarket.GetActiveContractsAsync(ct)),
        Op(MarketKind.Futures, "get-contract", "one contract", [Symbol], async (c, a, ct) => await c.FuturesMarket.GetContractAsync(a.Text("symbol"), ct)),
        Op(MarketKind.Futures, "get-ticker", "last trade and best bid/ask", [Symbol], async (c, a, ct) => await c.FuturesMarket.GetTickerAsync(a.Text("symbol"), ct)),
        Op(MarketKind.Futures, "calc-contracts", "contracts worth a quote-currency notional", [Symbol, new("notional", "quote-currency value", true), new("price", "price (linear contracts)", true)],
            async (c, a, ct) => await c.FuturesMarket.CalcContractsAsync(a.Text("symbol"), a.Decimal("notional"), a.Decimal("price"), ct)),

        Op(MarketKind.Futures, "get-balance", "available balance of a currency", [Currency], async (c, a, ct) =>
        {
            var overview = await c.FuturesTrading.GetAccountOverviewAsync(a.Optional("currency"), ct);
            return new FuturesBalance(overview.Currency, overview.AvailableBalance, overview.AccountEquity, overview.MarginBalance);
        }),
        Op(MarketKind.Futures, "get-account-overview", "futures account of a currency", [Currency], async (c, a, ct) => await c.FuturesTrading.GetAccountOverviewAsync(a.Optional("currency"), ct)),
        Op(MarketKind.Futures, "get-account-overview-all", "master and sub-accounts", [Currency], async (c, a, ct) => await c.FuturesTrading.GetAccountOverviewAllAsync(a.Optional("currency"), ct)),
        Op(MarketKind.Futures, "get-position", "position of a contract", [Symbol], async (c, a, ct) => await c.FuturesTrading.GetPositionAsync(a.Text("symbol"), ct)),
        Op(MarketKind.Futures, "get-all-positions", "every open position", [Currency], async (c, a, ct) => await c.FuturesTrading.GetPositionsAsync(a.Optional("currency"), ct)),
        Op(MarketKind.Futures, "add-position-margin", "add isolated margin", [Symbol, new("margin", "amount", true), new("bizNo", "idempotency id")],
            async (c, a, ct) => await c.FuturesTrading.AddPositionMarginAsync(a.Text("symbol"), a.Decimal("margin"), a.Optional("bizNo"), ct)),
        Op(MarketKind.Futures, "set-auto-deposit", "automatic isolated margin top-up", [Symbol, new("status", "true/false", true)],
            async (c, a, ct) => await c.FuturesTrading.SetAutoDepositAsync(a.Text("symbol"), a.OptionalBool("status")!.Value, ct)),
        Op(MarketKind.Futures, "get-risk-limit-levels", "risk limit levels of a contract", [Symbol], async (c, a, ct) => await c.FuturesTrading.GetRiskLimitLevelsAsync(a.Text("symbol"), ct)),
        Op(MarketKind.Futures, "set-risk-limit-level", "change the risk limit level", [Symbol, new("level", "level", true)],
            async (c, a, ct) => await c.FuturesTrading.SetRiskLimitLevelAsync(a.Text("symbol"), (int)a.Long("level"), ct)),
        Op(MarketKind.Futures, "place-order", "place an order", OrderParameters, async (c, a, ct) => await c.FuturesTrading.PlaceOrderAsync(OrderFrom(a), ct)),
        Op(MarketKind.Futures, "place-test-order", "validate an order without placing it", OrderParameters, async (c, a, ct) => await c.FuturesTrading.PlaceTestOrderAsync(OrderFrom(a), ct)),
        Op(MarketKind.Futures, "place-multiple-orders", "up to 20 orders in one request, answered per order", [new("orders", "JSON array of orders in the docs' field names", true)],
            async (c, a, ct) => await c.FuturesTrading.PlaceOrdersAsync(a.Json("orders", KuCoinJsonContext.Default.IReadOnlyListFuturesOrderRequest), ct)),
        Op(MarketKind.Futures, "cancel-multiple-orders", "cancel up to 20 orders, answered per order", [new("orderIds", "comma-separated venue order ids"), new("clientOids", "comma-separated symbol:clientOid pairs")],
            async (c, a, ct) => await c.FuturesTrading.CancelOrdersAsync(new FuturesBatchCancelRequest(
                a.List("orderIds") is { Count: > 0 } ids ? ids : null,
                a.List("clientOids") is { Count: > 0 } refs ? refs.Select(ClientOrderRef).ToArray() : null), ct)),
        Op(MarketKind.Futures, "place-stop-order", "place a stop order", [.. OrderParameters, new("stop", "up or down", true), new("stopPrice", "trigger price", true), new("stopPriceType", "TP, MP or IP")],
            async (c, a, ct) => await c.FuturesTrading.PlaceStopOrderAsync(OrderFrom(a), a.OptionalEnum("stop", WireNames<StopDirection>())!.Value,
                a.Decimal("stopPrice"), a.OptionalEnum("stopPriceType", WireNames<StopPriceType>()) ?? StopPriceType.TradePrice, ct)),
        Op(MarketKind.Futures, "close-position", "close the whole position at market", [Symbol, new("marginMode", "ISOLATED or CROSS"), new("clientOid", "idempotency id")],
            async (c, a, ct) => await c.FuturesTrading.ClosePositionAsync(a.Text("symbol"), a.Optional("clientOid") ?? NewClientOid(), a.OptionalEnum("marginMode", WireNames<FuturesMarginMode>()), ct)),
        Op(MarketKind.Futures, "cancel-order", "cancel by orderId, or by clientOid and symbol", [new("orderId", "venue order id"), new("clientOid", "client order id"), UnifiedClientOrderId, OptionalSymbol],
            async (c, a, ct) => a.Optional("orderId") is { } id
                ? await c.FuturesTrading.CancelOrderAsync(id, ct)
                : await c.FuturesTrading.CancelOrderByClientOidAsync(a.Text("symbol"), RequiredClientId(a), ct)),
        Op(MarketKind.Futures, "cancel-all-orders", "cancel every open order", [OptionalSymbol], async (c, a, ct) => await c.FuturesTrading.CancelAllOrdersAsync(a.Optional("symbol"), ct)),
        Op(MarketKind.Futures, "cancel-stop-order", "cancel one stop order", [new("orderId", "venue order id", true)], async (c, a, ct) => await c.FuturesTrading.CancelOrderAsync(a.Text("orderId"), ct)),
        Op(MarketKind.Futures, "cancel-all-stop-orders", "cancel every untriggered stop order", [OptionalSymbol], async (c, a, ct) => await c.FuturesTrading.CancelAllStopOrdersAsync(a.Optional("symbol"), ct)),
        Op(MarketKind.Futures, "get-open-orders", "open orders, one page", ListFilter, async (c, a, ct) => await c.FuturesTrading.GetOpenOrdersAsync(FilterFrom(a), ct)),
        Op(MarketKind.Futures, "get-done-orders", "finished orders, one page", ListFilter, async (c, a, ct) => await c.FuturesTrading.GetDoneOrdersAsync(FilterFrom(a), ct)),
        Op(MarketKind.Futures, "get-open-stop-orders", "untriggered stop orders, one page", ListFilter, async (c, a, ct) => await c.FuturesTrading.GetOpenStopOrdersAsync(FilterFrom(a), ct)),
        Op(MarketKind.Futures, "get-order", "one order by orderId or clientOid", [new("orderId", "venue order id"), new("clientOid", "client order id"), UnifiedClientOrderId],
            async (c, a, ct) => a.Optional("orderId") is { } id
                ? await c.FuturesTrading.GetOrderAsync(id, ct)
                : await c.FuturesTrading.GetOrderByClientOidAsync(RequiredClientId(a), ct)),
        Op(MarketKind.Futures, "get-recent-fills", "fills of the last 24 hours", [OptionalSymbol], async (c, a, ct) => await c.FuturesTrading.GetRecentFillsAsync(a.Optional("symbol"), ct)),
        Op(MarketKind.Futures, "transfer-to-main", "futures account to main account (universal transfer)", [new("currency", "e.g. USDT", true), new("amount", "amount", true), new("clientOid", "idempotency id")],
            async (c, a, ct) => await c.Transfers.TransferToMainAsync(a.Text("currency"), a.Decimal("amount"), a.Optional("clientOid"), ct)),
        Op(MarketKind.Futures, "transfer-to-futures", "main (or trade) account to futures account", [new("currency", "e.g. USDT", true), new("amount", "amount", true), new("from", "MAIN (default) or TRADE"), new("clientOid", "idempotency id")],
            async (c, a, ct) => await c.Transfers.TransferToFuturesAsync(a.Text("currency"), a.Decimal("amount"), a.OptionalEnum("from", WireNames<KuCoinAccountType>()) ?? KuCoinAccountType.Main, a.Optional("clientOid"), ct)),
        Op(MarketKind.Futures, "get-transfer-list", "transfers out of the futures account, one page", [Currency, new("status", "PROCESSING, SUCCESS or FAILURE"), new("startAt", "Unix ms"), new("endAt", "Unix ms"), new("currentPage", "page"), new("pageSize", "rows")],
            async (c, a, ct) => await c.Transfers.GetTransferListAsync(a.Optional("currency"), a.Optional("status"), a.OptionalLong("startAt"), a.OptionalLong("endAt"), a.OptionalInt("currentPage"), a.OptionalInt("pageSize"), ct)),
        Op(MarketKind.Futures, "get-fills", "fills by order or time, one page", [new("orderId", "venue order id"), .. ListFilter],
            async (c, a, ct) => await c.FuturesTrading.GetFillsAsync(a.Optional("orderId"), FilterFrom(a), ct)),
    ];

    private static readonly OperationParameter SpotSymbol = new("symbol", "pair, e.g. BTC-USDT", Required: true);

    private static readonly OperationParameter[] SpotOrderParameters =
    [
        SpotSymbol, new("side", "buy or sell", Required: true), new("type", "limit (default) or market"), new("price", "limit price"),
        new("size", "base-currency size"), new("funds", "quote-currency funds (market orders)"), new("timeInForce", "GTC, GTT, IOC or FOK"),
        new("cancelAfter", "seconds, with GTT"), new("postOnly", "true/false"), new("hidden", "true/false"), new("iceberg", "true/false"),
        new("visibleSize", "iceberg visible size"), new("stp", "DC, CO, CN or CB"), new("tags", "order tags"), new("remark", "free text"),
        new("clientOid", "idempotency id (generated when absent)"), UnifiedClientOrderId,
    ];

    private static readonly OperationParameter[] SpotCursor =
    [
        SpotSymbol, new("side", "buy or sell"), new("type", "limit or market"), new("startAt", "Unix ms"), new("endAt", "Unix ms"),
        new("lastId", "cursor from the previous page"), new("limit", "rows, up to 100"),
    ];

    public static readonly IReadOnlyList<KuCoinOperation> Spot =
    [
        Op(MarketKind.Spot, "get-symbols", "every spot pair", [new("market", "e.g. USDS")], async (c, a, ct) => await c.SpotMarket.GetSymbolsAsync(a.Optional("market"), ct)),
        Op(MarketKind.Spot, "get-ticker", "best bid/ask and last trade", [SpotSymbol], async (c, a, ct) => await c.SpotMarket.GetTickerAsync(a.Text("symbol"), ct)),
        Op(MarketKind.Spot, "get-orderbook", "20 or 100 levels a side", [SpotSymbol, new("depth", "20 (default) or 100")],
            async (c, a, ct) => await c.SpotMarket.GetOrderBookAsync(a.Text("symbol"), a.OptionalInt("depth") ?? 20, ct)),
        Op(MarketKind.Spot, "get-orderbook-snapshot", "the full level-2 book (signed)", [SpotSymbol], async (c, a, ct) => await c.SpotTrading.GetFullOrderBookAsync(a.Text("symbol"), ct)),
        Op(MarketKind.Spot, "get-trades", "recent trades", [SpotSymbol], async (c, a, ct) => await c.SpotMarket.GetTradesAsync(a.Text("symbol"), ct)),
        Op(MarketKind.Spot, "fetch-klines", "klines, times in seconds", [SpotSymbol, new("type", "1min … 1month", true), new("startAt", "Unix s"), new("endAt", "Unix s")],
            async (c, a, ct) => await c.SpotMarket.GetKlinesAsync(a.Text("symbol"), a.Text("type"), a.OptionalLong("startAt"), a.OptionalLong("endAt"), ct)),
        Op(MarketKind.Spot, "place-order", "place an HF order", SpotOrderParameters, async (c, a, ct) => await c.SpotTrading.PlaceOrderAsync(SpotOrderFrom(a), ct)),
        Op(MarketKind.Spot, "place-test-order", "validate an HF order without placing it", SpotOrderParameters, async (c, a, ct) => await c.SpotTrading.PlaceTestOrderAsync(SpotOrderFrom(a), ct)),
        Op(MarketKind.Spot, "place-multiple-orders", "up to 5 HF orders in one request, answered per order", [new("orders", "JSON array of orders in the docs' field names", true)],
            async (c, a, ct) => await c.SpotTrading.PlaceOrdersAsync(a.Json("orders", KuCoinSpotJsonContext.Default.IReadOnlyListSpotOrderRequest), ct)),
        Op(MarketKind.Spot, "modify-order", "new price and/or size for an open HF order (it gets a new id)",
            [SpotSymbol, new("orderId", "venue order id"), new("clientOid", "client order id"), new("newPrice", "new limit price"), new("newSize", "new size")],
            async (c, a, ct) => await c.SpotTrading.ModifyOrderAsync(new SpotModifyRequest
            {
                Symbol = a.Text("symbol"), OrderId = a.Optional("orderId"), ClientOid = a.Optional("clientOid"), NewPrice = a.OptionalDecimal("newPrice"), NewSize = a.OptionalDecimal("newSize"),
            }, ct)),
        Op(MarketKind.Spot, "cancel-order", "cancel by orderId or clientOid", [SpotSymbol, new("orderId", "venue order id"), new("clientOid", "client order id"), UnifiedClientOrderId],
            async (c, a, ct) => a.Optional("orderId") is { } id
                ? await c.SpotTrading.CancelOrderAsync(a.Text("symbol"), id, ct)
                : await c.SpotTrading.CancelOrderByClientOidAsync(a.Text("symbol"), RequiredClientId(a), ct)),
        Op(MarketKind.Spot, "cancel-all-orders", "cancel every open order of a pair", [SpotSymbol], async (c, a, ct) => await c.SpotTrading.CancelAllOrdersAsync(a.Text("symbol"), ct)),
        Op(MarketKind.Spot, "get-order", "one order by orderId or clientOid", [SpotSymbol, new("orderId", "venue order id"), new("clientOid", "client order id"), UnifiedClientOrderId],
            async (c, a, ct) => a.Optional("orderId") is { } id
                ? await c.SpotTrading.GetOrderAsync(a.Text("symbol"), id, ct)
                : await c.SpotTrading.GetOrderByClientOidAsync(a.Text("symbol"), RequiredClientId(a), ct)),
        Op(MarketKind.Spot, "get-open-orders", "open orders of a pair", [SpotSymbol], async (c, a, ct) => await c.SpotTrading.GetOpenOrdersAsync(a.Text("symbol"), ct)),
        Op(MarketKind.Spot, "get-done-orders", "finished orders, cursor page", SpotCursor, async (c, a, ct) => await c.SpotTrading.GetDoneOrdersAsync(a.Text("symbol"),
            a.OptionalEnum("side", WireNames<Side>()), a.Optional("type"), a.OptionalLong("startAt"), a.OptionalLong("endAt"), a.OptionalLong("lastId"), a.OptionalInt("limit"), ct)),
        Op(MarketKind.Spot, "get-fills", "fills, cursor page", [.. SpotCursor, new("orderId", "venue order id")], async (c, a, ct) => await c.SpotTrading.GetFillsAsync(a.Text("symbol"),
            a.Optional("orderId"), a.OptionalEnum("side", WireNames<Side>()), a.Optional("type"), a.OptionalLong("startAt"), a.OptionalLong("endAt"), a.OptionalLong("lastId"), a.OptionalInt("limit"), ct)),
    ];

    private static readonly OperationParameter Isolated = new("isolated", "true for isolated margin (default cross)");

    // Declared before the lists that use it: static fields initialize in textual order.
    private static readonly OperationParameter[] HistoryParameters =
    [
        new("currency", "e.g. USDT (required for borrow/repay history)"), new("symbol", "pair, for isolated"), Isolated,
        new("startTime", "Unix ms"), new("endTime", "Unix ms"), new("currentPage", "from 1"), new("pageSize", "10–500"),
    ];

    private static readonly OperationParameter[] LoanParameters =
        [new("currency", "e.g. USDT", true), new("size", "amount", true), new("symbol", "pair, for isolated"), Isolated, new("isHf", "true for the HF margin account")];

    public static readonly IReadOnlyList<KuCoinOperation> Margin =
    [
        Op(MarketKind.Margin, "place-margin-order", "place an HF margin order", [.. SpotOrderParameters, Isolated, new("autoBorrow", "true/false"), new("autoRepay", "true/false")],
            async (c, a, ct) => await c.Margin.PlaceOrderAsync(MarginOrderFrom(a), ct)),
        Op(MarketKind.Margin, "place-margin-test-order", "validate an HF margin order without placing it", [.. SpotOrderParameters, Isolated, new("autoBorrow", "true/false"), new("autoRepay", "true/false")],
            async (c, a, ct) => await c.Margin.PlaceTestOrderAsync(MarginOrderFrom(a), ct)),
        Op(MarketKind.Margin, "get-margin-order", "one margin order by orderId or clientOid", [SpotSymbol, new("orderId", "venue order id"), new("clientOid", "client order id")],
            async (c, a, ct) => a.Optional("orderId") is { } id
                ? await c.Margin.GetOrderAsync(a.Text("symbol"), id, ct)
                : await c.Margin.GetOrderByClientOidAsync(a.Text("symbol"), a.Text("clientOid"), ct)),
        Op(MarketKind.Margin, "cancel-margin-order", "cancel a margin order by orderId or clientOid", [SpotSymbol, new("orderId", "venue order id"), new("clientOid", "client order id")],
            async (c, a, ct) => a.Optional("orderId") is { } id
                ? await c.Margin.CancelOrderAsync(a.Text("symbol"), id, ct)
                : await c.Margin.CancelOrderByClientOidAsync(a.Text("symbol"), a.Text("clientOid"), ct)),
        Op(MarketKind.Margin, "cancel-all-margin-orders", "cancel every margin order of a pair", [SpotSymbol, Isolated],
            async (c, a, ct) => await c.Margin.CancelAllOrdersAsync(a.Text("symbol"), TradeType(a), ct)),
        Op(MarketKind.Margin, "get-margin-open-orders", "open margin orders of a pair", [SpotSymbol, Isolated],
            async (c, a, ct) => await c.Margin.GetOpenOrdersAsync(a.Text("symbol"), TradeType(a), ct)),
        Op(MarketKind.Margin, "get-margin-done-orders", "finished margin orders, cursor page", [.. SpotCursor, Isolated], async (c, a, ct) => await c.Margin.GetDoneOrdersAsync(a.Text("symbol"), TradeType(a),
            a.OptionalEnum("side", WireNames<Side>()), a.Optional("type"), a.OptionalLong("startAt"), a.OptionalLong("endAt"), a.OptionalLong("lastId"), a.OptionalInt("limit"), ct)),
        Op(MarketKind.Margin, "get-margin-fills", "margin fills, cursor page", [.. SpotCursor, Isolated, new("orderId", "venue order id")], async (c, a, ct) => await c.Margin.GetFillsAsync(a.Text("symbol"), TradeType(a),
            a.Optional("orderId"), a.OptionalEnum("side", WireNames<Side>()), a.Optional("type"), a.OptionalLong("startAt"), a.OptionalLong("endAt"), a.OptionalLong("lastId"), a.OptionalInt("limit"), ct)),
        Op(MarketKind.Margin, "get-margin-balance", "the cross margin account", [new("quoteCurrency", "USDT (default), KCS or BTC"), new("queryType", "MARGIN, MARGIN_V2 or ALL")],
            async (c, a, ct) => await c.Margin.GetCrossAccountAsync(a.Optional("quoteCurrency"), a.Optional("queryType"), ct)),
        Op(MarketKind.Margin, "get-isolated-margin-balance", "the isolated margin accounts", [new("symbol", "pair"), new("quoteCurrency", "USDT (default), KCS or BTC"), new("queryType", "ISOLATED, ISOLATED_V2 or ALL")],
            async (c, a, ct) => await c.Margin.GetIsolatedAccountsAsync(a.Optional("symbol"), a.Optional("quoteCurrency"), a.Optional("queryType"), ct)),
        Op(MarketKind.Margin, "borrow", "borrow for the cross (or isolated) margin account", [.. LoanParameters, new("timeInForce", "IOC or FOK", true)],
            async (c, a, ct) => await c.Margin.BorrowAsync(LoanFrom(a) with { TimeInForce = a.Text("timeInForce") }, ct)),
        Op(MarketKind.Margin, "repay", "repay a margin liability", LoanParameters, async (c, a, ct) => await c.Margin.RepayAsync(LoanFrom(a), ct)),
        Op(MarketKind.Margin, "get-borrow-history", "borrow orders, page", [.. HistoryParameters, new("orderNo", "borrow order id")],
            async (c, a, ct) => await c.Margin.GetBorrowHistoryAsync(HistoryFrom(a), ct)),
        Op(MarketKind.Margin, "get-repay-history", "repay orders, page", [.. HistoryParameters, new("orderNo", "repay order id")],
            async (c, a, ct) => await c.Margin.GetRepayHistoryAsync(HistoryFrom(a), ct)),
        Op(MarketKind.Margin, "get-interest-history", "interest charged, page", HistoryParameters, async (c, a, ct) => await c.Margin.GetInterestHistoryAsync(HistoryFrom(a), ct)),
        Op(MarketKind.Margin, "modify-margin-leverage", "set the cross (or isolated) margin leverage", [new("leverage", "above 1, two decimals at most", true), new("symbol", "pair, for isolated"), Isolated],
            async (c, a, ct) =>
            {
                var leverage = a.Decimal("leverage");
                await c.Margin.ModifyLeverageAsync(leverage, a.Optional("symbol"), a.OptionalBool("isolated"), ct);
                return new { leverage };
            }),
        Op(MarketKind.Margin, "get-cross-margin-symbols", "cross margin pairs and their limits (public)", [new("symbol", "pair")],
            async (c, a, ct) => await c.MarginMarket.GetCrossMarginSymbolsAsync(a.Optional("symbol"), ct)),
        Op(MarketKind.Margin, "get-isolated-margin-symbols", "isolated margin pairs: leverage, liquidation ratio (public)", [],
            async (c, a, ct) => await c.MarginMarket.GetIsolatedMarginSymbolsAsync(ct)),
    ];

    /// <summary>Unified Trading Account (UTA) reads, <c>--market unified</c>; they live on the spot host.</summary>
    public static readonly IReadOnlyList<KuCoinOperation> Unified =
    [
        Op(MarketKind.Unified, "get-unified-account-mode", "unified or classic, for the account and its sub-accounts", [], async (c, a, ct) => await c.Unified.GetAccountModeAsync(ct)),
        Op(MarketKind.Unified, "get-unified-account", "per-currency equity, liability and borrowing headroom", [], async (c, a, ct) => await c.Unified.GetAccountBalanceAsync(ct)),
        Op(MarketKind.Unified, "get-unified-margin", "account risk: equity, initial/maintenance margin, risk ratio", [], async (c, a, ct) => await c.Unified.GetAccountOverviewAsync(ct)),
        Op(MarketKind.Unified, "get-unified-positions", "open positions", [new("symbol", "futures symbol"), new("pageNumber", "page, from 1"), new("pageSize", "rows per page")],
            async (c, a, ct) => await c.Unified.GetOpenPositionsAsync(a.Optional("symbol"), a.OptionalInt("pageNumber"), a.OptionalInt("pageSize"), ct)),
    ];

    /// <summary>
    /// The unified operations' names that KuCoin's own names do not already cover (<c>call</c> speaks the same names and
    /// parameters on every venue): balances, positions, klines by a common interval, instruments, the futures book.
    /// </summary>
    public static readonly IReadOnlyList<KuCoinOperation> UnifiedNames =
    [
        Op(MarketKind.Futures, "get-balances", "every currency's futures account (account overview of each)", [Currency],
            async (c, a, ct) => await c.FuturesTrading.GetAccountOverviewAllAsync(a.Optional("currency"), ct)),
        Op(MarketKind.Spot, "get-balances", "balance, available and held per currency and account (accounts)", [new("currency", "e.g. USDT"), new("type", "main or trade")],
            async (c, a, ct) => await c.SpotTrading.GetAccountsAsync(a.Optional("currency"), a.Optional("type"), ct)),
        Op(MarketKind.Futures, "get-positions", "open positions, of one contract or all", [OptionalSymbol],
            async (c, a, ct) => a.Optional("symbol") is { } symbol ? [await c.FuturesTrading.GetPositionAsync(symbol, ct)] : await c.FuturesTrading.GetPositionsAsync(null, ct)),
        Op(MarketKind.Futures, "get-klines", "klines, at most 500 rows", [Symbol, UnifiedInterval, new("startTime", "from, Unix ms"), new("endTime", "to, Unix ms")],
            async (c, a, ct) => await c.FuturesMarket.GetKlinesAsync(a.Text("symbol"), Interval(a).Minutes, a.OptionalLong("startTime"), a.OptionalLong("endTime"), ct)),
        Op(MarketKind.Spot, "get-klines", "klines (times in seconds, as KuCoin gives them)", [SpotSymbol, UnifiedInterval, new("startTime", "from, Unix ms"), new("endTime", "to, Unix ms")],
            async (c, a, ct) => await c.SpotMarket.GetKlinesAsync(a.Text("symbol"), Interval(a).SpotType, a.OptionalLong("startTime") / 1000, a.OptionalLong("endTime") / 1000, ct)),
        Op(MarketKind.Futures, "get-instruments", "trading rules of every open contract, or one (contracts/active)", [OptionalSymbol],
            async (c, a, ct) => (await c.FuturesMarket.GetActiveContractsAsync(ct)).Where(k => a.Optional("symbol") is not { } s || k.Symbol == s).ToArray()),
        Op(MarketKind.Spot, "get-instruments", "trading rules of every pair, or one (symbols)", [new("symbol", "pair, e.g. BTC-USDT")],
            async (c, a, ct) => (await c.SpotMarket.GetSymbolsAsync(null, ct)).Where(k => a.Optional("symbol") is not { } s || k.Symbol == s).ToArray()),
        Op(MarketKind.Futures, "get-orderbook", "the full level-2 book", [Symbol], async (c, a, ct) => await c.FuturesMarket.GetLevel2SnapshotAsync(a.Text("symbol"), ct)),
    ];

    public static IEnumerable<KuCoinOperation> Every => All.Concat(Spot).Concat(Margin).Concat(Unified).Concat(UnifiedNames);

    /// <summary>
    /// The operations as <c>call</c> runs them: margin and unified accounts live on the spot host, futures on its own;
    /// transfers use both.
    /// </summary>
    public static IReadOnlyList<CallOperation> Calls { get; } = Every.Select(o => new CallOperation(o.Name, o.Market, o.Description, o.Parameters,
        (context, arguments, ct) =>
        {
            var host = o.Market == MarketKind.Futures ? MarketKind.Futures : MarketKind.Spot;
            var kucoin = new KuCoinCallContext(context.PublicOn(host), () => context.SignedOn(host), () => context.SignedOn(MarketKind.Spot));
            return o.Run(kucoin, arguments, ct);
        })).ToArray();

    public static KuCoinOperation? Find(string name, MarketKind market) =>
        Every.FirstOrDefault(o => o.Market == market && o.Name.Equals(name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Wire name → enum value, from the enum's <see cref="JsonStringEnumMemberNameAttribute"/>s.</summary>
    public static IReadOnlyDictionary<string, T> WireNames<T>()
        where T : struct, Enum =>
        Enum.GetValues<T>().ToDictionary(
            v => typeof(T).GetField(v.ToString())!.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? v.ToString(),
            v => v,
            StringComparer.OrdinalIgnoreCase);

    private static MarginHistoryQuery HistoryFrom(OperationArguments a) => new(
        a.Optional("currency"), a.OptionalBool("isolated"), a.Optional("symbol"), a.Optional("orderNo"),
        a.OptionalLong("startTime"), a.OptionalLong("endTime"), a.OptionalInt("currentPage"), a.OptionalInt("pageSize"));

    private static MarginLoanRequest LoanFrom(OperationArguments a) => new(a.Text("currency"), a.Decimal("size"))
    {
        Symbol = a.Optional("symbol"),
        IsIsolated = a.OptionalBool("isolated"),
        IsHf = a.OptionalBool("isHf"),
    };

    private static string? ClientId(OperationArguments a) => a.Optional("clientOrderId") ?? a.Optional("clientOid");

    private static string RequiredClientId(OperationArguments a) =>
        ClientId(a) ?? throw new ExchangeException(new ConfigurationError("orderId or clientOrderId (clientOid) is required"));

    /// <summary>A unified interval (<c>15m</c>, <c>4h</c>, <c>1d</c>, <c>1w</c>) as futures minutes and the spot kline type.</summary>
    private static (int Minutes, string SpotType) Interval(OperationArguments a)
    {
        var text = a.Text("interval");
        var (unit, minutes, spot) = text[^1] switch
        {
            'm' => ("m", 1, "min"),
            'h' => ("h", 60, "hour"),
            'd' => ("d", 1440, "day"),
            'w' => ("w", 10080, "week"),
            _ => default,
        };
        return unit is not null && int.TryParse(text[..^1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 0
            ? (n * minutes, $"{n}{spot}")
            : throw new ExchangeException(new ConfigurationError($"interval '{text}': a number and m, h, d or w (15m, 4h, 1d)"));
    }

    private static KuCoinOperation Op(MarketKind market, string name, string description, IReadOnlyList<OperationParameter> parameters,
        Func<KuCoinCallContext, OperationArguments, CancellationToken, Task<object>> run) =>
        new(name, market, description, parameters, run);

    private static string TradeType(OperationArguments a) => a.OptionalBool("isolated") == true ? "MARGIN_ISOLATED_TRADE" : "MARGIN_TRADE";

    private static SpotOrderRequest MarginOrderFrom(OperationArguments a) => SpotOrderFrom(a) with
    {
        IsIsolated = a.OptionalBool("isolated"),
        AutoBorrow = a.OptionalBool("autoBorrow"),
        AutoRepay = a.OptionalBool("autoRepay"),
    };

    private static SpotOrderRequest SpotOrderFrom(OperationArguments a) => new()
    {
        Type = a.OptionalEnum("type", WireNames<FuturesOrderType>()) ?? FuturesOrderType.Limit,
        Symbol = a.Text("symbol"),
        Side = a.OptionalEnum("side", WireNames<Side>())!.Value,
        Price = a.OptionalDecimal("price"),
        Size = a.OptionalDecimal("size"),
        Funds = a.OptionalDecimal("funds"),
        ClientOid = ClientId(a) ?? NewClientOid(),
        Stp = a.OptionalEnum("stp", WireNames<SpotSelfTradePrevention>()),
        Tags = a.Optional("tags"),
        Remark = a.Optional("remark"),
        TimeInForce = a.OptionalEnum("timeInForce", WireNames<SpotTimeInForce>()),
        CancelAfter = a.OptionalLong("cancelAfter"),
        PostOnly = a.OptionalBool("postOnly"),
        Hidden = a.OptionalBool("hidden"),
        Iceberg = a.OptionalBool("iceberg"),
        VisibleSize = a.OptionalDecimal("visibleSize"),
    };

    private static FuturesOrderRequest OrderFrom(OperationArguments a) => new()
    {
        ClientOid = ClientId(a) ?? NewClientOid(),
        Side = a.OptionalEnum("side", WireNames<Side>()),
        Symbol = a.Text("symbol"),
        Type = a.OptionalEnum("type", WireNames<FuturesOrderType>()) ?? FuturesOrderType.Limit,
        Price = a.OptionalDecimal("price"),
        Size = a.OptionalLong("size"),
        Qty = a.OptionalDecimal("qty"),
        ValueQty = a.OptionalDecimal("valueQty"),
        Leverage = a.OptionalInt("leverage"),
        TimeInForce = a.OptionalEnum("timeInForce", WireNames<FuturesTimeInForce>()),
        PostOnly = a.OptionalBool("postOnly"),
        ReduceOnly = a.OptionalBool("reduceOnly"),
        CloseOrder = a.OptionalBool("closeOrder"),
        Hidden = a.OptionalBool("hidden"),
        Iceberg = a.OptionalBool("iceberg"),
        VisibleSize = a.OptionalDecimal("visibleSize"),
        Stp = a.OptionalEnum("stp", WireNames<SelfTradePrevention>()),
        MarginMode = a.OptionalEnum("marginMode", WireNames<FuturesMarginMode>()),
        PositionSide = a.OptionalEnum("positionSide", WireNames<FuturesPositionSide>()),
        Remark = a.Optional("remark"),
    };

    private static FuturesListFilter FilterFrom(OperationArguments a) => new(
        a.Optional("symbol"), a.OptionalEnum("side", WireNames<Side>()), a.Optional("type"), a.OptionalLong("startAt"),
        a.OptionalLong("endAt"), a.OptionalInt("currentPage"), a.OptionalInt("pageSize"));

    /// <summary><c>XBTUSDTM:my-order-1</c> → the order's symbol and clientOid.</summary>
    private static FuturesClientOrderRef ClientOrderRef(string pair) => pair.Split(':', 2) is [var symbol, var clientOid] && symbol.Length > 0 && clientOid.Length > 0
        ? new FuturesClientOrderRef(symbol, clientOid)
        : throw new ExchangeException(new ConfigurationError($"clientOids entry '{pair}' must be symbol:clientOid"));

    private static string NewClientOid() => Guid.NewGuid().ToString("N");
}
