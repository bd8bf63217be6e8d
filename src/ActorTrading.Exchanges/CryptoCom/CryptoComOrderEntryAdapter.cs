using System.Text.Json;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Core.Orders;
using ActorTrading.Exchanges.CryptoCom.Rest;
using CoreOrderType = ActorTrading.Core.Orders.OrderType;
using CoreTimeInForce = ActorTrading.Core.Orders.TimeInForce;

namespace ActorTrading.Exchanges.CryptoCom;

/// <summary>
/// Crypto.com Exchange order entry over signed REST or the user socket (the same method and params), one order a
/// request: <c>private/create-order</c> (the node's client
/// order id as <c>client_oid</c>, at most 36 characters), <c>private/cancel-order</c> and <c>private/amend-order</c> (which
/// takes the new price and the new quantity both: an unchanged one repeats the order's). Limit and market orders, GTC,
/// IOC or FOK, post-only and reduce-only (perpetuals) as <c>exec_inst</c>; stops are STOP_LOSS / STOP_LIMIT (against the
/// order's side) or TAKE_PROFIT / TAKE_PROFIT_LIMIT, on the last, mark or index price. The venue's own leverage (one
/// account-wide setting) is left as it is.
/// </summary>
public sealed class CryptoComOrderEntryAdapter : IOrderEntryAdapter
{
    public CryptoComOrderEntryAdapter(MarketKind market, int leverage = 1)
    {
        Market = market;
        if (leverage != 1)
        {
            throw Invalid("Crypto.com's leverage is the account's (private/change-account-leverage), not the node's: remove Orders.Leverage");
        }

        Queries = new CryptoComOrderQueries(market);
    }

    public VenueId Venue => CryptoComVenue.Id;

    public MarketKind Market { get; }

    /// <summary><c>client_oid</c>: "Client Order ID (maximum 36 characters)".</summary>
    /// <summary>The venue's client order id rule (the module declares it, so ids are made to fit it).</summary>
    public static readonly ClientOrderIdRule Rule = new(36, "-_");

    public ClientOrderIdRule ClientOrderIds => Rule;

    public int MaxPlaceBatch => 1;

    public int MaxCancelBatch => 1;

    public IOrderQueryAdapter Queries { get; }

    public OrderEntryCall Place(IReadOnlyList<OrderTicket> orders)
    {
        var t = Single(orders, "placement");
        if (t.Leverage is not null)
        {
            throw Invalid("Crypto.com sets leverage per account, not per order");
        }

        if (t.ReduceOnly && Market == MarketKind.Spot)
        {
            throw Invalid("Crypto.com spot orders cannot be reduce-only");
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

        var type = limit ? "LIMIT" : "MARKET";
        (decimal, string)? trigger = null;
        if (t.Stop is { } stop)
        {
            var against = (t.Side == Side.Sell) == (stop.Direction == TriggerDirection.FallsTo);
            type = (against, limit) switch
            {
                (true, true) => "STOP_LIMIT",
                (true, false) => "STOP_LOSS",
                (false, true) => "TAKE_PROFIT_LIMIT",
                _ => "TAKE_PROFIT",
            };
            trigger = (Positive(stop.Price, "stop price"), stop.Source switch
            {
                TriggerPrice.LastTrade => "LAST_PRICE",
                TriggerPrice.Mark => "MARK_PRICE",
                _ => "INDEX_PRICE",
            });
        }

        var spec = new CryptoComOrderSpec(t.Symbol, t.Side, type, Positive(t.Size, "size"), t.Price is { } p ? Positive(p, "price") : null, t.ClientOrderId.Value)
        {
            TimeInForce = t.TimeInForce switch
            {
                CoreTimeInForce.GoodTillCanceled => "GOOD_TILL_CANCEL",
                CoreTimeInForce.ImmediateOrCancel => "IMMEDIATE_OR_CANCEL",
                _ => "FILL_OR_KILL",
            },
            PostOnly = t.PostOnly,
            ReduceOnly = t.ReduceOnly,
            Trigger = trigger,
        };
        return Call(OrderCommandKind.Place, t.ClientOrderId, CryptoComRequests.CreateOrder(spec));
    }

    public OrderEntryCall Cancel(IReadOnlyList<CancelTicket> cancels)
    {
        var c = Single(cancels, "cancel");
        return Call(OrderCommandKind.Cancel, c.ClientOrderId, CryptoComRequests.CancelOrder(c.VenueOrderId, c.ClientOrderId.Value));
    }

    /// <summary>Crypto.com's amendment names both price and quantity: what the ticket leaves unchanged comes from the order as it stands.</summary>
    public OrderEntryCall Amend(AmendTicket amend)
    {
        if (amend.NewPrice is null && amend.NewSize is null)
        {
            throw Invalid("an amendment changes the price, the size or both");
        }

        var price = amend.NewPrice ?? amend.Current?.Price ?? throw Invalid("Crypto.com's amendment needs the order's price as it stands");
        var size = amend.NewSize ?? amend.Current?.Size ?? throw Invalid("Crypto.com's amendment needs the order's size as it stands");
        return Call(OrderCommandKind.Amend, amend.ClientOrderId,
            CryptoComRequests.AmendOrder(amend.VenueOrderId, amend.ClientOrderId.Value, Positive(price, "price"), Positive(size, "size")));
    }

    /// <summary>
    /// <c>create-order</c> and <c>amend-order</c>: <c>{"client_oid","order_id"}</c>; <c>cancel-order</c> answers code 0
    /// (the order's end comes by <c>user.order</c>).
    /// </summary>
    public IReadOnlyList<OrderEntryResult> ReadAnswer(OrderEntryCall call, JsonElement data)
    {
        var id = call.Orders[0];
        return call.Kind switch
        {
            OrderCommandKind.Place => [new OrderAccepted(id, CryptoComAnswers.Ack(data).OrderId)],
            _ => [new OrderAccepted(id, data.ValueKind == JsonValueKind.Object && data.TryGetProperty("order_id", out var o) ? o.GetString() : null)],
        };
    }

    /// <summary>The REST request, and the same method with the same params for the user socket.</summary>
    private static OrderEntryCall Call(OrderCommandKind kind, ClientOrderId order, RestRequest rest) =>
        new(kind, [order], rest, rest.Path[CryptoComVenue.ApiPath.Length..], rest.Body);

    private static T Single<T>(IReadOnlyList<T> items, string what) => items.Count == 1
        ? items[0]
        : throw Invalid($"Crypto.com order entry takes one order per {what} request, got {items.Count}");

    private static decimal Positive(decimal value, string field) => value > 0 ? value : throw Invalid($"{field} must be positive, got {value}");

    private static ExchangeException Invalid(string message) => new(new ConfigurationError(message));
}
