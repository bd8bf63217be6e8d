using System.Text.Json;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using static ActorTrading.Exchanges.KuCoin.Rest.KuCoinRestCalls;

namespace ActorTrading.Exchanges.KuCoin.Rest;

/// <summary>
/// KuCoin's order-entry endpoints as data, validated before they cost a request. The typed REST classes send them;
/// the order-entry adapter sends the same bodies as trading-socket <c>args</c> ("same as REST", per the docs), so one
/// builder serves both paths. Weights are the docs' <c>x-api-rate-limit-weight</c>.
/// </summary>
public static class KuCoinOrderRequests
{
    /// <summary>Orders per <c>POST /api/v1/orders/multi</c> (docs: "up to 20 orders at one time").</summary>
    public const int FuturesBatchLimit = 20;

    /// <summary>Orders per <c>POST /api/v1/hf/orders/multi</c> (docs: "maximum of 5 orders").</summary>
    public const int SpotBatchLimit = 5;

    private const string Futures = KuCoinVenue.Pools.Futures;
    private const string Spot = KuCoinVenue.Pools.Spot;

    public static RestRequest FuturesPlace(FuturesOrderRequest order) =>
        Signed(HttpMethod.Post, "/api/v1/orders", Futures, 2, FuturesBody(order));

    public static RestRequest FuturesPlaceTest(FuturesOrderRequest order) =>
        Signed(HttpMethod.Post, "/api/v1/orders/test", Futures, 2, FuturesBody(order));

    /// <summary>The body of one futures order: <c>POST /api/v1/orders</c> and the <c>futures.order</c> op.</summary>
    public static string FuturesBody(FuturesOrderRequest order) =>
        JsonSerializer.Serialize(KuCoinFuturesTrading.Validate(order), KuCoinJsonContext.Default.FuturesOrderRequest);

    public static RestRequest FuturesPlaceBatch(IReadOnlyList<FuturesOrderRequest> orders) =>
        Signed(HttpMethod.Post, "/api/v1/orders/multi", Futures, 20, FuturesBatchBody(orders));

    /// <summary>The body of a futures batch: a JSON array of orders, for the REST endpoint and <c>futures.multi_order</c>.</summary>
    public static string FuturesBatchBody(IReadOnlyList<FuturesOrderRequest> orders)
    {
        CheckBatch(orders.Count, FuturesBatchLimit, "futures batch");
        DistinctClientOids(orders.Select(o => o.ClientOid));
        return JsonSerializer.Serialize(orders.Select(KuCoinFuturesTrading.Validate).ToArray(), KuCoinJsonContext.Default.IReadOnlyListFuturesOrderRequest);
    }

    public static RestRequest FuturesCancel(string orderId) =>
        Signed(HttpMethod.Delete, $"/api/v1/orders/{Uri.EscapeDataString(Required(orderId, "orderId"))}", Futures, 1, null);

    public static RestRequest FuturesCancelByClientOid(string symbol, string clientOid) =>
        Signed(HttpMethod.Delete, $"/api/v1/orders/client-order/{Uri.EscapeDataString(Required(clientOid, "clientOid"))}", Futures, 1, null, ("symbol", Required(symbol, "symbol")));

    public static RestRequest FuturesCancelBatch(FuturesBatchCancelRequest cancel) =>
        Signed(HttpMethod.Delete, "/api/v1/orders/multi-cancel", Futures, 20, FuturesCancelBatchBody(cancel));

    /// <summary>The body of a futures batch cancel, for the REST endpoint and <c>futures.multi_cancel</c>.</summary>
    public static string FuturesCancelBatchBody(FuturesBatchCancelRequest cancel)
    {
        var byId = cancel.OrderIdsList?.Count ?? 0;
        var byClient = cancel.ClientOidsList?.Count ?? 0;
        if ((byId == 0) == (byClient == 0))
        {
            // The venue silently prefers orderIdsList when both come: refuse the ambiguity instead.
            throw Invalid("futures batch cancel: give orderIdsList or clientOidsList, exactly one of them");
        }

        CheckBatch(byId + byClient, FuturesBatchLimit, "futures batch cancel");
        return JsonSerializer.Serialize(cancel, KuCoinJsonContext.Default.FuturesBatchCancelRequest);
    }

    public static RestRequest SpotPlace(SpotOrderRequest order) =>
        Signed(HttpMethod.Post, "/api/v1/hf/orders", Spot, 1, SpotBody(order));

    public static RestRequest SpotPlaceTest(SpotOrderRequest order) =>
        Signed(HttpMethod.Post, "/api/v1/hf/orders/test", Spot, 1, SpotBody(order));

