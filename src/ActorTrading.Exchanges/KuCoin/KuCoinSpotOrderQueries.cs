using System.Globalization;
using System.Text.Json;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Core.Orders;
using ActorTrading.Exchanges.KuCoin.Rest;
using static ActorTrading.Exchanges.KuCoin.Rest.KuCoinRestCalls;

namespace ActorTrading.Exchanges.KuCoin;

/// <summary>
/// KuCoin HF spot (and HF margin) reconciliation queries, one request per symbol: active orders
/// (<c>GET /api/v1/hf/orders/active</c> or <c>/api/v3/hf/margin/orders/active</c>), fills (<c>/api/v1/hf/fills</c>,
/// <c>/api/v3/hf/margin/fills</c>), one order by clientOid. Spot holds balances, not positions.
/// </summary>
public sealed class KuCoinSpotOrderQueries(bool margin, bool isolated) : IOrderQueryAdapter
{
    private const string Pool = KuCoinVenue.Pools.Spot;

    // HF spot answers at most 100 fills a page (margin 200): a full page may have more after it.
    private const int OrderFillsPage = 100;
    private readonly string _orders = margin ? "/api/v3/hf/margin/orders" : "/api/v1/hf/orders";
    private readonly string _fills = margin ? "/api/v3/hf/margin/fills" : "/api/v1/hf/fills";
    private readonly string? _tradeType = margin ? isolated ? "MARGIN_ISOLATED_TRADE" : "MARGIN_TRADE" : null;

    public IReadOnlyList<RestRequest> OpenOrders(IReadOnlyCollection<Symbol> symbols) =>
        symbols.Select(s => Signed(HttpMethod.Get, _orders + "/active", Pool, margin ? 4 : 2, null, ("symbol", s.Value), ("tradeType", _tradeType))).ToArray();

    public IReadOnlyList<VenueOrderReport> ReadOrders(JsonElement data) =>
        KuCoinQueryAnswers.Read(data, KuCoinSpotJsonContext.Default.IReadOnlyListSpotOrder).Select(Report).ToArray();

    public IReadOnlyList<RestRequest> RecentFills(IReadOnlyCollection<Symbol> symbols) =>
        symbols.Select(s => Signed(HttpMethod.Get, _fills, Pool, margin ? 5 : 2, null, ("symbol", s.Value), ("tradeType", _tradeType), ("limit", "100"))).ToArray();

    public IReadOnlyList<VenueFillReport> ReadFills(JsonElement data) =>
        KuCoinQueryAnswers.Read(data, KuCoinSpotJsonContext.Default.SpotCursorPageSpotFill).Items
            .Select(f => new VenueFillReport(f.OrderId, new Symbol(f.Symbol),
                new FillInfo(f.TradeId.ToString(CultureInfo.InvariantCulture), f.Price, f.Size, f.Fee, f.FeeCurrency, KuCoinQueryAnswers.Liquidity(f.Liquidity)),
                f.CreatedAt))
            .ToArray();

    public RestRequest OrderByClientId(ClientOrderId clientOrderId, Symbol symbol) =>
        Signed(HttpMethod.Get, $"{_orders}/client-order/{Uri.EscapeDataString(clientOrderId.Value)}", Pool, margin ? 5 : 2, null, ("symbol", symbol.Value));

    public VenueOrderReport? ReadOrder(JsonElement data) =>
        data.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined ? null : Report(KuCoinQueryAnswers.Read(data, KuCoinSpotJsonContext.Default.SpotOrder));

    /// <summary>The fills endpoint with <c>orderId</c>, newest first, paged by <c>lastId</c> while pages come full.</summary>
    public RestRequest? OrderFills(string venueOrderId, Symbol symbol, JsonElement? previousPage)
    {
        string? lastId = null;
        if (previousPage is { } previous)
        {
            var read = KuCoinQueryAnswers.Read(previous, KuCoinSpotJsonContext.Default.SpotCursorPageSpotFill);
            if (read.Items.Count < OrderFillsPage || read.LastId is not { } last)
            {
                return null;
            }

            lastId = last.ToString(CultureInfo.InvariantCulture);
        }

        return Signed(HttpMethod.Get, _fills, Pool, margin ? 5 : 2, null, ("symbol", symbol.Value), ("orderId", venueOrderId), ("tradeType", _tradeType),
            ("lastId", lastId), ("limit", OrderFillsPage.ToString(CultureInfo.InvariantCulture)));
    }

    public IReadOnlyList<VenueFillReport> ReadOrderFills(JsonElement data) => ReadFills(data);

    public RestRequest? Positions() => null;

    public IReadOnlyList<VenuePosition> ReadPositions(JsonElement data) => [];

    /// <summary>
    /// HF orders say <c>active</c>: an active order with fills is partially filled; an inactive one is filled when it
    /// dealt its whole size (or, for a market order by funds, was not canceled), else canceled.
    /// </summary>
    public static VenueOrderReport Report(SpotOrder o)
    {
        var size = o.Size ?? o.DealSize;
        var status = o.Active
            ? o.DealSize > 0 ? OrderLifecycle.PartiallyFilled : OrderLifecycle.Acknowledged
            : (o.Size is { } s ? o.DealSize >= s : !o.CancelExist) ? OrderLifecycle.Filled : OrderLifecycle.Canceled;
        return new VenueOrderReport(string.IsNullOrEmpty(o.ClientOid) ? null : new ClientOrderId(o.ClientOid), o.Id, new Symbol(o.Symbol), status, size, o.DealSize);
    }
}
