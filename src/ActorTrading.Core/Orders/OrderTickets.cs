using System.Text.Json.Serialization;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;

namespace ActorTrading.Core.Orders;

public enum OrderType
{
    Limit,
    Market,
}

public enum TimeInForce
{
    GoodTillCanceled,
    ImmediateOrCancel,
    FillOrKill,
}

/// <summary>Which way the trigger price must move to reach a stop's price.</summary>
public enum TriggerDirection
{
    RisesTo,
    FallsTo,
}

/// <summary>The price a stop watches: the last trade, the mark or the index price.</summary>
public enum TriggerPrice
{
    LastTrade,
    Mark,
    Index,
}

/// <summary>
/// Makes an order a stop order: the venue holds it untriggered until the <see cref="Source"/> price
/// <see cref="Direction"/> <see cref="Price"/>, then it enters the book as the limit or market order it describes.
/// </summary>
public sealed record StopTrigger(TriggerDirection Direction, decimal Price, TriggerPrice Source = TriggerPrice.LastTrade);

/// <summary>
/// A venue-neutral order to place. <see cref="ClientOrderId"/> makes placement idempotent and names the order in
/// every answer; <see cref="Size"/> is in the venue's unit for the market (contracts for KuCoin Futures, base
/// currency for spot).
/// </summary>
public sealed record OrderTicket(ClientOrderId ClientOrderId, Symbol Symbol, Side Side, OrderType Type, decimal Size, decimal? Price = null)
{
    public TimeInForce TimeInForce { get; init; } = TimeInForce.GoodTillCanceled;

    public bool PostOnly { get; init; }

    public bool ReduceOnly { get; init; }

    /// <summary>Leverage for derivatives; the venue adapter's default when unset.</summary>
    public int? Leverage { get; init; }

    /// <summary>A stop order's trigger; null for an order that enters the book at once.</summary>
    public StopTrigger? Stop { get; init; }
}

/// <summary>Cancels an order by its client id; <see cref="VenueOrderId"/> when known lets the venue find it directly.</summary>
public sealed record CancelTicket(ClientOrderId ClientOrderId, Symbol Symbol, string? VenueOrderId = null);

/// <summary>
/// A new price and/or size for an open order. <see cref="Current"/> restates the order as it stands, for venues whose
/// amendment names the whole order (Binance USDⓈ-M sends side, price and quantity together).
/// </summary>
public sealed record AmendTicket(ClientOrderId ClientOrderId, Symbol Symbol, decimal? NewPrice, decimal? NewSize, string? VenueOrderId = null)
{
    public AmendedOrder? Current { get; init; }
}

/// <summary>An order's side, price and size before an amendment.</summary>
public sealed record AmendedOrder(Side Side, decimal? Price, decimal Size);

/// <summary>The venue's answer for one order of a place, cancel or amend: exactly one per order sent.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(OrderAccepted), "accepted")]
[JsonDerivedType(typeof(OrderRejected), "rejected")]
[JsonDerivedType(typeof(OrderStatusUnknown), "unknown")]
public abstract record OrderEntryResult(ClientOrderId ClientOrderId);

/// <summary>The venue took the command; <see cref="VenueOrderId"/> is the order's id (a new one after a spot amend).</summary>
public sealed record OrderAccepted(ClientOrderId ClientOrderId, string? VenueOrderId) : OrderEntryResult(ClientOrderId);

/// <summary>The venue refused the command (or we did, before sending): nothing happened.</summary>
public sealed record OrderRejected(ClientOrderId ClientOrderId, ExchangeError Error) : OrderEntryResult(ClientOrderId);

/// <summary>
/// The command may or may not have reached the venue (no answer in time, connection lost after sending): resolve by
/// querying the order by its client id, never by assuming it failed.
/// </summary>
public sealed record OrderStatusUnknown(ClientOrderId ClientOrderId, string Reason) : OrderEntryResult(ClientOrderId);
