using System.Globalization;
using System.Text.Json;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Json;
using ActorTrading.Core.Market;
using static ActorTrading.Exchanges.JsonItems;

namespace ActorTrading.Exchanges.CryptoCom.Rest;

/// <summary>An order as Crypto.com tells it (<c>get-open-orders</c>, <c>get-order-detail</c>, <c>get-order-history</c>, <c>user.order</c>).</summary>
public sealed record CryptoComOrder(
    string OrderId, string? ClientOrderId, string Symbol, Side Side, string OrderType, string Status, decimal Quantity, decimal? LimitPrice, decimal CumulativeQuantity,
    decimal? AveragePrice, long CreateTime, long UpdateTime);

/// <summary>One of the account's fills (<c>get-trades</c>, <c>user.trade</c>); <see cref="Fee"/> is what was charged (the venue sends it negative).</summary>
public sealed record CryptoComFill(
    string TradeId, string OrderId, string? ClientOrderId, string Symbol, Side Side, decimal Price, decimal Quantity, decimal Fee, string? FeeCurrency, Liquidity? Liquidity, long Time);

/// <summary>A position of a perpetual (<c>get-positions</c>): signed quantity, cost and open PnL.</summary>
public sealed record CryptoComPosition(string Symbol, decimal Quantity, decimal Cost, decimal? OpenPnl);

/// <summary>A currency's balance (<c>user-balance</c>): its quantity and what open orders reserve.</summary>
public sealed record CryptoComBalance(string Currency, decimal Quantity, decimal? Reserved, decimal? MaxWithdrawal);

/// <summary>What <c>create-order</c> and <c>amend-order</c> answer.</summary>
public sealed record CryptoComOrderAck(string OrderId, string? ClientOrderId);

/// <summary>An order to place (<c>private/create-order</c>): Crypto.com's type, time in force and exec instructions.</summary>
public sealed record CryptoComOrderSpec(Symbol Symbol, Side Side, string Type, decimal Quantity, decimal? Price, string? ClientOrderId)
{
    /// <summary>GOOD_TILL_CANCEL, IMMEDIATE_OR_CANCEL or FILL_OR_KILL.</summary>
    public string TimeInForce { get; init; } = "GOOD_TILL_CANCEL";

    public bool PostOnly { get; init; }

    public bool ReduceOnly { get; init; }

    /// <summary>A stop's trigger price and the price it watches (LAST_PRICE, MARK_PRICE, INDEX_PRICE).</summary>
    public (decimal Price, string Type)? Trigger { get; init; }
}

/// <summary>Crypto.com's private REST requests, as data: order entry, reconciliation and <c>call</c> build from here. Numbers go as strings, as the venue asks.</summary>
public static class CryptoComRequests
{
    public static RestRequest Balance() => CryptoComRestAdapter.Private("private/user-balance", CryptoComVenue.Pools.Private, _ => { });

    public static RestRequest Positions() => CryptoComRestAdapter.Private("private/get-positions", CryptoComVenue.Pools.Private, _ => { });

    public static RestRequest OpenOrders(string? symbol) =>
        CryptoComRestAdapter.Private("private/get-open-orders", CryptoComVenue.Pools.Private, json => Optional(json, "instrument_name", symbol));

    public static RestRequest OrderDetail(string? orderId, string? clientOrderId) =>
        CryptoComRestAdapter.Private("private/get-order-detail", CryptoComVenue.Pools.OrderDetail, json =>
        {
            Optional(json, "order_id", orderId);
            Optional(json, "client_oid", orderId is null ? clientOrderId : null);
        });

    public static RestRequest OrderHistory(string? symbol, long? startMs, long? endMs) =>
        CryptoComRestAdapter.Private("private/get-order-history", CryptoComVenue.Pools.History, json =>
        {
            Optional(json, "instrument_name", symbol);
            Optional(json, "start_time", startMs?.ToString(CultureInfo.InvariantCulture));
            Optional(json, "end_time", endMs?.ToString(CultureInfo.InvariantCulture));
        });

    /// <summary>The account's fills, newest first (100 at most), of one instrument or all, from <paramref name="startMs"/>.</summary>
    public static RestRequest Trades(string? symbol, long? startMs = null, long? endMs = null) =>
        CryptoComRestAdapter.Private("private/get-trades", CryptoComVenue.Pools.History, json =>
        {
            Optional(json, "instrument_name", symbol);
            Optional(json, "start_time", startMs?.ToString(CultureInfo.InvariantCulture));
            Optional(json, "end_time", endMs?.ToString(CultureInfo.InvariantCulture));
            json.WriteString("limit", "100");
        });

    public static RestRequest CreateOrder(CryptoComOrderSpec o) =>
        CryptoComRestAdapter.Private("private/create-order", CryptoComVenue.Pools.Orders, json =>
        {
            json.WriteString("instrument_name", o.Symbol.Value);
            json.WriteString("side", o.Side == Side.Buy ? "BUY" : "SELL");
            json.WriteString("type", o.Type);
            Optional(json, "price", o.Price is { } p ? Text(p) : null);
            json.WriteString("quantity", Text(o.Quantity));
            Optional(json, "client_oid", o.ClientOrderId);
            json.WriteString("time_in_force", o.TimeInForce);
            if (o.PostOnly || o.ReduceOnly)
            {
                json.WriteStartArray("exec_inst");
                if (o.PostOnly)
                {
                    json.WriteStringValue("POST_ONLY");
                }

                if (o.ReduceOnly)
                {
                    json.WriteStringValue("REDUCE_ONLY");
                }

                json.WriteEndArray();
            }

            if (o.Trigger is { } trigger)
            {
                json.WriteString("ref_price", Text(trigger.Price));
                json.WriteString("ref_price_type", trigger.Type);
            }
        });

