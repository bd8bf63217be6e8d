using ActorTrading.Core.Orders;

namespace ActorTrading.Journal;

/// <summary>
/// The tags every order event is journaled with, for EventsByTag queries: all order events, and by venue, symbol,
/// strategy and event kind. The journal keeps them in one column separated by ';', so a value never carries one.
/// </summary>
public static class OrderEventTags
{
    public const string All = "order-event";

    public static string Venue(string venue) => "venue:" + Clean(venue);

    public static string Symbol(string symbol) => "symbol:" + Clean(symbol);

    public static string Strategy(string strategy) => "strategy:" + Clean(strategy);

    /// <summary>The manifest without its version: <c>kind:fill-recorded</c>.</summary>
    public static string Kind(Type eventType) => "kind:" + JournalSerializer.ManifestFor(eventType).Split('.')[0];

    public static IReadOnlyList<string> For(OrderState? state, IJournalEvent e)
    {
        var (venue, symbol, strategy) = e is OrderEvents.Submitted s
            ? (s.Venue.Value, s.Symbol.Value, s.StrategyId)
            : (state!.Venue.Value, state.Symbol.Value, state.StrategyId);
        return [All, Venue(venue), Symbol(symbol), Strategy(strategy), Kind(e.GetType())];
    }

    private static string Clean(string value) => value.Replace(';', '_');
}
