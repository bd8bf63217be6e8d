using System.Text.Json;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Core.Orders;
using ActorTrading.Exchanges.Kraken.Rest;

namespace ActorTrading.Exchanges.Kraken;

/// <summary>
/// Kraken reconciliation queries: the account's open orders (one request for every pair), its last 50 fills
/// (<c>TradesHistory</c>), one order by client id (<c>OpenOrders</c> with <c>cl_ord_id</c>, then <c>ClosedOrders</c>
/// when it is not open), one order's fills (<c>QueryOrders</c> gives its trade ids, <c>QueryTrades</c> the fills, 20 a
/// page). Spot has no positions. REST names pairs its own way: answers map back to the node's symbols through
/// <see cref="KrakenPairs"/>.
/// </summary>
public sealed class KrakenOrderQueries(KrakenPairs pairs) : IOrderQueryAdapter
{
    private const int TradesPerQuery = 20;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, IReadOnlyList<string>> _orderTrades = new(StringComparer.Ordinal);

    public IReadOnlyList<RestRequest> OpenOrders(IReadOnlyCollection<Symbol> symbols)
    {
        foreach (var symbol in symbols)
        {
            pairs.Learn(symbol);
        }

        return [KrakenOrderRequests.OpenOrders()];
    }

    public IReadOnlyList<VenueOrderReport> ReadOrders(JsonElement data) => KrakenTrading.ReadOrders(data).Select(Report).ToArray();

    public IReadOnlyList<RestRequest> RecentFills(IReadOnlyCollection<Symbol> symbols)
    {
        foreach (var symbol in symbols)
        {
            pairs.Learn(symbol);
        }

        return [KrakenOrderRequests.TradesHistory()];
    }

    public IReadOnlyList<VenueFillReport> ReadFills(JsonElement data) => KrakenTrading.ReadFillPage(data).Fills.Select(Fill).ToArray();

    public RestRequest OrderByClientId(ClientOrderId clientOrderId, Symbol symbol)
    {
        pairs.Learn(symbol);
        return KrakenOrderRequests.OpenOrders(clientOrderId.Value);
    }

    /// <summary>Not open: among the closed orders.</summary>
    public RestRequest? OrderByClientIdElsewhere(ClientOrderId clientOrderId, Symbol symbol) => KrakenOrderRequests.ClosedOrders(clientOrderId.Value);

    public VenueOrderReport? ReadOrder(JsonElement data) => KrakenTrading.ReadOrders(data) is [var order, ..] ? Report(order) : null;

    /// <summary><c>EOrder:Unknown order</c>: the venue does not know it.</summary>
    public bool IsUnknownOrder(ExchangeError error) => error is ApiError { VenueCode: "EOrder:Unknown order" };

    /// <summary>
    /// First the order (<c>QueryOrders</c>), whose answer lists its trade ids; then those trades, 20 a request
    /// (<c>QueryTrades</c>), until none are left. The list is kept between the pages of one order.
    /// </summary>
    public RestRequest? OrderFills(string venueOrderId, Symbol symbol, JsonElement? previousPage)
    {
        pairs.Learn(symbol);
        if (previousPage is not { } previous)
        {
            _orderTrades.TryRemove(venueOrderId, out _);
            return KrakenOrderRequests.QueryOrders([venueOrderId]);
        }

        int from;
        if (IsOrderAnswer(previous))
        {
            var order = KrakenTrading.ReadOrders(previous).FirstOrDefault(o => o.OrderId == venueOrderId);
            _orderTrades[venueOrderId] = order?.Trades ?? [];
            from = 0;
        }
        else if (_orderTrades.TryGetValue(venueOrderId, out var known))
        {
            var returned = KrakenTrading.ReadFillPage(previous).Fills.Select(f => f.TradeId).ToHashSet(StringComparer.Ordinal);
            from = known.Select((id, i) => returned.Contains(id) ? i + 1 : 0).DefaultIfEmpty(known.Count).Max();
        }
        else
        {
            return null;
        }

        var trades = _orderTrades[venueOrderId];
        var next = trades.Skip(from).Take(TradesPerQuery).ToArray();
        if (next.Length == 0)
        {
            _orderTrades.TryRemove(venueOrderId, out _);
            return null;
        }

        return KrakenOrderRequests.QueryTrades(next);
    }

    public IReadOnlyList<VenueFillReport> ReadOrderFills(JsonElement data) =>
        IsOrderAnswer(data) ? [] : ReadFills(data);   // the order itself (QueryOrders): its trades come with the next pages

    /// <summary>A <c>QueryOrders</c> answer (orders carry <c>descr</c>), not a <c>QueryTrades</c> one.</summary>
    private static bool IsOrderAnswer(JsonElement data) =>
        data.ValueKind == JsonValueKind.Object && data.EnumerateObject().Any(p => p.Value.ValueKind == JsonValueKind.Object && p.Value.TryGetProperty("descr", out _));

    public RestRequest? Positions() => null;

    public IReadOnlyList<VenuePosition> ReadPositions(JsonElement data) => [];

    private VenueOrderReport Report(KrakenOrder o)
    {
        var status = o.Status switch
        {
            "pending" or "open" => o.VolumeExecuted > 0 ? OrderLifecycle.PartiallyFilled : OrderLifecycle.Acknowledged,
            "closed" => o.VolumeExecuted >= o.Volume ? OrderLifecycle.Filled : OrderLifecycle.Canceled,
            "canceled" => OrderLifecycle.Canceled,
            "expired" => OrderLifecycle.Expired,
            _ => throw new ExchangeException(new ProtocolError($"order {o.OrderId}: unknown status '{o.Status}'", o.Status)),
        };
        return new VenueOrderReport(o.ClientOrderId is { Length: > 0 } id ? new ClientOrderId(id) : null, o.OrderId, pairs.SymbolOf(o.Pair), status, o.Volume, o.VolumeExecuted);
    }

    private VenueFillReport Fill(KrakenFill f)
    {
        var symbol = pairs.SymbolOf(f.Pair);
        var feeCurrency = symbol.Value.Contains('/') ? KrakenPairs.Quote(symbol) : null;
        return new VenueFillReport(f.OrderId, symbol,
            new FillInfo(f.TradeId, f.Price, f.Volume, f.Fee, feeCurrency, f.Maker is { } maker ? maker ? Liquidity.Maker : Liquidity.Taker : null),
            (long)(f.Time * 1000));
    }
}
