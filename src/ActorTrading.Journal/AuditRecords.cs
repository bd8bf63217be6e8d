using System.Globalization;
using ActorTrading.Core.Errors;
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

/// <summary>The audit a command asks a running node for (<c>audit --node</c>): the node reads its own journal.</summary>
public static class AuditProtocol
{
    /// <summary>One audit report (orders, fills, events, summary, verify) in a format (table, csv, json).</summary>
    public sealed record RunAudit(string Report, AuditFilter Filter, string Format) : IOrderWireMessage;

    /// <summary>What the command prints: its output, a warning for stderr, its exit code; or the error it ended with.</summary>
    public sealed record AuditOutput(string Output, string? Warning, int ExitCode, ExchangeError? Error = null) : IOrderWireMessage;
}
