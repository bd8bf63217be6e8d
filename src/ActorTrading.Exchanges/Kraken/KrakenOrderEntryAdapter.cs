using System.Text.Json;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Json;
using ActorTrading.Core.Market;
using ActorTrading.Core.Orders;
using ActorTrading.Exchanges.Kraken.Rest;
using CoreOrderType = ActorTrading.Core.Orders.OrderType;
using CoreTimeInForce = ActorTrading.Core.Orders.TimeInForce;

namespace ActorTrading.Exchanges.Kraken;

/// <summary>
/// Kraken Spot order entry over signed REST, one order a request: <c>AddOrder</c> (with the node's client order id as
/// <c>cl_ord_id</c>), <c>CancelOrder</c> and <c>AmendOrder</c> by txid or client id. A client id is free text of at most
/// 18 characters (Kraken also takes UUIDs, which the node's ids are not). Limit and market orders, GTC or IOC (Kraken
/// has no fill-or-kill), post-only; stops are <c>stop-loss</c> (a sell falling to, a buy rising to its trigger) or
/// <c>take-profit</c> (the other way), <c>-limit</c> with a limit price, on the last or the index price. Spot only: no
/// leverage, no reduce-only.
/// </summary>
public sealed class KrakenOrderEntryAdapter : IOrderEntryAdapter
{
    public KrakenOrderEntryAdapter(int leverage = 1)
    {
        if (leverage != 1)
        {
            throw Invalid("Kraken spot orders have no leverage: remove Orders.Leverage");
        }

        Queries = new KrakenOrderQueries(Pairs);
    }

    public VenueId Venue => KrakenVenue.Id;

    public MarketKind Market => MarketKind.Spot;

    /// <summary>"Free format ascii text up to 18 characters" (<c>cl_ord_id</c>).</summary>
    /// <summary>The venue's client order id rule (the module declares it, so ids are made to fit it).</summary>
    public static readonly ClientOrderIdRule Rule = new(18, "-_");

    public ClientOrderIdRule ClientOrderIds => Rule;

    public int MaxPlaceBatch => 1;

    public int MaxCancelBatch => 1;

    public IOrderQueryAdapter Queries { get; }

    /// <summary>The REST names of the pairs this adapter has placed on, shared with its queries.</summary>
    public KrakenPairs Pairs { get; } = new();

    public OrderEntryCall Place(IReadOnlyList<OrderTicket> orders)
    {
        var t = Single(orders, "placement");
        if (t.Leverage is not null)
        {
            throw Invalid("Kraken spot orders have no leverage");
        }

        if (t.ReduceOnly)
        {
            throw Invalid("Kraken spot orders cannot be reduce-only");
        }

        if (t.PostOnly && (t.TimeInForce != CoreTimeInForce.GoodTillCanceled || t.Type != CoreOrderType.Limit))
        {
            throw Invalid("a post-only order is a limit order that rests on the book (time in force GTC)");
        }

        var limit = t.Type == CoreOrderType.Limit;
        if (limit != t.Price.HasValue)
        {
            throw Invalid(limit ? "a limit order needs a price" : "a market order takes no price");
        }

        var tif = t.TimeInForce switch
        {
            CoreTimeInForce.GoodTillCanceled => "GTC",
            CoreTimeInForce.ImmediateOrCancel => "IOC",
            _ => throw Invalid("Kraken has no fill-or-kill: use GTC or IOC"),
        };
        var spec = new KrakenOrderSpec(Pairs.Learn(t.Symbol), t.Side, limit ? "limit" : "market", Positive(t.Size, "size"),
            t.Price is { } p ? Positive(p, "price") : null, t.ClientOrderId.Value)
        {
            TimeInForce = tif,
            PostOnly = t.PostOnly,
        };
        if (t.Stop is { } stop)
        {
            spec = Triggered(spec, t.Side, stop);
        }

        return new OrderEntryCall(OrderCommandKind.Place, [t.ClientOrderId], KrakenOrderRequests.AddOrder(spec), "add_order", WsAddOrder(spec));
    }

    /// <summary>
    /// <c>add_order</c>'s params: <c>order_type</c>, <c>side</c>, <c>order_qty</c>, <c>symbol</c> (the v2 name),
    /// <c>limit_price</c>, <c>time_in_force</c>, <c>post_only</c>, <c>cl_ord_id</c>; a stop's trigger under <c>triggers</c>.
    /// </summary>
    private static string WsAddOrder(KrakenOrderSpec o) => WsArgs(json =>
    {
        json.WriteString("order_type", o.OrderType);
        json.WriteString("side", o.Side == Side.Buy ? "buy" : "sell");
        json.WriteNumber("order_qty", o.Volume);
        json.WriteString("symbol", o.Symbol.Value);
        var limit = o.Trigger is null ? o.Price : o.Price2;
        if (limit is { } price)
        {
            json.WriteNumber("limit_price", price);
        }

        if (o.Trigger is { } reference && o.Price is { } trigger)
        {
            json.WriteStartObject("triggers");
            json.WriteString("reference", reference);
            json.WriteNumber("price", trigger);
            json.WriteString("price_type", "static");
            json.WriteEndObject();
        }

        json.WriteString("time_in_force", o.TimeInForce.ToLowerInvariant());
        if (o.PostOnly)
        {
            json.WriteBoolean("post_only", true);
        }

        if (o.ClientOrderId is { } id)
        {
            json.WriteString("cl_ord_id", id);
        }
    });

