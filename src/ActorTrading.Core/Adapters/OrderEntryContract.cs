using System.Text.Json;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Orders;

namespace ActorTrading.Core.Adapters;

/// <summary>How a venue's orders travel: signed REST, or the venue's trading WebSocket.</summary>
public enum OrderRoute
{
    Rest,
    WebSocket,
}

/// <summary>
/// One venue request carrying one or more order commands, in both forms the venue accepts: as REST, and as a
/// trading-socket op with its args when the venue has one (<see cref="WsOperation"/> null: REST only).
/// </summary>
public sealed record OrderEntryCall(OrderCommandKind Kind, IReadOnlyList<ClientOrderId> Orders, RestRequest Rest, string? WsOperation, string? WsArgs);

public enum OrderCommandKind
{
    Place,
    Cancel,
    Amend,
}

/// <summary>
/// The venue-specific half of order entry: turns venue-neutral tickets into requests and the venue's answers into
/// one <see cref="OrderEntryResult"/> per order. Pure code; the runtime sends the calls over the configured route.
/// Builders throw <see cref="Errors.ExchangeException"/> with a <see cref="Errors.ConfigurationError"/> for a
/// ticket the venue cannot take, before anything is sent.
/// </summary>
public interface IOrderEntryAdapter
{
    VenueId Venue { get; }

    MarketKind Market { get; }

    /// <summary>Most orders one placement request may carry (1 when the venue has no batch placement).</summary>
    int MaxPlaceBatch { get; }

    /// <summary>Most orders one cancel request may carry (1 when the venue has no batch cancel).</summary>
    int MaxCancelBatch { get; }

    OrderEntryCall Place(IReadOnlyList<OrderTicket> orders);

    OrderEntryCall Cancel(IReadOnlyList<CancelTicket> cancels);

    OrderEntryCall Amend(AmendTicket amend);

    /// <summary>
    /// Reads a successful answer (REST payload or trading-socket reply data, which KuCoin shapes alike) into one
    /// result per order of <paramref name="call"/>; an order the answer does not mention is
    /// <see cref="OrderStatusUnknown"/>.
    /// </summary>
    IReadOnlyList<OrderEntryResult> ReadAnswer(OrderEntryCall call, JsonElement data);
}
