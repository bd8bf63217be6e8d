using System.Text.Json;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Core.Orders;
using ActorTrading.Exchanges.CryptoCom.Rest;
using ActorTrading.Exchanges.CryptoCom.Ws;

namespace ActorTrading.Exchanges.CryptoCom;

/// <summary>
/// Crypto.com reconciliation queries for one market: open orders of each symbol, each symbol's last 100 fills
/// (<c>get-trades</c>), one order by <c>client_oid</c> (<c>get-order-detail</c>), one order's fills (<c>get-trades</c> of
/// its symbol, filtered by order id), perpetual positions.
/// </summary>
public sealed class CryptoComOrderQueries(MarketKind market) : IOrderQueryAdapter
{
    public IReadOnlyList<RestRequest> OpenOrders(IReadOnlyCollection<Symbol> symbols) => symbols.Select(s => CryptoComRequests.OpenOrders(s.Value)).ToArray();

    public IReadOnlyList<VenueOrderReport> ReadOrders(JsonElement data) => CryptoComAnswers.Orders(data).Select(Report).ToArray();

    public IReadOnlyList<RestRequest> RecentFills(IReadOnlyCollection<Symbol> symbols) => symbols.Select(s => CryptoComRequests.Trades(s.Value)).ToArray();

    public IReadOnlyList<VenueFillReport> ReadFills(JsonElement data) => CryptoComAnswers.Fills(data).Select(Fill).ToArray();

    public RestRequest OrderByClientId(ClientOrderId clientOrderId, Symbol symbol) => CryptoComRequests.OrderDetail(null, clientOrderId.Value);

    public VenueOrderReport? ReadOrder(JsonElement data) => data.ValueKind == JsonValueKind.Object && data.TryGetProperty("order_id", out _) ? Report(CryptoComAnswers.Orders(data)[0]) : null;

    /// <summary>40401 NOT_FOUND / 306 order not found: the venue does not know the order.</summary>
    public bool IsUnknownOrder(ExchangeError error) => error is ApiError { VenueCode: "40401" or "306" or "316" };

    /// <summary>The order's symbol's fills, newest first, one page: an order's fills are among its symbol's last 100 unless it is older than that.</summary>
    public RestRequest? OrderFills(string venueOrderId, Symbol symbol, JsonElement? previousPage) => previousPage is null ? CryptoComRequests.Trades(symbol.Value) : null;

    public IReadOnlyList<VenueFillReport> ReadOrderFills(JsonElement data) => ReadFills(data);

    public RestRequest? Positions() => market == MarketKind.Futures ? CryptoComRequests.Positions() : null;

    public IReadOnlyList<VenuePosition> ReadPositions(JsonElement data) =>
        CryptoComAnswers.Positions(data).Select(p => new VenuePosition(new Symbol(p.Symbol), p.Quantity, p.Quantity == 0 ? null : Math.Abs(p.Cost / p.Quantity))).ToArray();

    private static VenueOrderReport Report(CryptoComOrder o)
    {
        OrderLifecycle status;
        try
        {
            status = CryptoComFrameParser.StatusOf(o.Status, o.CumulativeQuantity) switch
            {
                OrderStatus.Open => OrderLifecycle.Acknowledged,
                OrderStatus.PartiallyFilled => OrderLifecycle.PartiallyFilled,
                OrderStatus.Filled => OrderLifecycle.Filled,
                OrderStatus.Canceled => OrderLifecycle.Canceled,
                OrderStatus.Rejected => OrderLifecycle.Rejected,
                _ => OrderLifecycle.Expired,
            };
        }
        catch (Core.Json.FrameFormatException e)
        {
            throw new ExchangeException(new ProtocolError($"order {o.OrderId}: {e.Message}", o.Status));
        }

        return new VenueOrderReport(o.ClientOrderId is { } id ? new ClientOrderId(id) : null, o.OrderId, new Symbol(o.Symbol), status, o.Quantity, o.CumulativeQuantity);
    }

    private static VenueFillReport Fill(CryptoComFill f) =>
        new(f.OrderId, new Symbol(f.Symbol), new FillInfo(f.TradeId, f.Price, f.Quantity, f.Fee, f.FeeCurrency, f.Liquidity), f.Time);
}
