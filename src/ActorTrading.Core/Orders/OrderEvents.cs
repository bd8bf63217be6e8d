using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;

namespace ActorTrading.Core.Orders;

/// <summary>
/// Marker of everything written to the journal: one System.Text.Json serializer is bound to it, with a versioned
/// manifest per type (<c>fill-recorded.v1</c>). Timestamps are Unix milliseconds.
/// </summary>
public interface IJournalEvent
{
    ClientOrderId ClientOrderId { get; }

    long Timestamp { get; }
}

/// <summary>Where an order's life stands. Filled, Canceled, Rejected and Expired are terminal: nothing leaves them.</summary>
public enum OrderLifecycle
{
    Submitted,
    Acknowledged,
    PartiallyFilled,
    Filled,
    Canceled,
    Rejected,
    Expired,

    /// <summary>A command may or may not have reached the venue: resolved by querying it.</summary>
    Unknown,
}

/// <summary>Which path brought a fill; the same fill by several paths is recorded once.</summary>
public enum FillSource
{
    WebSocket,
    Rest,
    Reconciliation,
}

/// <summary>The events of an order's life, as journaled by its order actor.</summary>
public static class OrderEvents
{
    /// <summary>
    /// The order as the strategy asked for it, before anything was sent. <paramref name="RunId"/>: the node run that
    /// placed it (null in rows written before runs had ids, and for orders placed from the command line).
    /// </summary>
    public sealed record Submitted(
        ClientOrderId ClientOrderId, string StrategyId, VenueId Venue, MarketKind Market, Symbol Symbol, Side Side, OrderType Type,
        decimal Size, decimal? Price, TimeInForce TimeInForce, bool PostOnly, bool ReduceOnly, long Timestamp, string? RunId = null,
        StopTrigger? Stop = null) : IJournalEvent;

    public sealed record Acknowledged(ClientOrderId ClientOrderId, string? VenueOrderId, long Timestamp) : IJournalEvent;

    /// <summary>Refused by the venue (its code) or by us before sending (<c>risk:*</c>, <c>configuration</c>).</summary>
    public sealed record Rejected(ClientOrderId ClientOrderId, string Code, string Reason, long Timestamp) : IJournalEvent;

    public sealed record FillRecorded(
        ClientOrderId ClientOrderId, string TradeId, decimal Price, decimal Size, decimal? Fee, string? FeeCurrency, Liquidity? Liquidity,
        FillSource Source, string? VenueOrderId, long Timestamp) : IJournalEvent;

    public sealed record CancelRequested(ClientOrderId ClientOrderId, long Timestamp) : IJournalEvent;

    public sealed record Canceled(ClientOrderId ClientOrderId, string Reason, long Timestamp) : IJournalEvent;

    public sealed record Expired(ClientOrderId ClientOrderId, long Timestamp) : IJournalEvent;

    /// <summary>A new price and/or size the venue accepted (a spot amend gives the order a new venue id).</summary>
    public sealed record Amended(ClientOrderId ClientOrderId, decimal? NewPrice, decimal? NewSize, string? VenueOrderId, long Timestamp) : IJournalEvent;

    public sealed record StatusUnknown(ClientOrderId ClientOrderId, string Reason, long Timestamp) : IJournalEvent;

    /// <summary>What a query of the venue said about the order; fills it reported are journaled as their own events.</summary>
    public sealed record Reconciled(ClientOrderId ClientOrderId, OrderLifecycle Status, decimal VenueFilledSize, string? VenueOrderId, long Timestamp) : IJournalEvent;
}
