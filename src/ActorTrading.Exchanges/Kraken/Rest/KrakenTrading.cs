using System.Globalization;
using System.Text.Json;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Json;
using ActorTrading.Core.Market;
using static ActorTrading.Exchanges.JsonItems;

namespace ActorTrading.Exchanges.Kraken.Rest;

/// <summary>An order as Kraken's REST tells it (<c>OpenOrders</c>, <c>ClosedOrders</c>, <c>QueryOrders</c>); <see cref="Pair"/> is the REST altname.</summary>
public sealed record KrakenOrder(
    string OrderId, string? ClientOrderId, long? UserRef, string Status, string Pair, Side Side, string OrderType, decimal? Price, decimal Volume,
    decimal VolumeExecuted, decimal Cost, decimal Fee, decimal? AveragePrice, decimal OpenTime, decimal? CloseTime, string? Reason, IReadOnlyList<string> Trades);

/// <summary>One of the account's fills (<c>TradesHistory</c>, <c>QueryTrades</c>); <see cref="Pair"/> is the pair id.</summary>
public sealed record KrakenFill(
    string TradeId, string OrderId, string Pair, decimal Time, Side Side, string OrderType, decimal Price, decimal Cost, decimal Fee, decimal Volume, bool? Maker);

/// <summary>A page of fills and how many there are in all (<c>count</c>), for <c>ofs</c> paging.</summary>
public sealed record KrakenFillPage(IReadOnlyList<KrakenFill> Fills, long Count);

/// <summary>What <c>AddOrder</c> answered: the order's txid and Kraken's description of it.</summary>
public sealed record KrakenOrderAck(string OrderId, string? Description);

/// <summary>A WebSocket token (<c>GetWebSocketsToken</c>): to be used within <see cref="ExpiresSeconds"/>; it lasts as long as a private subscription holds it.</summary>
public sealed record KrakenWsToken(string Token, int ExpiresSeconds)
{
    public override string ToString() => $"KrakenWsToken(expires {ExpiresSeconds} s)";
}

/// <summary>A spot order to place (<c>AddOrder</c>): <see cref="OrderType"/> is Kraken's (<c>limit</c>, <c>market</c>, <c>stop-loss</c>, …).</summary>
public sealed record KrakenOrderSpec(Symbol Symbol, Side Side, string OrderType, decimal Volume, decimal? Price, string? ClientOrderId)
{
    /// <summary>GTC, IOC or GTD (Kraken has no fill-or-kill).</summary>
    public string TimeInForce { get; init; } = "GTC";

    public bool PostOnly { get; init; }

    /// <summary>The limit of a stop-loss-limit or take-profit-limit order (<c>price2</c>), whose <see cref="Price"/> is the trigger.</summary>
    public decimal? Price2 { get; init; }

    /// <summary><c>last</c> (default) or <c>index</c>: the price a triggered order watches.</summary>
    public string? Trigger { get; init; }

    /// <summary>Validate only: the venue checks the order and places nothing.</summary>
    public bool Validate { get; init; }
}

/// <summary>Kraken's private REST requests, as data: the order entry adapter, the reconciliation queries and <c>call</c> build from here.</summary>
public static class KrakenOrderRequests
{
    public static RestRequest Balance() => KrakenRestAdapter.Private("Balance", 1, KrakenVenue.Pools.Counter);

    public static RestRequest OpenOrders(string? clientOrderId = null) =>
        KrakenRestAdapter.Private("OpenOrders", 1, KrakenVenue.Pools.Counter, ("cl_ord_id", clientOrderId));

    /// <summary>50 closed orders a page, newest first; <paramref name="offset"/> pages on.</summary>
    public static RestRequest ClosedOrders(string? clientOrderId = null, long? startSeconds = null, long? endSeconds = null, int? offset = null) =>
        KrakenRestAdapter.Private("ClosedOrders", 1, KrakenVenue.Pools.Counter, ("cl_ord_id", clientOrderId), ("start", Text(startSeconds)), ("end", Text(endSeconds)),
            ("ofs", Text(offset)), ("without_count", offset is null ? "true" : null));

