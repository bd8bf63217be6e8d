using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Market;
using static ActorTrading.Exchanges.KuCoin.Rest.KuCoinRestCalls;

namespace ActorTrading.Exchanges.KuCoin.Rest;

/// <summary>Filters of the futures order and fill lists.</summary>
public sealed record FuturesListFilter(
    string? Symbol = null, Side? Side = null, string? Type = null, long? StartAt = null, long? EndAt = null,
    int? CurrentPage = null, int? PageSize = null);

/// <summary>
/// KuCoin Futures private REST (signed; Futures pool unless noted), one typed method per endpoint of the docs'
/// "Account", "Positions", "Orders" and "Fills" sections. Bodies are written by <see cref="KuCoinJsonContext"/>,
/// so the body that is signed is byte for byte the body that is sent.
/// </summary>
public sealed class KuCoinFuturesTrading(IRestExecutor rest)
{
    private const string Pool = KuCoinVenue.Pools.Futures;

    public Task<FuturesAccountOverview> GetAccountOverviewAsync(string? currency = null, CancellationToken ct = default) =>
        GetAsync("/api/v1/account-overview", 5, KuCoinJsonContext.Default.FuturesAccountOverview, ct, ("currency", currency));

    /// <summary>The master account and every sub-account (Management pool).</summary>
    public Task<FuturesAccountOverviewAll> GetAccountOverviewAllAsync(string? currency = null, CancellationToken ct = default) =>
        rest.SendAsync(Signed(HttpMethod.Get, "/api/v1/account-overview-all", KuCoinVenue.Pools.Management, 6, null, ("currency", currency)),
            KuCoinJsonContext.Default.FuturesAccountOverviewAll, ct);

    public Task<FuturesPosition> GetPositionAsync(string symbol, CancellationToken ct = default) =>
        GetAsync("/api/v1/position", 2, KuCoinJsonContext.Default.FuturesPosition, ct, ("symbol", symbol));

    public Task<IReadOnlyList<FuturesPosition>> GetPositionsAsync(string? currency = null, CancellationToken ct = default) =>
        GetAsync("/api/v1/positions", 2, KuCoinJsonContext.Default.IReadOnlyListFuturesPosition, ct, ("currency", currency));

    /// <summary>Adds isolated margin to a position (<c>POST /api/v1/position/margin/deposit-margin</c>).</summary>
    public Task<FuturesPosition> AddPositionMarginAsync(string symbol, decimal margin, string? bizNo = null, CancellationToken ct = default) =>
        PostAsync("/api/v1/position/margin/deposit-margin", 4,
            new AddMarginRequest(symbol, Positive(margin, "margin"), bizNo ?? Guid.NewGuid().ToString("N")),
            KuCoinJsonContext.Default.AddMarginRequest, KuCoinJsonContext.Default.FuturesPosition, ct);

    /// <summary>Turns automatic margin top-up of an isolated position on or off.</summary>
    public Task<bool> SetAutoDepositAsync(string symbol, bool enabled, CancellationToken ct = default) =>
        PostAsync("/api/v1/position/margin/auto-deposit-status", 4, new AutoDepositRequest(symbol, enabled),
            KuCoinJsonContext.Default.AutoDepositRequest, KuCoinJsonContext.Default.Boolean, ct);

    public Task<IReadOnlyList<FuturesRiskLimitLevel>> GetRiskLimitLevelsAsync(string symbol, CancellationToken ct = default) =>
        GetAsync($"/api/v1/contracts/risk-limit/{Uri.EscapeDataString(symbol)}", 5, KuCoinJsonContext.Default.IReadOnlyListFuturesRiskLimitLevel, ct);

    public Task<bool> SetRiskLimitLevelAsync(string symbol, int level, CancellationToken ct = default) =>
        PostAsync("/api/v1/position/risk-limit-level/change", 4, new RiskLimitLevelRequest(symbol, level),
            KuCoinJsonContext.Default.RiskLimitLevelRequest, KuCoinJsonContext.Default.Boolean, ct);

    /// <summary>Places an order (limit, market, stop, post-only, reduce-only, close-position…), validated first.</summary>
    public Task<FuturesOrderAck> PlaceOrderAsync(FuturesOrderRequest order, CancellationToken ct = default) =>
        rest.SendAsync(KuCoinOrderRequests.FuturesPlace(order), KuCoinJsonContext.Default.FuturesOrderAck, ct);

    /// <summary>The same checks as a real placement, without placing (<c>POST /api/v1/orders/test</c>).</summary>
    public Task<FuturesOrderAck> PlaceTestOrderAsync(FuturesOrderRequest order, CancellationToken ct = default) =>
        rest.SendAsync(KuCoinOrderRequests.FuturesPlaceTest(order), KuCoinJsonContext.Default.FuturesOrderAck, ct);

