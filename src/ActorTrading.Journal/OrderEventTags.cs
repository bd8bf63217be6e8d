using System.Collections;
using System.Collections.Frozen;
using System.Collections.Immutable;
using ActorTrading.Core.Orders;

namespace ActorTrading.Journal;

/// <summary>
/// The tags every order event is journaled with, for EventsByTag queries: all order events, and by venue, symbol,
/// strategy and event kind. The journal keeps them in one column separated by ';', so a value never carries one.
/// </summary>
public static class OrderEventTags
{
    public const string All = "order-event";

    private static readonly FrozenDictionary<string, string> KindByManifest =
        JournalSerializer.Manifests.ToFrozenDictionary(m => m, m => "kind:" + m.Split('.')[0]);

    public static string Venue(string venue) => "venue:" + Clean(venue);

    public static string Symbol(string symbol) => "symbol:" + Clean(symbol);

    public static string Strategy(string strategy) => "strategy:" + Clean(strategy);

    /// <summary>The manifest without its version: <c>kind:fill-recorded</c>.</summary>
    public static string Kind(Type eventType) => KindByManifest[JournalSerializer.ManifestFor(eventType)];

    public static JournalTags For(OrderState? state, IJournalEvent e)
    {
        var (venue, symbol, strategy) = e is OrderEvents.Submitted s
            ? (s.Venue.Value, s.Symbol.Value, s.StrategyId)
            : (state!.Venue.Value, state.Symbol.Value, state.StrategyId);
        return new JournalTags([All, Venue(venue), Symbol(symbol), Strategy(strategy), Kind(e.GetType())]);
    }

    private static string Clean(string value) => value.Replace(';', '_');
}

/// <summary>
/// The tags of one journaled event, with the journal's tag column (<c>;a;b;</c>) built once. Akka's own tag set is
/// an <see cref="ImmutableHashSet{T}"/>, whose construction and enumeration cost more per event than writing the row;
/// this one is a small array. Operations that make a new set return an ordinary immutable set.
/// </summary>
public sealed class JournalTags : IImmutableSet<string>
{
    private readonly string[] _tags;

    /// <param name="tags">Distinct tags, none containing ';'.</param>
    public JournalTags(string[] tags)
    {
        _tags = tags;
        Column = tags.Length == 0 ? string.Empty : ";" + string.Join(';', tags) + ";";
    }

    /// <summary>The journal's tags column for these tags.</summary>
    public string Column { get; }

    /// <summary>The tags column for any tag set: cached for <see cref="JournalTags"/>, joined otherwise.</summary>
    public static string ColumnOf(IImmutableSet<string> tags) =>
        tags is JournalTags own ? own.Column : tags.Count == 0 ? string.Empty : ";" + string.Join(';', tags) + ";";

    public int Count => _tags.Length;

    public bool Contains(string value) => Array.IndexOf(_tags, value) >= 0;

    public bool TryGetValue(string equalValue, out string actualValue)
    {
        var index = Array.IndexOf(_tags, equalValue);
        actualValue = index >= 0 ? _tags[index] : equalValue;
        return index >= 0;
    }

    public IEnumerator<string> GetEnumerator() => ((IEnumerable<string>)_tags).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public IImmutableSet<string> Add(string value) => AsHashSet().Add(value);

    public IImmutableSet<string> Clear() => ImmutableHashSet<string>.Empty;

    public IImmutableSet<string> Except(IEnumerable<string> other) => AsHashSet().Except(other);

    public IImmutableSet<string> Intersect(IEnumerable<string> other) => AsHashSet().Intersect(other);

    public IImmutableSet<string> Remove(string value) => AsHashSet().Remove(value);

    public IImmutableSet<string> SymmetricExcept(IEnumerable<string> other) => AsHashSet().SymmetricExcept(other);

    public IImmutableSet<string> Union(IEnumerable<string> other) => AsHashSet().Union(other);

    public bool IsProperSubsetOf(IEnumerable<string> other) => AsHashSet().IsProperSubsetOf(other);

    public bool IsProperSupersetOf(IEnumerable<string> other) => AsHashSet().IsProperSupersetOf(other);

    public bool IsSubsetOf(IEnumerable<string> other) => AsHashSet().IsSubsetOf(other);

    public bool IsSupersetOf(IEnumerable<string> other) => AsHashSet().IsSupersetOf(other);

    public bool Overlaps(IEnumerable<string> other) => AsHashSet().Overlaps(other);

    public bool SetEquals(IEnumerable<string> other) => AsHashSet().SetEquals(other);

    private ImmutableHashSet<string> AsHashSet() => ImmutableHashSet.CreateRange(StringComparer.Ordinal, _tags);
}
