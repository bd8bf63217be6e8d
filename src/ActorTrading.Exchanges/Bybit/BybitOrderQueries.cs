using System.Text.Json;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Core.Orders;
using ActorTrading.Exchanges.Bybit.Rest;
using ActorTrading.Exchanges.Bybit.Ws;

namespace ActorTrading.Exchanges.Bybit;

/// <summary>
/// Bybit reconciliation queries for one category: each journal symbol's open orders (<c>/v5/order/realtime</c>, 50 a
/// symbol) and its last 100 fills (<c>/v5/execution/list</c>), one order by <c>orderLinkId</c> (open or among the last
/// 500 closed: <c>openOnly=1</c>; an empty list when the venue does not know it), one order's fills page by page
/// (<c>nextPageCursor</c>), linear positions in USDT (one-way mode).
/// </summary>
public sealed class BybitOrderQueries(MarketKind market) : IOrderQueryAdapter
{
    private const string Venue = BybitMarketData.Venue;
    private readonly string _category = BybitVenue.Category(market);

    public IReadOnlyList<RestRequest> OpenOrders(IReadOnlyCollection<Symbol> symbols) =>
        symbols.Select(s => BybitOrderRequests.OpenOrders(_category, s.Value, null)).ToArray();

    public IReadOnlyList<VenueOrderReport> ReadOrders(JsonElement data) => Page(data, BybitJsonContext.Default.BybitPageBybitOrder).List.Select(Report).ToArray();

    public IReadOnlyList<RestRequest> RecentFills(IReadOnlyCollection<Symbol> symbols) =>
        symbols.Select(s => BybitOrderRequests.Executions(_category, s.Value, null)).ToArray();

    public IReadOnlyList<VenueFillReport> ReadFills(JsonElement data) =>
        Page(data, BybitJsonContext.Default.BybitPageBybitExecution).List.Where(x => IsFill(x.ExecType)).Select(Fill).ToArray();

    public RestRequest OrderByClientId(ClientOrderId clientOrderId, Symbol symbol) => BybitOrderRequests.Order(_category, symbol.Value, null, clientOrderId.Value);

    public VenueOrderReport? ReadOrder(JsonElement data) => Page(data, BybitJsonContext.Default.BybitPageBybitOrder).List is [var order, ..] ? Report(order) : null;

    /// <summary>110001 and 170213 "Order does not exist" (a cancel or amend of an order the venue does not know).</summary>
    public bool IsUnknownOrder(ExchangeError error) => error is ApiError { VenueCode: "110001" or "170213" };

    public RestRequest? OrderFills(string venueOrderId, Symbol symbol, JsonElement? previousPage)
    {
        string? cursor = null;
        if (previousPage is { } previous)
        {
            cursor = Page(previous, BybitJsonContext.Default.BybitPageBybitExecution).NextPageCursor;
            if (string.IsNullOrEmpty(cursor))
            {
                return null;
            }
        }

        return BybitOrderRequests.Executions(_category, symbol.Value, venueOrderId, cursor: cursor);
    }

    public IReadOnlyList<VenueFillReport> ReadOrderFills(JsonElement data) => ReadFills(data);

    public RestRequest? Positions() => market == MarketKind.Futures ? BybitOrderRequests.Positions(null, "USDT") : null;

    /// <summary>One-way mode (<c>positionIdx</c> 0): one signed position per symbol.</summary>
    public IReadOnlyList<VenuePosition> ReadPositions(JsonElement data) =>
        Page(data, BybitJsonContext.Default.BybitPageBybitPosition).List
            .Where(p => p.PositionIdx == 0)
            .Select(p => new VenuePosition(new Symbol(p.Symbol), p.SignedSize, p.Size == 0 ? null : p.AvgPrice))
            .ToArray();

    /// <summary>Order status (enum.mdx): live ones acknowledged or partially filled, the rest as they say.</summary>
    public static VenueOrderReport Report(BybitOrder o)
    {
        OrderLifecycle status;
        try
        {
            status = BybitFrameParser.StatusOf(o.OrderStatus) switch
            {
                OrderStatus.Open => o.CumExecQty > 0 ? OrderLifecycle.PartiallyFilled : OrderLifecycle.Acknowledged,
                OrderStatus.PartiallyFilled => OrderLifecycle.PartiallyFilled,
                OrderStatus.Filled => OrderLifecycle.Filled,
                OrderStatus.Canceled => OrderLifecycle.Canceled,
                OrderStatus.Rejected => OrderLifecycle.Rejected,
                _ => OrderLifecycle.Expired,
            };
        }
        catch (Core.Json.FrameFormatException e)
        {
            throw new ExchangeException(new ProtocolError($"order {o.OrderId}: {e.Message}", o.OrderStatus));
        }

        return new VenueOrderReport(o.OrderLinkId.Length > 0 ? new ClientOrderId(o.OrderLinkId) : null, o.OrderId, new Symbol(o.Symbol), status, o.Qty, o.CumExecQty);
    }

    /// <summary>Fills of the account's orders; funding and settlement rows are not.</summary>
    public static bool IsFill(string execType) => execType is "Trade" or "AdlTrade" or "BustTrade" or "BlockTrade" or "MovePosition";

    private static VenueFillReport Fill(BybitExecution x) =>
        new(x.OrderId, new Symbol(x.Symbol),
            new FillInfo(x.ExecId, x.ExecPrice, x.ExecQty, x.ExecFee, string.IsNullOrEmpty(x.FeeCurrency) ? null : x.FeeCurrency, x.IsMaker ? Liquidity.Maker : Liquidity.Taker),
            x.ExecTime);

    private static BybitPage<T> Page<T>(JsonElement data, System.Text.Json.Serialization.Metadata.JsonTypeInfo<BybitPage<T>> type) =>
        VenueAnswers.Deserialize(Venue, "an order query", data, type);
}
