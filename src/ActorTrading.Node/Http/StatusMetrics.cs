using System.Diagnostics.Metrics;
using ActorTrading.Core.Market;
using ActorTrading.Node.Hosting;

namespace ActorTrading.Node.Http;

/// <summary>
/// The node's state as metrics, read from the status view's latest snapshot when Prometheus scrapes (never from an
/// actor's own fields): messages and reconnects as counters, feed states and book health as 0/1 gauges, protocol
/// errors (the process's memory, GC and thread pool come from the runtime's own meter). One meter per node, disposed with it.
/// </summary>
public sealed class StatusMetrics : IDisposable
{
    public const string MeterName = "ActorTrading.Node";

    private static readonly string[] FeedStates = ["Streaming", "Connecting", "Backoff", "Stopped"];
    private readonly Meter _meter = new(MeterName);

    public StatusMetrics(StatusConsole status)
    {
        _meter.CreateObservableCounter("actortrading.feed.messages", () =>
            status.Last?.Symbols.Select(s => new Measurement<long>(s.Messages, Tag("venue", s.Venue), Tag("symbol", s.Symbol))) ?? [],
            "{message}", "Market data messages received per venue and symbol");
        _meter.CreateObservableCounter("actortrading.feed.reconnects", () =>
            status.Last?.Feeds.Select(f => new Measurement<long>(f.Reconnects, Tag("venue", f.Venue), Tag("feed", f.Feed))) ?? [],
            "{reconnect}", "Reconnects per feed");
        _meter.CreateObservableGauge("actortrading.feed.state", () =>
            status.Last?.Feeds.SelectMany(f => FeedStates.Select(state => new Measurement<int>(f.State == state ? 1 : 0, Tag("venue", f.Venue), Tag("feed", f.Feed), Tag("state", state)))) ?? [],
            null, "1 for the state each feed is in");
        _meter.CreateObservableGauge("actortrading.book.health", () =>
            status.Last?.Symbols.Where(s => s.Health is not null).SelectMany(s => Enum.GetValues<BookHealth>()
                .Select(health => new Measurement<int>(s.Health == health ? 1 : 0, Tag("venue", s.Venue), Tag("symbol", s.Symbol), Tag("health", health.ToString())))) ?? [],
            null, "1 for the health each book is in");
        _meter.CreateObservableCounter("actortrading.protocol.errors", () => status.Last?.ErrorCount ?? 0, "{error}", "Frames the adapters could not read");
    }

    public void Dispose() => _meter.Dispose();

    private static KeyValuePair<string, object?> Tag(string name, object value) => new(name, value);
}