    /// <summary>The body of one spot order: <c>POST /api/v1/hf/orders</c> and the <c>spot.order</c> op.</summary>
    public static string SpotBody(SpotOrderRequest order) =>
        JsonSerializer.Serialize(KuCoinSpot.Validate(order), KuCoinSpotJsonContext.Default.SpotOrderRequest);

    public static RestRequest SpotPlaceBatch(IReadOnlyList<SpotOrderRequest> orders)
    {
        CheckBatch(orders.Count, SpotBatchLimit, "spot batch");
        DistinctClientOids(orders.Select(o => o.ClientOid));
        var body = new SpotBatchOrderRequest(orders.Select(KuCoinSpot.Validate).ToArray());
        return Signed(HttpMethod.Post, "/api/v1/hf/orders/multi", Spot, 1, JsonSerializer.Serialize(body, KuCoinSpotJsonContext.Default.SpotBatchOrderRequest));
    }

    public static RestRequest SpotCancel(string symbol, string orderId) =>
        Signed(HttpMethod.Delete, $"/api/v1/hf/orders/{Uri.EscapeDataString(Required(orderId, "orderId"))}", Spot, 1, null, ("symbol", Required(symbol, "symbol")));

    public static RestRequest SpotCancelByClientOid(string symbol, string clientOid) =>
        Signed(HttpMethod.Delete, $"/api/v1/hf/orders/client-order/{Uri.EscapeDataString(Required(clientOid, "clientOid"))}", Spot, 1, null, ("symbol", Required(symbol, "symbol")));

    public static RestRequest SpotModify(SpotModifyRequest modify) =>
        Signed(HttpMethod.Post, "/api/v1/hf/orders/alter", Spot, 3, SpotModifyBody(modify));

    /// <summary>The body of a spot modify, for <c>POST /api/v1/hf/orders/alter</c> and <c>spot.modify</c>.</summary>
    public static string SpotModifyBody(SpotModifyRequest modify)
    {
        Required(modify.Symbol, "symbol");
        if ((modify.OrderId is null) == (modify.ClientOid is null))
        {
            throw Invalid("spot modify: name the order by orderId or clientOid, exactly one of them");
        }

        if (modify.NewPrice is null && modify.NewSize is null)
        {
            throw Invalid("spot modify: give newPrice, newSize or both");
        }

        if (modify.NewPrice is <= 0 || modify.NewSize is <= 0)
        {
            throw Invalid("spot modify: newPrice and newSize must be positive");
        }

        return JsonSerializer.Serialize(modify, KuCoinSpotJsonContext.Default.SpotModifyRequest);
    }

    public static RestRequest MarginPlace(SpotOrderRequest order) =>
        Signed(HttpMethod.Post, "/api/v3/hf/margin/order", Spot, 5, MarginBody(order));

    public static RestRequest MarginPlaceTest(SpotOrderRequest order) =>
        Signed(HttpMethod.Post, "/api/v3/hf/margin/order/test", Spot, 5, MarginBody(order));

    /// <summary>The body of one margin order: <c>POST /api/v3/hf/margin/order</c> and the <c>margin.order</c> op.</summary>
    public static string MarginBody(SpotOrderRequest order) =>
        JsonSerializer.Serialize(KuCoinSpot.Validate(order, margin: true), KuCoinSpotJsonContext.Default.SpotOrderRequest);

    public static RestRequest MarginCancel(string symbol, string orderId) =>
        Signed(HttpMethod.Delete, $"/api/v3/hf/margin/orders/{Uri.EscapeDataString(Required(orderId, "orderId"))}", Spot, 5, null, ("symbol", Required(symbol, "symbol")));

    public static RestRequest MarginCancelByClientOid(string symbol, string clientOid) =>
        Signed(HttpMethod.Delete, $"/api/v3/hf/margin/orders/client-order/{Uri.EscapeDataString(Required(clientOid, "clientOid"))}", Spot, 5, null, ("symbol", Required(symbol, "symbol")));

    private static void CheckBatch(int count, int limit, string what)
    {
        if (count is < 1 || count > limit)
        {
            throw Invalid($"{what}: 1 to {limit} orders per request, got {count}");
        }
    }

    /// <summary>Replies are matched to orders by clientOid, so a batch must not repeat one.</summary>
    private static void DistinctClientOids(IEnumerable<string> clientOids)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var clientOid in clientOids)
        {
            if (!seen.Add(clientOid))
            {
                throw Invalid($"batch repeats clientOid {clientOid}");
            }
        }
    }

    private static string Required(string? value, string name) =>
        string.IsNullOrWhiteSpace(value) ? throw Invalid(name + " is required") : value;

    private static ExchangeException Invalid(string message) => new(new ConfigurationError(message));
}