    /// <summary>Up to 50 orders by txid, with their trade ids.</summary>
    public static RestRequest QueryOrders(IEnumerable<string> orderIds) =>
        KrakenRestAdapter.Private("QueryOrders", 1, KrakenVenue.Pools.Counter, ("txid", string.Join(',', orderIds)), ("trades", "true"));

    /// <summary>50 fills a page, newest first (+2 on the counter).</summary>
    public static RestRequest TradesHistory(long? startSeconds = null, int? offset = null) =>
        KrakenRestAdapter.Private("TradesHistory", 2, KrakenVenue.Pools.Counter, ("start", Text(startSeconds)), ("ofs", Text(offset)));

    /// <summary>Up to 20 fills by trade id (+2 on the counter).</summary>
    public static RestRequest QueryTrades(IEnumerable<string> tradeIds) =>
        KrakenRestAdapter.Private("QueryTrades", 2, KrakenVenue.Pools.Counter, ("txid", string.Join(',', tradeIds)));

    public static RestRequest AddOrder(KrakenOrderSpec o) =>
        KrakenRestAdapter.Private("AddOrder", 1, KrakenVenue.Pools.Trading,
            ("pair", KrakenPairs.RestName(o.Symbol)), ("type", o.Side == Side.Buy ? "buy" : "sell"), ("ordertype", o.OrderType), ("volume", Text(o.Volume)),
            ("price", o.Price is { } p ? Text(p) : null), ("price2", o.Price2 is { } p2 ? Text(p2) : null), ("trigger", o.Trigger),
            ("cl_ord_id", o.ClientOrderId), ("timeinforce", o.TimeInForce == "GTC" ? null : o.TimeInForce), ("oflags", o.PostOnly ? "post" : null),
            ("validate", o.Validate ? "true" : null));

    /// <summary>By txid or by client order id (one of them).</summary>
    public static RestRequest CancelOrder(string? orderId, string? clientOrderId) =>
        KrakenRestAdapter.Private("CancelOrder", 1, KrakenVenue.Pools.Trading, ("txid", orderId), ("cl_ord_id", orderId is null ? clientOrderId : null));

    public static RestRequest CancelAll() => KrakenRestAdapter.Private("CancelAll", 1, KrakenVenue.Pools.Trading);

    /// <summary>A new quantity and/or limit price in place (<c>AmendOrder</c>): the order keeps its id and, where the venue allows, its queue priority.</summary>
    public static RestRequest AmendOrder(string? orderId, string? clientOrderId, decimal? quantity, decimal? limitPrice) =>
        KrakenRestAdapter.Private("AmendOrder", 1, KrakenVenue.Pools.Trading, ("txid", orderId), ("cl_ord_id", orderId is null ? clientOrderId : null),
            ("order_qty", quantity is { } q ? Text(q) : null), ("limit_price", limitPrice is { } p ? Text(p) : null));

    /// <summary><c>EditOrder</c>: Kraken cancels the order and places a new one with a new txid (prefer <see cref="AmendOrder"/>).</summary>
    public static RestRequest EditOrder(string orderId, Symbol symbol, decimal? volume, decimal? price) =>
        KrakenRestAdapter.Private("EditOrder", 1, KrakenVenue.Pools.Trading, ("txid", orderId), ("pair", KrakenPairs.RestName(symbol)),
            ("volume", volume is { } v ? Text(v) : null), ("price", price is { } p ? Text(p) : null));

    public static RestRequest WebSocketsToken() => KrakenRestAdapter.Private("GetWebSocketsToken", 1, KrakenVenue.Pools.Counter);

