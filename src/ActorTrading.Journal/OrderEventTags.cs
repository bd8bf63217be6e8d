using ActorTrading.Core.Orders;

namespace ActorTrading.Journal;

/// <summary>
/// The tags every order event is journaled with, for EventsByTag queries: all order events, and by venue, symbol,
/// strategy and event kind. Tags are short (the journal's tag column holds 64 characters).
/// </summary>
public static class OrderEventTags
{
    public const string All = "order-event";

    public static string Venue(string venue) => "venue:" + venue;

    public static string Symbol(string symbol) => "symbol:" + symbol;

    public static string Strategy(string strategy) => "strategy:" + strategy;

    /// <summary>The manifest without its version: <c>kind:fill-recorded</c>.</summary>
    public static string Kind(Type eventType) => "kind:" + JournalSerializer.ManifestFor(eventType).Split('.')[0];

    public static IReadOnlyList<string> For(OrderState? state, IJournalEvent e)
    {
        var (venue, symbol, strategy) = e is OrderEvents.Submitted s
            ? (s.Venue.Value, s.Symbol.Value, s.StrategyId)
            : (state!.Venue.Value, state.Symbol.Value, state.StrategyId);
        return [All, Venue(venue), Symbol(symbol), Strategy(strategy), Kind(e.GetType())];
    }
}
