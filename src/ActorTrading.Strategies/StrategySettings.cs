using System.Globalization;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Journal;
using ActorTrading.Strategies.Paper;

namespace ActorTrading.Strategies;

/// <summary>
/// One configured strategy: its id (<c>/user/strategies/{Id}</c>, the prefix of its client order ids), its type, the
/// venue and symbols it watches, whether it trades on the paper venue of that venue or live, its parameters and the
/// risk limits the order gateway applies to it.
/// </summary>
public sealed record StrategySettings(
    string Id, string Type, VenueId Venue, MarketKind Market, IReadOnlyList<Symbol> Symbols, bool Paper,
    IReadOnlyDictionary<string, string> Parameters, RiskLimits Risk)
{
    /// <summary>Where its orders go: <c>paper-{venue}</c> on paper, the venue itself live.</summary>
    public VenueId TradingVenue => Paper ? PaperVenue.IdFor(Venue) : Venue;

    public decimal Decimal(string name, decimal fallback) =>
        Parameters.TryGetValue(name, out var text)
            ? decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var value)
                ? value
                : throw Bad(name, text, "a number")
            : fallback;

    public int Int(string name, int fallback) =>
        Parameters.TryGetValue(name, out var text)
            ? int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
                ? value
                : throw Bad(name, text, "a whole number")
            : fallback;

    public string Text(string name, string fallback) => Parameters.TryGetValue(name, out var text) ? text : fallback;

    private ExchangeException Bad(string name, string text, string expected) =>
        new(new ConfigurationError($"strategy {Id}: parameter {name} = '{text}' is not {expected}"));
}
