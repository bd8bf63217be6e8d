using System.Globalization;
using ActorTrading.Core.Orders;

namespace ActorTrading.Journal;

/// <summary>One journaled event as the audit reads it: where it sits in the journal and what it says.</summary>
public sealed record JournalRecord(long Ordering, string PersistenceId, long SequenceNr, IJournalEvent Event)
{
    public string Manifest => JournalSerializer.ManifestFor(Event.GetType());
}

/// <summary>Which orders and times an audit looks at; unset filters match everything. Times are Unix ms, inclusive.</summary>
public sealed record AuditFilter(
    string? Venue = null, string? Symbol = null, string? Strategy = null, string? ClientOrderId = null, long? From = null, long? To = null, string? RunId = null)
{
    public bool Matches(OrderState order) =>
        (RunId is null || order.RunId == RunId)
        && (Venue is null || order.Venue.Value.Equals(Venue, StringComparison.OrdinalIgnoreCase))
        && (Symbol is null || order.Symbol.Value.Equals(Symbol, StringComparison.OrdinalIgnoreCase))
        && (Strategy is null || order.StrategyId == Strategy)
        && (ClientOrderId is null || order.ClientOrderId.Value == ClientOrderId);

    public bool InTime(long timestamp) => (From is null || timestamp >= From) && (To is null || timestamp <= To);

    /// <summary>A time option: Unix milliseconds or an ISO-8601 date/time (UTC unless it says otherwise).</summary>
    public static long? ParseTime(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms))
        {
            return ms;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time.ToUnixTimeMilliseconds()
            : throw new FormatException($"'{text}' is neither Unix milliseconds nor an ISO-8601 time");
    }
}
