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

    /// <summary>The user's assembly that holds <see cref="Type"/> (a plug-in, loaded on its own); null for samples and types the node has.</summary>
    public string? AssemblyPath { get; init; }

    /// <summary>The cluster role of the nodes that may run it; null: any node.</summary>
    public string? Role { get; init; }

    public decimal Decimal(string name, decimal fallback) => Number(name, fallback, NumberStyles.Number, "a number");

    /// <summary>A number above zero (a size, a tick, a time).</summary>
    public decimal Positive(string name, decimal fallback) => InRange(Decimal(name, fallback), name, v => v > 0, "above zero");

    /// <summary>A number of zero or more (a spread, a threshold).</summary>
    public decimal NotNegative(string name, decimal fallback) => InRange(Decimal(name, fallback), name, v => v >= 0, "zero or more");

    public int Int(string name, int fallback) => Number(name, fallback, NumberStyles.Integer, "a whole number");

    /// <summary>A whole number of at least <paramref name="least"/>.</summary>
    public int AtLeast(string name, int fallback, int least) => InRange(Int(name, fallback), name, v => v >= least, $"at least {least}");

    public string Text(string name, string fallback) => Parameters.TryGetValue(name, out var text) ? text : fallback;

    private T Number<T>(string name, T fallback, NumberStyles style, string expected) where T : INumber<T> =>
        !Parameters.TryGetValue(name, out var text) ? fallback
        : T.TryParse(text, style, CultureInfo.InvariantCulture, out var value) ? value
        : throw new ExchangeException(new ConfigurationError($"strategy {Id}: parameter {name} = '{text}' is not {expected}"));

    private T InRange<T>(T value, string name, Func<T, bool> valid, string expected) where T : INumber<T> =>
        valid(value) ? value : throw new ExchangeException(new ConfigurationError(
            $"strategy {Id}: parameter {name} = {value.ToString(null, CultureInfo.InvariantCulture)} must be {expected}"));
}

/// <summary>
/// A strategy type that checks its parameters before it runs: the node calls <see cref="Validate"/> at start, so a bad
/// value stops the node with one line naming it, instead of failing the strategy at every restart.
/// </summary>
public interface IChecksParameters
{
    /// <summary>Reads every parameter as the strategy will; throws a configuration error for the first bad one.</summary>
    static abstract void Validate(StrategySettings settings);
}
