using System.Text.Json;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
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

    /// <summary>What the venue accepts as a client order id; order entry refuses any other id before sending.</summary>
    ClientOrderIdRule ClientOrderIds { get; }

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

    /// <summary>The venue's order, fill and position queries for reconciliation; null when this market has none.</summary>
    IOrderQueryAdapter? Queries { get; }

    /// <summary>
    /// Requests to send once before a symbol's first order, for settings the venue keeps per symbol (Binance USDⓈ-M
    /// leverage and margin type); none by default.
    /// </summary>
    IReadOnlyList<RestRequest> SymbolSetup(Symbol symbol) => [];

    /// <summary>A setup request refused because the setting already holds (Binance -4046): no failure.</summary>
    bool IsSetupInPlace(ExchangeError error) => false;
}

/// <summary>
/// A venue's client order id rule: at most <see cref="MaxLength"/> characters, each a letter, a digit or one of
/// <see cref="Symbols"/>.
/// </summary>
public sealed record ClientOrderIdRule(int MaxLength, string Symbols)
{
    public bool Allows(ClientOrderId id) =>
        id.Value.Length is > 0 && id.Value.Length <= MaxLength && id.Value.All(c => char.IsAsciiLetterOrDigit(c) || Symbols.Contains(c, StringComparison.Ordinal));

    public override string ToString() => $"at most {MaxLength} letters, digits or '{Symbols}'";
}

/// <summary>An order as the venue reports it; <see cref="ClientOrderId"/> null when the venue's answer carries none.</summary>
public sealed record VenueOrderReport(ClientOrderId? ClientOrderId, string VenueOrderId, Symbol Symbol, OrderLifecycle Status, decimal Size, decimal FilledSize);

/// <summary>A fill as the venue reports it, by venue order id.</summary>
public sealed record VenueFillReport(string VenueOrderId, Symbol Symbol, FillInfo Fill, long Timestamp);

/// <summary>A position as the venue reports it (signed quantity: negative is short).</summary>
public sealed record VenuePosition(Symbol Symbol, decimal Quantity, decimal? EntryPrice);

/// <summary>
/// The queries reconciliation needs, as data: open orders, recent fills, one order by client id, the fills of one
/// order, positions. Venues that list orders per symbol (KuCoin spot) get the symbols to ask about and answer with
/// one request each. The runtime sends them through the REST gateway; readers turn the payloads into venue-neutral
/// reports.
/// </summary>
public interface IOrderQueryAdapter
{
    IReadOnlyList<RestRequest> OpenOrders(IReadOnlyCollection<Symbol> symbols);

    IReadOnlyList<VenueOrderReport> ReadOrders(JsonElement data);

    IReadOnlyList<RestRequest> RecentFills(IReadOnlyCollection<Symbol> symbols);

    IReadOnlyList<VenueFillReport> ReadFills(JsonElement data);

    RestRequest OrderByClientId(ClientOrderId clientOrderId, Symbol symbol);

    /// <summary>The order, or null when the venue does not know it.</summary>
    VenueOrderReport? ReadOrder(JsonElement data);

    /// <summary>
    /// Where to ask next when <see cref="OrderByClientId"/>'s answer did not know the order, for venues that list open
    /// and closed orders apart (Kraken: <c>OpenOrders</c>, then <c>ClosedOrders</c>); null when one answer tells all.
    /// </summary>
    RestRequest? OrderByClientIdElsewhere(ClientOrderId clientOrderId, Symbol symbol) => null;

    /// <summary>Whether the venue answered the order query with "no such order" as an error (Binance -2013) rather than an empty answer.</summary>
    bool IsUnknownOrder(ExchangeError error) => false;

    /// <summary>
    /// Every fill of one order, whatever its age (the recent-fills window does not cover an order from before a long
    /// stop): the first page when <paramref name="previousPage"/> is null, then the page after it; null when that
    /// was the last page.
    /// </summary>
    RestRequest? OrderFills(string venueOrderId, Symbol symbol, JsonElement? previousPage);

    IReadOnlyList<VenueFillReport> ReadOrderFills(JsonElement data);

    /// <summary>Null for a market without positions (spot): they are known to be none.</summary>
    RestRequest? Positions();

    IReadOnlyList<VenuePosition> ReadPositions(JsonElement data);
}