    private static string WsArgs(Action<Utf8JsonWriter> write) => JsonText.Object(write);

    /// <summary>
    /// A stop: <c>stop-loss</c> when the trigger is against the order's side (a sell as the price falls, a buy as it
    /// rises), <c>take-profit</c> otherwise; the trigger goes in <c>price</c> and a limit, when there is one, in <c>price2</c>.
    /// </summary>
    private static KrakenOrderSpec Triggered(KrakenOrderSpec spec, Side side, StopTrigger stop)
    {
        var trigger = stop.Source switch
        {
            TriggerPrice.LastTrade => "last",
            TriggerPrice.Index => "index",
            _ => throw Invalid("Kraken stops trigger on the last or the index price, not the mark price"),
        };
        var against = (side == Side.Sell) == (stop.Direction == TriggerDirection.FallsTo);
        var type = (against ? "stop-loss" : "take-profit") + (spec.OrderType == "limit" ? "-limit" : string.Empty);
        return spec with { OrderType = type, Price = Positive(stop.Price, "stop price"), Price2 = spec.Price, Trigger = trigger, PostOnly = false };
    }

    public OrderEntryCall Cancel(IReadOnlyList<CancelTicket> cancels)
    {
        var c = Single(cancels, "cancel");
        return new OrderEntryCall(OrderCommandKind.Cancel, [c.ClientOrderId], KrakenOrderRequests.CancelOrder(c.VenueOrderId, c.ClientOrderId.Value), "cancel_order",
            WsArgs(json =>
            {
                json.WriteStartArray(c.VenueOrderId is null ? "cl_ord_id" : "order_id");
                json.WriteStringValue(c.VenueOrderId ?? c.ClientOrderId.Value);
                json.WriteEndArray();
            }));
    }

    /// <summary>A new quantity and/or limit price in place (<c>AmendOrder</c>): the order keeps its txid.</summary>
    public OrderEntryCall Amend(AmendTicket amend)
    {
        if (amend.NewPrice is null && amend.NewSize is null)
        {
            throw Invalid("an amendment changes the price, the size or both");
        }

        var newSize = amend.NewSize is { } size ? Positive(size, "size") : (decimal?)null;
        var newPrice = amend.NewPrice is { } price ? Positive(price, "price") : (decimal?)null;
        return new OrderEntryCall(OrderCommandKind.Amend, [amend.ClientOrderId],
            KrakenOrderRequests.AmendOrder(amend.VenueOrderId, amend.ClientOrderId.Value, newSize, newPrice), "amend_order",
            WsArgs(json =>
            {
                json.WriteString(amend.VenueOrderId is null ? "cl_ord_id" : "order_id", amend.VenueOrderId ?? amend.ClientOrderId.Value);
                if (newSize is { } q)
                {
                    json.WriteNumber("order_qty", q);
                }

                if (newPrice is { } p)
                {
                    json.WriteNumber("limit_price", p);
                }
            }));
    }

    /// <summary>
    /// By REST, <c>AddOrder</c>: <c>{"txid":["O…"],"descr":{…}}</c>; <c>CancelOrder</c>: <c>{"count":1}</c> (none cancelled is
    /// an answer without effect: the order's state is then unknown); <c>AmendOrder</c>: <c>{"amend_id":"…"}</c>. By the
    /// WebSocket, <c>add_order</c> and <c>cancel_order</c> answer <c>{"order_id":"…"}</c>, <c>amend_order</c> <c>{"amend_id":"…"}</c>.
    /// </summary>
    public IReadOnlyList<OrderEntryResult> ReadAnswer(OrderEntryCall call, JsonElement data)
    {
        var id = call.Orders[0];
        if (data.ValueKind == JsonValueKind.Object && data.TryGetProperty("order_id", out var orderId) && call.Kind != OrderCommandKind.Amend)
        {
            // The WebSocket's reply: add_order and cancel_order name the order by its id.
            return orderId.GetString() is { Length: > 0 } venueId
                ? [new OrderAccepted(id, call.Kind == OrderCommandKind.Place ? venueId : null)]
                : throw new ExchangeException(new ProtocolError($"{call.WsOperation} answered without an order_id", data.GetRawText()));
        }

        return call.Kind switch
        {
            OrderCommandKind.Place => [new OrderAccepted(id, KrakenTrading.ReadAck(data).OrderId)],
            OrderCommandKind.Cancel => VenueAnswers.Read(KrakenVenue.Name, "CancelOrder", () => data.Required("count").GetLong("count")) > 0
                ? [new OrderAccepted(id, null)]
                : [new OrderStatusUnknown(id, "CancelOrder cancelled nothing")],
            _ => VenueAnswers.Read(KrakenVenue.Name, "AmendOrder", () => data.Required("amend_id").GetNullableString()) is { Length: > 0 }
                ? [new OrderAccepted(id, null)]
                : throw new ExchangeException(new ProtocolError("AmendOrder answered without an amend_id", data.GetRawText())),
        };
    }

    private static T Single<T>(IReadOnlyList<T> items, string what) => items.Count == 1
        ? items[0]
        : throw Invalid($"Kraken order entry takes one order per {what} request, got {items.Count}");

    private static decimal Positive(decimal value, string field) => value > 0 ? value : throw Invalid($"{field} must be positive, got {value}");

    private static ExchangeException Invalid(string message) => new(new ConfigurationError(message));
}
