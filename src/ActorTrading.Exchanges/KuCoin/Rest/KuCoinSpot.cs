using System.Globalization;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Market;
using static ActorTrading.Exchanges.KuCoin.Rest.KuCoinRestCalls;

namespace ActorTrading.Exchanges.KuCoin.Rest;

/// <summary>
/// KuCoin Spot REST on the spot host: public market data (Public pool) and HF order entry (signed, Spot pool),
/// per docs-new "spot-trading/market-data" and "spot-trading/orders" (HF).
/// </summary>
public sealed class KuCoinSpot(IRestExecutor rest)
{
    private const string Public = KuCoinVenue.Pools.Public;
    private const string Spot = KuCoinVenue.Pools.Spot;

    /// <summary>Kline types of <c>GET /api/v1/market/candles</c>.</summary>
    public static readonly IReadOnlySet<string> KlineTypes = new HashSet<string>(StringComparer.Ordinal)
    {
        "1min", "3min", "5min", "15min", "30min", "1hour", "2hour", "4hour", "6hour", "8hour", "12hour", "1day", "1week", "1month",
    };

    public Task<IReadOnlyList<SpotSymbol>> GetSymbolsAsync(string? market = null, CancellationToken ct = default) =>
        rest.SendAsync(RestRequest.Get("/api/v2/symbols", Public, 4, ("market", market)), KuCoinSpotJsonContext.Default.IReadOnlyListSpotSymbol, ct);

    public Task<SpotLevel1> GetTickerAsync(string symbol, CancellationToken ct = default) =>
        rest.SendAsync(RestRequest.Get("/api/v1/market/orderbook/level1", Public, 2, ("symbol", symbol)), KuCoinSpotJsonContext.Default.SpotLevel1, ct);

    /// <summary>The public partial book, 20 or 100 levels a side (the full book needs a signed request).</summary>
    public Task<SpotOrderBook> GetOrderBookAsync(string symbol, int depth = 20, CancellationToken ct = default) =>
        depth is 20 or 100
            ? rest.SendAsync(RestRequest.Get($"/api/v1/market/orderbook/level2_{depth}", Public, depth == 20 ? 2 : 4, ("symbol", symbol)), KuCoinSpotJsonContext.Default.SpotOrderBook, ct)
            : throw new ExchangeException(new ConfigurationError("KuCoin spot partial book depth is 20 or 100"));

    /// <summary>The full level-2 book (<c>GET /api/v3/market/orderbook/level2</c>, signed).</summary>
    public Task<SpotOrderBook> GetFullOrderBookAsync(string symbol, CancellationToken ct = default) =>
        rest.SendAsync(Signed(HttpMethod.Get, "/api/v3/market/orderbook/level2", Spot, 3, null, ("symbol", symbol)), KuCoinSpotJsonContext.Default.SpotOrderBook, ct);

    public Task<IReadOnlyList<SpotTrade>> GetTradesAsync(string symbol, CancellationToken ct = default) =>
        rest.SendAsync(RestRequest.Get("/api/v1/market/histories", Public, 3, ("symbol", symbol)), KuCoinSpotJsonContext.Default.IReadOnlyListSpotTrade, ct);

    /// <summary>Klines, newest first as the venue returns them; <paramref name="startAt"/>/<paramref name="endAt"/> in seconds.</summary>
    public async Task<IReadOnlyList<SpotKline>> GetKlinesAsync(string symbol, string type, long? startAt = null, long? endAt = null, CancellationToken ct = default)
    {
        if (!KlineTypes.Contains(type))
        {
            throw new ExchangeException(new ConfigurationError($"kline type '{type}' is not one of {string.Join(", ", KlineTypes)}"));
        }

        var rows = await rest.SendAsync(RestRequest.Get("/api/v1/market/candles", Public, 3, ("symbol", symbol), ("type", type), ("startAt", Invariant(startAt)), ("endAt", Invariant(endAt))),
            KuCoinSpotJsonContext.Default.IReadOnlyListIReadOnlyListString, ct).ConfigureAwait(false);
        return rows.Select(r => r.Count >= 7
            ? new SpotKline(long.Parse(r[0], CultureInfo.InvariantCulture), D(r[1]), D(r[2]), D(r[3]), D(r[4]), D(r[5]), D(r[6]))
            : throw new ExchangeException(new ProtocolError("kline row must have 7 values", string.Join(",", r)))).ToArray();
    }

