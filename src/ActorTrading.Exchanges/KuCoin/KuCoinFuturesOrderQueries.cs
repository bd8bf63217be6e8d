using System.Globalization;
using System.Text.Json;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Core.Orders;
using ActorTrading.Exchanges.KuCoin.Rest;
using static ActorTrading.Exchanges.KuCoin.Rest.KuCoinRestCalls;

namespace ActorTrading.Exchanges.KuCoin;

/// <summary>
/// KuCoin Futures reconciliation queries: <c>GET /api/v1/orders?status=active</c> (first 1000 open orders) and
/// <c>GET /api/v1/stopOrders</c> (first 1000 untriggered stop orders, which the active list leaves out),
/// <c>GET /api/v1/recentFills</c> (the last 24 hours), <c>GET /api/v1/orders/byClientOid</c>, <c>GET /api/v1/fills</c> (one order's fills), <c>GET /api/v1/positions</c>.
/// </summary>
public sealed class KuCoinFuturesOrderQueries : IOrderQueryAdapter
{
    private const string Pool = KuCoinVenue.Pools.Futures;

    /// <summary>
    /// Live orders and untriggered stop orders: a stop order waiting for its price is at the venue though the active
    /// list does not show it, and must not be taken for vanished.
    /// </summary>
    public IReadOnlyList<RestRequest> OpenOrders(IReadOnlyCollection<Symbol> symbols) =>
    [
        Signed(HttpMethod.Get, "/api/v1/orders", Pool, 2, null, ("status", "active"), ("pageSize", "1000")),
        Signed(HttpMethod.Get, "/api/v1/stopOrders", Pool, 6, null, ("pageSize", "1000")),
    ];

    public IReadOnlyList<VenueOrderReport> ReadOrders(JsonElement data) =>
        KuCoinQueryAnswers.Read(data, KuCoinJsonContext.Default.KuCoinPageFuturesOrder).Items.Select(Report).ToArray();

    public IReadOnlyList<RestRequest> RecentFills(IReadOnlyCollection<Symbol> symbols) => [Signed(HttpMethod.Get, "/api/v1/recentFills", Pool, 3, null)];

    public IReadOnlyList<VenueFillReport> ReadFills(JsonElement data) =>
        KuCoinQueryAnswers.Read(data, KuCoinJsonContext.Default.IReadOnlyListFuturesFill).Select(Fill).ToArray();

    private static VenueFillReport Fill(FuturesFill f) =>
        new(f.OrderId, new Symbol(f.Symbol), new FillInfo(f.TradeId, f.Price, f.Size, f.Fee, f.FeeCurrency, KuCoinQueryAnswers.Liquidity(f.Liquidity)), f.TradeTime / 1_000_000);

    public RestRequest OrderByClientId(ClientOrderId clientOrderId, Symbol symbol) =>
        Signed(HttpMethod.Get, "/api/v1/orders/byClientOid", Pool, 5, null, ("clientOid", clientOrderId.Value));

    public VenueOrderReport? ReadOrder(JsonElement data) =>
        data.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined ? null : Report(KuCoinQueryAnswers.Read(data, KuCoinJsonContext.Default.FuturesOrder));

    /// <summary><c>GET /api/v1/fills?orderId=</c>, page by page (the venue keeps fills for three months).</summary>
    public RestRequest? OrderFills(string venueOrderId, Symbol symbol, JsonElement? previousPage)
    {
        var page = 1;
        if (previousPage is { } previous)
        {
            var read = KuCoinQueryAnswers.Read(previous, KuCoinJsonContext.Default.KuCoinPageFuturesFill);
            if (read.CurrentPage >= read.TotalPage)
            {
                return null;
            }

            page = read.CurrentPage + 1;
        }

        return Signed(HttpMethod.Get, "/api/v1/fills", Pool, 5, null, ("orderId", venueOrderId),
            ("currentPage", page.ToString(CultureInfo.InvariantCulture)), ("pageSize", "1000"));
    }

    public IReadOnlyList<VenueFillReport> ReadOrderFills(JsonElement data) =>
        KuCoinQueryAnswers.Read(data, KuCoinJsonContext.Default.KuCoinPageFuturesFill).Items.Select(Fill).ToArray();

    public RestRequest? Positions() => Signed(HttpMethod.Get, "/api/v1/positions", Pool, 2, null);

    public IReadOnlyList<VenuePosition> ReadPositions(JsonElement data) =>
        KuCoinQueryAnswers.Read(data, KuCoinJsonContext.Default.IReadOnlyListFuturesPosition)
            .Select(p => new VenuePosition(new Symbol(p.Symbol), p.IsOpen ? p.CurrentQty : 0, p.AvgEntryPrice))
            .ToArray();

    /// <summary>
    /// KuCoin says <c>open</c> or <c>done</c>: open with fills is partially filled; done with every lot filled is
    /// filled; any other done order was canceled (by the user, IOC or the venue).
    /// </summary>
    public static VenueOrderReport Report(FuturesOrder o)
    {
        var filled = Math.Max(o.FilledSize, o.DealSize);
        var status = o.Status switch
        {
            "open" => filled > 0 ? OrderLifecycle.PartiallyFilled : OrderLifecycle.Acknowledged,
            _ when filled >= o.Size => OrderLifecycle.Filled,
            _ => OrderLifecycle.Canceled,
        };
        return new VenueOrderReport(string.IsNullOrEmpty(o.ClientOid) ? null : new ClientOrderId(o.ClientOid), o.Id, new Symbol(o.Symbol), status, o.Size, filled);
    }
}

/// <summary>Reading query answers the same way for every KuCoin market.</summary>
internal static class KuCoinQueryAnswers
{
    public static T Read<T>(JsonElement data, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
    {
        try
        {
            return data.Deserialize(type) ?? throw new JsonException("data is null");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new ExchangeException(new ProtocolError("unexpected KuCoin query answer: " + e.Message, "(response data)"), e);
        }
    }

    public static Liquidity Liquidity(string liquidity) => liquidity == "maker" ? Core.Market.Liquidity.Maker : Core.Market.Liquidity.Taker;
}
