using System.Text.Json;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Orders;
using ActorTrading.Exchanges.Bybit.Rest;
using CoreOrderType = ActorTrading.Core.Orders.OrderType;
using CoreTimeInForce = ActorTrading.Core.Orders.TimeInForce;

namespace ActorTrading.Exchanges.Bybit;

/// <summary>
/// Bybit v5 order entry over signed REST, one order per request (<c>/v5/order/create</c>, <c>/cancel</c>,
/// <c>/amend</c>). The client order id is Bybit's <c>orderLinkId</c>: at most 36 letters, digits, dashes and underscores.
/// Linear leverage is kept per symbol: set (buy and sell alike, one-way mode) before the symbol's first order; a
/// symbol already at it answers 110043, which is no failure. Margin mode is the Unified account's, not an order's.
/// </summary>
public sealed class BybitOrderEntryAdapter : IOrderEntryAdapter
{
    private readonly int _leverage;
    private readonly string _category;

    public BybitOrderEntryAdapter(MarketKind market, int leverage = 1)
    {
        _category = BybitVenue.Category(market);
        if (leverage < 1 || (market == MarketKind.Spot && leverage != 1))
        {
            throw new ExchangeException(new ConfigurationError(market == MarketKind.Spot
                ? "Bybit spot has no leverage: remove Orders.Leverage"
                : $"Bybit leverage is at least 1, got {leverage}"));
        }

        Market = market;
        _leverage = leverage;
        Queries = new BybitOrderQueries(market);
    }

    public VenueId Venue => BybitVenue.Id;

    public MarketKind Market { get; }

    /// <summary><c>orderLinkId</c>: "A max of 36 characters. Combinations of numbers, letters (upper and lower cases), dashes, and underscores".</summary>
    /// <summary>The venue's client order id rule (the module declares it, so ids are made to fit it).</summary>
    public static readonly ClientOrderIdRule Rule = new(36, "-_");

    public ClientOrderIdRule ClientOrderIds => Rule;

    public int MaxPlaceBatch => 1;

    public int MaxCancelBatch => 1;

    public IOrderQueryAdapter Queries { get; }

    public IReadOnlyList<RestRequest> SymbolSetup(Symbol symbol) => Market == MarketKind.Futures ? [BybitOrderRequests.SetLeverage(symbol.Value, _leverage)] : [];

    /// <summary>110043: "Set leverage has not been modified" (it already is).</summary>
    public bool IsSetupInPlace(ExchangeError error) => error is ApiError { VenueCode: "110043" };

    public OrderEntryCall Place(IReadOnlyList<OrderTicket> orders)
    {
        var t = Single(orders, "placement");
        if (t.Leverage is { } leverage && leverage != _leverage)
        {
            throw Invalid($"Bybit sets leverage per symbol ({_leverage}x from the venue's Orders.Leverage), not per order ({leverage}x)");
        }

        if (t.ReduceOnly && Market == MarketKind.Spot)
        {
            throw Invalid("Bybit spot orders cannot be reduce-only");
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

        var tif = t.PostOnly ? "PostOnly" : t.TimeInForce switch
        {
            CoreTimeInForce.GoodTillCanceled => "GTC",
            CoreTimeInForce.ImmediateOrCancel => "IOC",
            _ => "FOK",
        };
        var spec = new BybitOrderSpec(t.Symbol.Value, t.Side, limit, Positive(t.Size, "size"), t.Price is { } p ? Positive(p, "price") : null, t.ClientOrderId.Value, tif, t.ReduceOnly)
        {
            Trigger = t.Stop is { } stop ? Trigger(stop) : null,
        };
        return new OrderEntryCall(OrderCommandKind.Place, [t.ClientOrderId], BybitOrderRequests.Place(_category, spec), null, null);
    }

    /// <summary>Linear triggers on the last, mark or index price, rising (1) or falling (2) to it; spot stops watch the last trade.</summary>
    private (decimal, int, string) Trigger(StopTrigger stop)
    {
        if (Market == MarketKind.Spot && stop.Source != TriggerPrice.LastTrade)
        {
            throw Invalid($"Bybit spot stops trigger on the last trade price, not the {stop.Source} price");
        }

        var by = stop.Source switch
        {
            TriggerPrice.LastTrade => "LastPrice",
            TriggerPrice.Mark => "MarkPrice",
            _ => "IndexPrice",
        };
        return (Positive(stop.Price, "stop price"), stop.Direction == TriggerDirection.RisesTo ? 1 : 2, by);
    }

    public OrderEntryCall Cancel(IReadOnlyList<CancelTicket> cancels)
    {
        var c = Single(cancels, "cancel");
        return new OrderEntryCall(OrderCommandKind.Cancel, [c.ClientOrderId],
            BybitOrderRequests.Cancel(_category, c.Symbol.Value, c.VenueOrderId, c.ClientOrderId.Value), null, null);
    }

    /// <summary>A new price and/or quantity in place (<c>/v5/order/amend</c>); the queue position follows the venue's rules.</summary>
    public OrderEntryCall Amend(AmendTicket amend)
    {
        if (amend.NewPrice is null && amend.NewSize is null)
        {
            throw Invalid("an amendment changes the price, the size or both");
        }

        return new OrderEntryCall(OrderCommandKind.Amend, [amend.ClientOrderId],
            BybitOrderRequests.Amend(_category, amend.Symbol.Value, amend.VenueOrderId, amend.ClientOrderId.Value,
                amend.NewSize is { } size ? Positive(size, "size") : null, amend.NewPrice is { } price ? Positive(price, "price") : null),
            null, null);
    }

    /// <summary><c>{"orderId":"…","orderLinkId":"…"}</c>.</summary>
    public IReadOnlyList<OrderEntryResult> ReadAnswer(OrderEntryCall call, JsonElement data)
    {
        var ack = VenueAnswers.Deserialize(BybitMarketData.Venue, call.Rest.Path, data, BybitJsonContext.Default.BybitOrderAck);
        if (ack.OrderId.Length == 0)
        {
            throw new ExchangeException(new ProtocolError($"{call.Rest.Path} answered without an orderId", data.GetRawText()));
        }

        return [new OrderAccepted(call.Orders[0], ack.OrderId)];
    }

    private static T Single<T>(IReadOnlyList<T> items, string what) => items.Count == 1
        ? items[0]
        : throw Invalid($"Bybit order entry takes one order per {what} request, got {items.Count}");

    private static decimal Positive(decimal value, string field) => value > 0 ? value : throw Invalid($"{field} must be positive, got {value}");

    private static ExchangeException Invalid(string message) => new(new ConfigurationError(message));
}