    public Task<SpotOrderAck> PlaceOrderAsync(SpotOrderRequest order, CancellationToken ct = default) =>
        rest.SendAsync(KuCoinOrderRequests.SpotPlace(order), KuCoinSpotJsonContext.Default.SpotOrderAck, ct);

    /// <summary>Validates like a placement without placing (<c>POST /api/v1/hf/orders/test</c>).</summary>
    public Task<SpotOrderAck> PlaceTestOrderAsync(SpotOrderRequest order, CancellationToken ct = default) =>
        rest.SendAsync(KuCoinOrderRequests.SpotPlaceTest(order), KuCoinSpotJsonContext.Default.SpotOrderAck, ct);

    /// <summary>
    /// Up to 5 orders in one request (<c>POST /api/v1/hf/orders/multi</c>); each order succeeds or fails on its own,
    /// answered in <see cref="SpotBatchOrderResult"/>.
    /// </summary>
    public Task<IReadOnlyList<SpotBatchOrderResult>> PlaceOrdersAsync(IReadOnlyList<SpotOrderRequest> orders, CancellationToken ct = default) =>
        rest.SendAsync(KuCoinOrderRequests.SpotPlaceBatch(orders), KuCoinSpotJsonContext.Default.IReadOnlyListSpotBatchOrderResult, ct);

    /// <summary>New price and/or size for an open order (<c>POST /api/v1/hf/orders/alter</c>); the order gets a new id.</summary>
    public Task<SpotModifyAck> ModifyOrderAsync(SpotModifyRequest modify, CancellationToken ct = default) =>
        rest.SendAsync(KuCoinOrderRequests.SpotModify(modify), KuCoinSpotJsonContext.Default.SpotModifyAck, ct);

    public Task<SpotCancelAck> CancelOrderAsync(string symbol, string orderId, CancellationToken ct = default) =>
        rest.SendAsync(KuCoinOrderRequests.SpotCancel(symbol, orderId), KuCoinSpotJsonContext.Default.SpotCancelAck, ct);

    public Task<SpotCancelAck> CancelOrderByClientOidAsync(string symbol, string clientOid, CancellationToken ct = default) =>
        rest.SendAsync(KuCoinOrderRequests.SpotCancelByClientOid(symbol, clientOid), KuCoinSpotJsonContext.Default.SpotCancelAck, ct);

    /// <summary>Cancels every open HF order of a symbol; the venue answers <c>"success"</c>.</summary>
    public Task<string> CancelAllOrdersAsync(string symbol, CancellationToken ct = default) =>
        rest.SendAsync(Signed(HttpMethod.Delete, "/api/v1/hf/orders", Spot, 2, null, ("symbol", symbol)), KuCoinSpotJsonContext.Default.String, ct);

    public Task<SpotOrder> GetOrderAsync(string symbol, string orderId, CancellationToken ct = default) =>
        rest.SendAsync(Signed(HttpMethod.Get, $"/api/v1/hf/orders/{Uri.EscapeDataString(orderId)}", Spot, 2, null, ("symbol", symbol)), KuCoinSpotJsonContext.Default.SpotOrder, ct);

    public Task<SpotOrder> GetOrderByClientOidAsync(string symbol, string clientOid, CancellationToken ct = default) =>
        rest.SendAsync(Signed(HttpMethod.Get, $"/api/v1/hf/orders/client-order/{Uri.EscapeDataString(clientOid)}", Spot, 2, null, ("symbol", symbol)), KuCoinSpotJsonContext.Default.SpotOrder, ct);

    /// <summary>The account list (<c>GET /api/v1/accounts</c>, Management pool, weight 5): per currency and account type (main, trade).</summary>
    public Task<IReadOnlyList<SpotAccount>> GetAccountsAsync(string? currency = null, string? type = null, CancellationToken ct = default) =>
        rest.SendAsync(Signed(HttpMethod.Get, "/api/v1/accounts", KuCoinVenue.Pools.Management, 5, null, ("currency", currency), ("type", type)), KuCoinSpotJsonContext.Default.IReadOnlyListSpotAccount, ct);