    public static string Text(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    private static string? Text(long? value) => value?.ToString(CultureInfo.InvariantCulture);

    private static string? Text(int? value) => value?.ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// Kraken's private REST as typed calls (<c>call kraken</c>): balances, orders open, closed and by id, fills, placing,
/// amending, editing and cancelling, the WebSocket token. The readers are shared with reconciliation.
/// </summary>
public sealed class KrakenTrading(IRestExecutor rest)
{
    private const string Venue = KrakenVenue.Name;

    public async Task<IReadOnlyDictionary<string, decimal>> GetBalancesAsync(CancellationToken ct)
    {
        var data = await rest.SendAsync(KrakenOrderRequests.Balance(), ct).ConfigureAwait(false);
        return VenueAnswers.Read(Venue, "Balance", () => data.EnumerateObject().ToDictionary(b => b.Name, b => b.Value.GetDecimal(b.Name)));
    }

    public async Task<IReadOnlyList<KrakenOrder>> GetOpenOrdersAsync(string? clientOrderId, CancellationToken ct) =>
        ReadOrders(await rest.SendAsync(KrakenOrderRequests.OpenOrders(clientOrderId), ct).ConfigureAwait(false));

    public async Task<IReadOnlyList<KrakenOrder>> GetClosedOrdersAsync(string? clientOrderId, long? startMs, long? endMs, CancellationToken ct) =>
        ReadOrders(await rest.SendAsync(KrakenOrderRequests.ClosedOrders(clientOrderId, startMs / 1000, endMs / 1000), ct).ConfigureAwait(false));

    public async Task<IReadOnlyList<KrakenOrder>> QueryOrdersAsync(IReadOnlyList<string> orderIds, CancellationToken ct) =>
        ReadOrders(await rest.SendAsync(KrakenOrderRequests.QueryOrders(orderIds), ct).ConfigureAwait(false));

    public async Task<KrakenFillPage> GetFillsAsync(long? startMs, int? offset, CancellationToken ct) =>
        ReadFillPage(await rest.SendAsync(KrakenOrderRequests.TradesHistory(startMs / 1000, offset), ct).ConfigureAwait(false));

    public async Task<KrakenOrderAck> PlaceAsync(KrakenOrderSpec order, CancellationToken ct) =>
        ReadAck(await rest.SendAsync(KrakenOrderRequests.AddOrder(order), ct).ConfigureAwait(false), order.Validate);

    public async Task<JsonElement> CancelAsync(string? orderId, string? clientOrderId, CancellationToken ct) =>
        await rest.SendAsync(KrakenOrderRequests.CancelOrder(orderId, clientOrderId), ct).ConfigureAwait(false);

    public async Task<JsonElement> CancelAllAsync(CancellationToken ct) => await rest.SendAsync(KrakenOrderRequests.CancelAll(), ct).ConfigureAwait(false);

    public async Task<JsonElement> AmendAsync(string? orderId, string? clientOrderId, decimal? quantity, decimal? price, CancellationToken ct) =>
        await rest.SendAsync(KrakenOrderRequests.AmendOrder(orderId, clientOrderId, quantity, price), ct).ConfigureAwait(false);

    public async Task<JsonElement> EditAsync(string orderId, Symbol symbol, decimal? volume, decimal? price, CancellationToken ct) =>
        await rest.SendAsync(KrakenOrderRequests.EditOrder(orderId, symbol, volume, price), ct).ConfigureAwait(false);

    public async Task<KrakenWsToken> GetWebSocketsTokenAsync(CancellationToken ct) =>
        ReadToken(await rest.SendAsync(KrakenOrderRequests.WebSocketsToken(), ct).ConfigureAwait(false));

    /// <summary><c>{"token":"…","expires":900}</c>.</summary>
    public static KrakenWsToken ReadToken(JsonElement data) => VenueAnswers.Read(Venue, "GetWebSocketsToken", () =>
        new KrakenWsToken(data.Required("token").GetString() is { Length: > 0 } token ? token : throw new FrameFormatException("empty token"),
            (int)data.Required("expires").GetLong("expires")));

    /// <summary><c>{"txid":["OUF4EM-FRGI2-MQMWZD"],"descr":{"order":"…"}}</c>; a validation answers without txid.</summary>
    public static KrakenOrderAck ReadAck(JsonElement data, bool validate = false) => VenueAnswers.Read(Venue, "AddOrder", () =>
    {
        var description = data.TryGetProperty("descr", out var descr) && descr.TryGetProperty("order", out var text) ? text.GetNullableString() : null;
        if (validate)
        {
            return new KrakenOrderAck(string.Empty, description);
        }

        return data.Required("txid") is { ValueKind: JsonValueKind.Array } ids && ids.GetArrayLength() == 1 && ids[0].GetString() is { Length: > 0 } id
            ? new KrakenOrderAck(id, description)
            : throw new FrameFormatException("txid is not one order id");
    });

    /// <summary>
    /// Orders from <c>{"open":{txid:{…}}}</c> (OpenOrders), <c>{"closed":{…},"count":n}</c> (ClosedOrders) or
    /// <c>{txid:{…}}</c> (QueryOrders).
    /// </summary>
    public static IReadOnlyList<KrakenOrder> ReadOrders(JsonElement data) => VenueAnswers.Read(Venue, "an order query", () =>
    {
        var map = data.TryGetProperty("open", out var open) ? open : data.TryGetProperty("closed", out var closed) ? closed : data;
        return map.ValueKind == JsonValueKind.Object ? map.EnumerateObject().Select(o => Order(o.Name, o.Value)).ToArray() : throw new FrameFormatException("orders are not an object");
    });

    /// <summary><c>{"trades":{id:{…}},"count":n}</c> (TradesHistory) or <c>{id:{…}}</c> (QueryTrades).</summary>
    public static KrakenFillPage ReadFillPage(JsonElement data) => VenueAnswers.Read(Venue, "a fill query", () =>
    {
        var map = data.TryGetProperty("trades", out var trades) ? trades : data;
        var fills = map.ValueKind == JsonValueKind.Object ? map.EnumerateObject().Select(t => Fill(t.Name, t.Value)).ToArray() : throw new FrameFormatException("trades are not an object");
        return new KrakenFillPage(fills, data.TryGetProperty("count", out var count) ? count.GetLong("count") : fills.Length);
    });

    private static KrakenOrder Order(string id, JsonElement o)
    {
        var descr = o.Required("descr");
        var price = descr.TryGetProperty("price", out var p) ? p.GetDecimal("descr.price") : (decimal?)null;
        return new KrakenOrder(id, o.TryGetProperty("cl_ord_id", out var cl) ? cl.GetNullableString() : null,
            o.TryGetProperty("userref", out var userRef) && userRef.ValueKind == JsonValueKind.Number ? userRef.GetInt64() : null,
            Text(o, "status"), Text(descr, "pair"), SideOf(Text(descr, "type")), Text(descr, "ordertype"), price is > 0 ? price : null,
            o.Required("vol").GetDecimal("vol"), o.Required("vol_exec").GetDecimal("vol_exec"), o.Required("cost").GetDecimal("cost"), o.Required("fee").GetDecimal("fee"),
            o.TryGetProperty("price", out var average) && average.GetDecimal("price") is > 0 and var avg ? avg : null,
            o.Required("opentm").GetDecimal("opentm"), o.TryGetProperty("closetm", out var close) ? close.GetDecimal("closetm") : null,
            o.TryGetProperty("reason", out var reason) ? reason.GetNullableString() : null,
            o.TryGetProperty("trades", out var trades) && trades.ValueKind == JsonValueKind.Array ? trades.EnumerateArray().Select(t => t.GetString()!).ToArray() : []);
    }

    private static KrakenFill Fill(string id, JsonElement t) =>
        new(id, Text(t, "ordertxid"), Text(t, "pair"), t.Required("time").GetDecimal("time"), SideOf(Text(t, "type")), Text(t, "ordertype"),
            t.Required("price").GetDecimal("price"), t.Required("cost").GetDecimal("cost"), t.Required("fee").GetDecimal("fee"), t.Required("vol").GetDecimal("vol"),
            t.TryGetProperty("maker", out var maker) && maker.ValueKind is JsonValueKind.True or JsonValueKind.False ? maker.GetBoolean() : null);

    public static Side SideOf(string type) => type switch
    {
        "buy" => Side.Buy,
        "sell" => Side.Sell,
        _ => throw new FrameFormatException($"order type '{type}' is neither buy nor sell"),
    };

}