    /// <summary>
    /// Up to 20 orders in one request (<c>POST /api/v1/orders/multi</c>); each order succeeds or fails on its own,
    /// answered in <see cref="BatchOrderResult"/>.
    /// </summary>
    public Task<IReadOnlyList<BatchOrderResult>> PlaceOrdersAsync(IReadOnlyList<FuturesOrderRequest> orders, CancellationToken ct = default) =>
        rest.SendAsync(KuCoinOrderRequests.FuturesPlaceBatch(orders), KuCoinJsonContext.Default.IReadOnlyListBatchOrderResult, ct);

    /// <summary>Cancels up to 20 orders named by orderId or by symbol + clientOid (<c>DELETE /api/v1/orders/multi-cancel</c>).</summary>
    public Task<IReadOnlyList<BatchOrderResult>> CancelOrdersAsync(FuturesBatchCancelRequest cancel, CancellationToken ct = default) =>
        rest.SendAsync(KuCoinOrderRequests.FuturesCancelBatch(cancel), KuCoinJsonContext.Default.IReadOnlyListBatchOrderResult, ct);

    /// <summary>Places a stop order: <paramref name="order"/> plus the trigger (<c>stop</c>, <c>stopPriceType</c>, <c>stopPrice</c>).</summary>
    public Task<FuturesOrderAck> PlaceStopOrderAsync(FuturesOrderRequest order, StopDirection direction, decimal stopPrice, StopPriceType priceType = StopPriceType.TradePrice, CancellationToken ct = default) =>
        PlaceOrderAsync(order with { Stop = direction, StopPrice = Positive(stopPrice, "stopPrice"), StopPriceType = priceType }, ct);

    /// <summary>Closes the whole position at market: a market order with <c>closeOrder=true</c>; the venue works out side and size.</summary>
    public Task<FuturesOrderAck> ClosePositionAsync(string symbol, string clientOid, FuturesMarginMode? marginMode = null, CancellationToken ct = default) =>
        PlaceOrderAsync(new FuturesOrderRequest
        {
            ClientOid = clientOid,
            Symbol = symbol,
            Type = FuturesOrderType.Market,
            CloseOrder = true,
            MarginMode = marginMode,
        }, ct);

    public Task<CancelledOrders> CancelOrderAsync(string orderId, CancellationToken ct = default) =>
        rest.SendAsync(KuCoinOrderRequests.FuturesCancel(orderId), KuCoinJsonContext.Default.CancelledOrders, ct);

    public Task<CancelledClientOrder> CancelOrderByClientOidAsync(string symbol, string clientOid, CancellationToken ct = default) =>
        rest.SendAsync(KuCoinOrderRequests.FuturesCancelByClientOid(symbol, clientOid), KuCoinJsonContext.Default.CancelledClientOrder, ct);

    /// <summary>Cancels every open (non-stop) order, of one symbol or all (<c>DELETE /api/v3/orders</c>, the current endpoint).</summary>
    public Task<CancelledOrders> CancelAllOrdersAsync(string? symbol = null, CancellationToken ct = default) =>
        rest.SendAsync(Signed(HttpMethod.Delete, "/api/v3/orders", Pool, 10, null, ("symbol", symbol)), KuCoinJsonContext.Default.CancelledOrders, ct);

    /// <summary>Cancels every untriggered stop order (<c>DELETE /api/v1/stopOrders</c>).</summary>
    public Task<CancelledOrders> CancelAllStopOrdersAsync(string? symbol = null, CancellationToken ct = default) =>
        rest.SendAsync(Signed(HttpMethod.Delete, "/api/v1/stopOrders", Pool, 15, null, ("symbol", symbol)), KuCoinJsonContext.Default.CancelledOrders, ct);

    /// <summary>Open orders (<c>status=active</c>), one page.</summary>
    public Task<KuCoinPage<FuturesOrder>> GetOpenOrdersAsync(FuturesListFilter? filter = null, CancellationToken ct = default) =>
        GetOrdersAsync("active", filter, ct);

    /// <summary>Finished orders (<c>status=done</c>), one page.</summary>
    public Task<KuCoinPage<FuturesOrder>> GetDoneOrdersAsync(FuturesListFilter? filter = null, CancellationToken ct = default) =>
        GetOrdersAsync("done", filter, ct);

    /// <summary>Untriggered stop orders (<c>GET /api/v1/stopOrders</c>), one page.</summary>
    public Task<KuCoinPage<FuturesOrder>> GetOpenStopOrdersAsync(FuturesListFilter? filter = null, CancellationToken ct = default) =>
        GetAsync("/api/v1/stopOrders", 6, KuCoinJsonContext.Default.KuCoinPageFuturesOrder, ct, Query(null, filter));

