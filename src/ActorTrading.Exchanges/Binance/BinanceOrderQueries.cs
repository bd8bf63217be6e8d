using System.Globalization;
using System.Text.Json;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Core.Orders;
using ActorTrading.Exchanges.Binance.Rest;

namespace ActorTrading.Exchanges.Binance;

/// <summary>
/// Binance reconciliation queries: every open order (<c>openOrders</c> without a symbol), the last 1,000 fills of each
/// symbol the journal has open (<c>myTrades</c> / <c>userTrades</c> are per symbol), one order by client id (-2013 when
/// the venue does not know it), one order's fills from the first (by <c>fromId</c>, 1,000 a page), USDⓈ-M positions.
/// </summary>
public sealed class BinanceOrderQueries(MarketKind market) : IOrderQueryAdapter
{
    public const int PageSize = 1000;

    public IReadOnlyList<RestRequest> OpenOrders(IReadOnlyCollection<Symbol> symbols) => [BinanceOrderRequests.OpenOrders(market, null)];

    public IReadOnlyList<VenueOrderReport> ReadOrders(JsonElement data) =>
        Read(data, BinanceTradingJsonContext.Default.IReadOnlyListBinanceOrder).Select(Report).ToArray();

    public IReadOnlyList<RestRequest> RecentFills(IReadOnlyCollection<Symbol> symbols) =>
        symbols.Select(s => BinanceOrderRequests.Trades(market, s.Value, limit: PageSize)).ToArray();

    public IReadOnlyList<VenueFillReport> ReadFills(JsonElement data) =>
        Read(data, BinanceTradingJsonContext.Default.IReadOnlyListBinanceAccountTrade).Select(Fill).ToArray();

    public RestRequest OrderByClientId(ClientOrderId clientOrderId, Symbol symbol) =>
        BinanceOrderRequests.Query(market, symbol.Value, null, clientOrderId.Value);

    public VenueOrderReport? ReadOrder(JsonElement data) =>
        data.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined ? null : Report(Read(data, BinanceTradingJsonContext.Default.BinanceOrder));

    /// <summary>-2013 "Order does not exist.": the venue does not know the order (it never arrived, or was purged).</summary>
    public bool IsUnknownOrder(ExchangeError error) => error is ApiError { VenueCode: "-2013" };

    public RestRequest? OrderFills(string venueOrderId, Symbol symbol, JsonElement? previousPage)
    {
        long fromId = 0;
        if (previousPage is { } previous)
        {
            var page = Read(previous, BinanceTradingJsonContext.Default.IReadOnlyListBinanceAccountTrade);
            if (page.Count < PageSize)
            {
                return null;
            }

            fromId = page.Max(t => t.Id) + 1;
        }

        return BinanceOrderRequests.Trades(market, symbol.Value, venueOrderId, fromId: fromId, limit: PageSize);
    }

    public IReadOnlyList<VenueFillReport> ReadOrderFills(JsonElement data) => ReadFills(data);

    public RestRequest? Positions() => market == MarketKind.Futures ? BinanceOrderRequests.FuturesPositions() : null;

    /// <summary>One-way mode: one position per symbol (<c>positionSide</c> <c>BOTH</c>), signed.</summary>
    public IReadOnlyList<VenuePosition> ReadPositions(JsonElement data) =>
        Read(data, BinanceTradingJsonContext.Default.IReadOnlyListBinancePosition)
            .Where(p => p.PositionSide == "BOTH")
            .Select(p => new VenuePosition(new Symbol(p.Symbol), p.PositionAmt, p.PositionAmt == 0 ? null : p.EntryPrice))
            .ToArray();

    /// <summary>Order status (enums.md): live ones acknowledged or partially filled; the rest as they say.</summary>
    public static VenueOrderReport Report(BinanceOrder o)
    {
        var status = o.Status switch
        {
            "NEW" or "PENDING_NEW" or "PENDING_CANCEL" or "NEW_INSURANCE" or "NEW_ADL" => o.ExecutedQty > 0 ? OrderLifecycle.PartiallyFilled : OrderLifecycle.Acknowledged,
            "PARTIALLY_FILLED" => OrderLifecycle.PartiallyFilled,
            "FILLED" => OrderLifecycle.Filled,
            "CANCELED" => OrderLifecycle.Canceled,
            "REJECTED" => OrderLifecycle.Rejected,
            "EXPIRED" or "EXPIRED_IN_MATCH" => OrderLifecycle.Expired,
            _ => throw new ExchangeException(new ProtocolError($"order {o.OrderId}: unknown status '{o.Status}'", o.Status)),
        };
        return new VenueOrderReport(string.IsNullOrEmpty(o.ClientOrderId) ? null : new ClientOrderId(o.ClientOrderId),
            o.OrderId.ToString(CultureInfo.InvariantCulture), new Symbol(o.Symbol), status, o.OrigQty, o.ExecutedQty);
    }

    private static VenueFillReport Fill(BinanceAccountTrade t) =>
        new(t.OrderId.ToString(CultureInfo.InvariantCulture), new Symbol(t.Symbol),
            new FillInfo(t.Id.ToString(CultureInfo.InvariantCulture), t.Price, t.Qty, t.Commission, t.CommissionAsset, t.WasMaker ? Liquidity.Maker : Liquidity.Taker),
            t.Time);

    private static T Read<T>(JsonElement data, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) => BinanceAnswers.Deserialize("an order query", data, type);
}