    public static RestRequest CancelOrder(string? orderId, string? clientOrderId) =>
        CryptoComRestAdapter.Private("private/cancel-order", CryptoComVenue.Pools.Orders, json =>
        {
            Optional(json, "order_id", orderId);
            Optional(json, "client_oid", orderId is null ? clientOrderId : null);
        });

    public static RestRequest CancelAll(string? symbol) =>
        CryptoComRestAdapter.Private("private/cancel-all-orders", CryptoComVenue.Pools.Orders, json => Optional(json, "instrument_name", symbol));

    /// <summary>Both the new price and the new quantity (the venue asks for both; an unchanged one repeats its value).</summary>
    public static RestRequest AmendOrder(string? orderId, string? originalClientOrderId, decimal newPrice, decimal newQuantity) =>
        CryptoComRestAdapter.Private("private/amend-order", CryptoComVenue.Pools.Private, json =>
        {
            Optional(json, "order_id", orderId);
            Optional(json, "orig_client_oid", orderId is null ? originalClientOrderId : null);
            json.WriteString("new_price", Text(newPrice));
            json.WriteString("new_quantity", Text(newQuantity));
        });

    public static string Text(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    private static void Optional(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }
}

/// <summary>Readers of Crypto.com's private answers, shared by order entry, reconciliation and <c>call cryptocom</c>.</summary>
public static class CryptoComAnswers
{
    private const string Venue = CryptoComVenue.Name;

    /// <summary><c>{"data":[…]}</c> (lists) or the order itself (<c>get-order-detail</c>).</summary>
    public static IReadOnlyList<CryptoComOrder> Orders(JsonElement data) => VenueAnswers.Read(Venue, "an order query", () =>
        (data.TryGetProperty("data", out var list) ? list.EnumerateArray().ToArray() : [data]).Select(Order).ToArray());

    public static IReadOnlyList<CryptoComFill> Fills(JsonElement data) => VenueAnswers.Read(Venue, "get-trades", () =>
        data.Required("data").EnumerateArray().Select(Fill).ToArray());

    public static IReadOnlyList<CryptoComPosition> Positions(JsonElement data) => VenueAnswers.Read(Venue, "get-positions", () =>
        data.Required("data").EnumerateArray().Select(p => new CryptoComPosition(Text(p, "instrument_name"), Number(p, "quantity"), Number(p, "cost"),
            p.TryGetProperty("open_position_pnl", out var pnl) ? pnl.GetDecimal("open_position_pnl") : null)).ToArray());

    public static IReadOnlyList<CryptoComBalance> Balances(JsonElement data) => VenueAnswers.Read(Venue, "user-balance", () =>
        data.Required("data").EnumerateArray().SelectMany(account => account.Required("position_balances").EnumerateArray())
            .Select(b => new CryptoComBalance(Text(b, "instrument_name"), Number(b, "quantity"), Optional(b, "reserved_qty"), Optional(b, "max_withdrawal_balance"))).ToArray());

    /// <summary><c>{"client_oid":"…","order_id":"…"}</c>.</summary>
    public static CryptoComOrderAck Ack(JsonElement data) => VenueAnswers.Read(Venue, "an order answer", () =>
        new CryptoComOrderAck(Text(data, "order_id"), data.TryGetProperty("client_oid", out var c) ? c.GetNullableString() : null));

    public static CryptoComOrder Order(JsonElement o) =>
        new(Text(o, "order_id"), o.TryGetProperty("client_oid", out var c) ? c.GetNullableString() is { Length: > 0 } id ? id : null : null, Text(o, "instrument_name"),
            SideOf(Text(o, "side")), o.TryGetProperty("order_type", out var type) ? type.GetString()! : Text(o, "type"), Text(o, "status"), Number(o, "quantity"),
            Optional(o, "limit_price") ?? Optional(o, "price"), Number(o, "cumulative_quantity"), Optional(o, "avg_price"),
            o.Required("create_time").GetLong("create_time"), o.Required("update_time").GetLong("update_time"));

    public static CryptoComFill Fill(JsonElement t) =>
        new(Text(t, "trade_id"), Text(t, "order_id"), t.TryGetProperty("client_oid", out var c) ? c.GetNullableString() is { Length: > 0 } id ? id : null : null,
            Text(t, "instrument_name"), SideOf(Text(t, "side")), Number(t, "traded_price"), Number(t, "traded_quantity"), Math.Abs(Number(t, "fees")),
            t.TryGetProperty("fee_instrument_name", out var f) ? f.GetNullableString() : null,
            t.TryGetProperty("taker_side", out var taker) ? taker.GetNullableString() switch
            {
                "MAKER" => Liquidity.Maker,
                "TAKER" => Liquidity.Taker,
                _ => null,
            } : null,
            t.Required("create_time").GetLong("create_time"));

    private static Side SideOf(string side) => side switch
    {
        "BUY" => Side.Buy,
        "SELL" => Side.Sell,
        _ => throw new FrameFormatException($"side '{side}' is neither BUY nor SELL"),
    };

}