    public Task<FuturesOrder> GetOrderAsync(string orderId, CancellationToken ct = default) =>
        GetAsync($"/api/v1/orders/{Uri.EscapeDataString(orderId)}", 5, KuCoinJsonContext.Default.FuturesOrder, ct);

    public Task<FuturesOrder> GetOrderByClientOidAsync(string clientOid, CancellationToken ct = default) =>
        GetAsync("/api/v1/orders/byClientOid", 5, KuCoinJsonContext.Default.FuturesOrder, ct, ("clientOid", clientOid));

    /// <summary>Fills of the last 24 hours, newest first, at most 1000 (<c>GET /api/v1/recentFills</c>).</summary>
    public Task<IReadOnlyList<FuturesFill>> GetRecentFillsAsync(string? symbol = null, CancellationToken ct = default) =>
        GetAsync("/api/v1/recentFills", 3, KuCoinJsonContext.Default.IReadOnlyListFuturesFill, ct, ("symbol", symbol));

    /// <summary>Fills by order or time range, one page (<c>GET /api/v1/fills</c>).</summary>
    public Task<KuCoinPage<FuturesFill>> GetFillsAsync(string? orderId = null, FuturesListFilter? filter = null, CancellationToken ct = default) =>
        GetAsync("/api/v1/fills", 5, KuCoinJsonContext.Default.KuCoinPageFuturesFill, ct, [("orderId", orderId), .. Query(null, filter)]);

    /// <summary>Checks an order against the docs' rules before it costs a request.</summary>
    public static FuturesOrderRequest Validate(FuturesOrderRequest order)
    {
        static ExchangeException Invalid(string message) => new(new ConfigurationError("futures order: " + message));

        if (string.IsNullOrWhiteSpace(order.ClientOid) || order.ClientOid.Length > 40)
        {
            throw Invalid("clientOid is required, at most 40 characters");
        }

        if (order.Side is null && order.CloseOrder != true)
        {
            throw Invalid("side is required");
        }

        var sizes = (order.Size is not null ? 1 : 0) + (order.Qty is not null ? 1 : 0) + (order.ValueQty is not null ? 1 : 0);
        if (order.CloseOrder != true && sizes != 1)
        {
            throw Invalid("exactly one of size (contracts), qty or valueQty is required");
        }

        if (order.Size is <= 0 || order.Qty is <= 0 || order.ValueQty is <= 0)
        {
            throw Invalid("size must be positive");
        }

        if (order.Type == FuturesOrderType.Limit && order.Price is not > 0)
        {
            throw Invalid("a limit order needs a positive price");
        }

        if (order.Type == FuturesOrderType.Market && (order.Price is not null || order.PostOnly == true || order.TimeInForce is not null))
        {
            throw Invalid("a market order takes no price, postOnly or timeInForce");
        }

        if (order.PostOnly == true && (order.TimeInForce == FuturesTimeInForce.ImmediateOrCancel || order.Hidden == true || order.Iceberg == true))
        {
            throw Invalid("postOnly cannot be combined with IOC, hidden or iceberg");
        }

        if ((order.Stop is null) != (order.StopPrice is null))
        {
            throw Invalid("a stop order needs both stop and stopPrice");
        }

        if (order.Leverage is <= 0)
        {
            throw Invalid("leverage must be positive");
        }

        return order;
    }

    private Task<KuCoinPage<FuturesOrder>> GetOrdersAsync(string status, FuturesListFilter? filter, CancellationToken ct) =>
        GetAsync("/api/v1/orders", 2, KuCoinJsonContext.Default.KuCoinPageFuturesOrder, ct, Query(status, filter));

    private static (string, string?)[] Query(string? status, FuturesListFilter? f) =>
    [
        ("status", status),
        ("symbol", f?.Symbol),
        ("side", f?.Side switch { Side.Buy => "buy", Side.Sell => "sell", _ => null }),
        ("type", f?.Type),
        ("startAt", Invariant(f?.StartAt)),
        ("endAt", Invariant(f?.EndAt)),
        ("currentPage", Invariant(f?.CurrentPage)),
        ("pageSize", Invariant(f?.PageSize)),
    ];

    private Task<T> GetAsync<T>(string path, int weight, JsonTypeInfo<T> type, CancellationToken ct, params (string, string?)[] query) =>
        rest.SendAsync(Signed(HttpMethod.Get, path, Pool, weight, null, query), type, ct);

    private Task<TResult> PostAsync<TBody, TResult>(string path, int weight, TBody body, JsonTypeInfo<TBody> bodyType, JsonTypeInfo<TResult> resultType, CancellationToken ct) =>
        rest.SendAsync(Signed(HttpMethod.Post, path, Pool, weight, JsonSerializer.Serialize(body, bodyType)), resultType, ct);

    private static decimal Positive(decimal value, string name) =>
        value > 0 ? value : throw new ExchangeException(new ConfigurationError($"{name} must be positive"));
}
