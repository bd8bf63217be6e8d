using System.Globalization;
using System.Numerics;
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

    public decimal Decimal(string name, decimal fallback) => Number(name, fallback, NumberStyles.Number, "a number");

    public int Int(string name, int fallback) => Number(name, fallback, NumberStyles.Integer, "a whole number");

    public string Text(string name, string fallback) => Parameters.TryGetValue(name, out var text) ? text : fallback;

    private T Number<T>(string name, T fallback, NumberStyles style, string expected) where T : INumber<T> =>
        !Parameters.TryGetValue(name, out var text) ? fallback
        : T.TryParse(text, style, CultureInfo.InvariantCulture, out var value) ? value
        : throw new ExchangeException(new ConfigurationError($"strategy {Id}: parameter {name} = '{text}' is not {expected}"));
}