    public Task<IReadOnlyList<SpotOrder>> GetOpenOrdersAsync(string symbol, CancellationToken ct = default) =>
        rest.SendAsync(Signed(HttpMethod.Get, "/api/v1/hf/orders/active", Spot, 2, null, ("symbol", symbol)), KuCoinSpotJsonContext.Default.IReadOnlyListSpotOrder, ct);

    /// <summary>Finished orders, newest first; page with <paramref name="lastId"/>.</summary>
    public Task<SpotCursorPage<SpotOrder>> GetDoneOrdersAsync(string symbol, Side? side = null, string? type = null, long? startAt = null, long? endAt = null, long? lastId = null, int? limit = null, CancellationToken ct = default) =>
        rest.SendAsync(Signed(HttpMethod.Get, "/api/v1/hf/orders/done", Spot, 2, null, CursorQuery(symbol, null, side, type, startAt, endAt, lastId, limit)),
            KuCoinSpotJsonContext.Default.SpotCursorPageSpotOrder, ct);

    public Task<SpotCursorPage<SpotFill>> GetFillsAsync(string symbol, string? orderId = null, Side? side = null, string? type = null, long? startAt = null, long? endAt = null, long? lastId = null, int? limit = null, CancellationToken ct = default) =>
        rest.SendAsync(Signed(HttpMethod.Get, "/api/v1/hf/fills", Spot, 2, null, CursorQuery(symbol, orderId, side, type, startAt, endAt, lastId, limit)),
            KuCoinSpotJsonContext.Default.SpotCursorPageSpotFill, ct);

    public static SpotOrderRequest Validate(SpotOrderRequest order) => Validate(order, margin: false);

    /// <summary>Spot and margin orders share the rules; only margin orders may carry isIsolated/autoBorrow/autoRepay.</summary>
    internal static SpotOrderRequest Validate(SpotOrderRequest order, bool margin)
    {
        static ExchangeException Invalid(string message) => new(new ConfigurationError("spot order: " + message));

        if (!margin && (order.IsIsolated is not null || order.AutoBorrow is not null || order.AutoRepay is not null))
        {
            throw Invalid("isIsolated, autoBorrow and autoRepay belong to margin orders");
        }

        if (string.IsNullOrWhiteSpace(order.ClientOid) || order.ClientOid.Length > 40)
        {
            throw Invalid("clientOid is required, at most 40 characters");
        }

        if (order.Type == FuturesOrderType.Limit && (order.Price is not > 0 || order.Size is not > 0 || order.Funds is not null))
        {
            throw Invalid("a limit order needs a positive price and size, and no funds");
        }

        if (order.Type == FuturesOrderType.Market && ((order.Size is null) == (order.Funds is null) || order.Price is not null))
        {
            throw Invalid("a market order takes exactly one of size or funds, and no price");
        }

        if (order.CancelAfter is not null && order.TimeInForce != SpotTimeInForce.GoodTillTime)
        {
            throw Invalid("cancelAfter needs timeInForce GTT");
        }

        if (order.PostOnly == true && order.TimeInForce is SpotTimeInForce.ImmediateOrCancel or SpotTimeInForce.FillOrKill)
        {
            throw Invalid("postOnly cannot be combined with IOC or FOK");
        }

        return order;
    }

    internal static (string, string?)[] CursorQuery(string symbol, string? orderId, Side? side, string? type, long? startAt, long? endAt, long? lastId, int? limit) =>
    [
        ("symbol", symbol), ("orderId", orderId), ("side", side switch { Side.Buy => "buy", Side.Sell => "sell", _ => null }), ("type", type),
        ("startAt", Invariant(startAt)), ("endAt", Invariant(endAt)), ("lastId", Invariant(lastId)), ("limit", Invariant(limit)),
    ];

    private static decimal D(string text) =>
        decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new ExchangeException(new ProtocolError($"kline value '{text}' is not a number", text));
}
