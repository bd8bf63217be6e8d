using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ActorTrading.Runtime.Telemetry;

/// <summary>
/// The node's own instruments (<see cref="System.Diagnostics.Metrics"/>; the node's HTTP endpoint exports them to
/// Prometheus through OpenTelemetry). Recording with no listener costs a check; names follow OpenTelemetry's
/// conventions (dots, units), the exporter turns them into <c>actortrading_rest_request_duration_seconds</c> and so on.
/// Instruments are per process: nodes sharing one (tests) share their series.
/// </summary>
public static class NodeTelemetry
{
    public const string MeterName = "ActorTrading";

    private static readonly Meter Meter = new(MeterName);

    // Explicit, so the instruments exist once any member is used (Mailboxes.Watch calls only Tag): without it the type
    // is initialized at its first field read, and the observable gauges were missing until a counter was touched.
    static NodeTelemetry()
    {
    }

    /// <summary>Seconds from a tenth of a millisecond (a commit on loopback) to ten (a REST attempt's timeout).</summary>
    private static readonly InstrumentAdvice<double> Latency = new()
    {
        HistogramBucketBoundaries = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    };

    /// <summary>Seconds from a millisecond to ten minutes: how long a resting order waits for its first fill.</summary>
    private static readonly InstrumentAdvice<double> Waiting = new()
    {
        HistogramBucketBoundaries = [0.001, 0.005, 0.025, 0.1, 0.5, 1, 5, 15, 60, 300, 600],
    };

    /// <summary>Seconds from ten milliseconds (a gap mended by the next snapshot) to five minutes (a stalled feed found and replaced).</summary>
    private static readonly InstrumentAdvice<double> Recovery = new()
    {
        HistogramBucketBoundaries = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
    };

    /// <summary>Events per commit, one to the journal's largest batch.</summary>
    private static readonly InstrumentAdvice<int> BatchSizes = new() { HistogramBucketBoundaries = [1, 2, 5, 10, 20, 50, 100, 200, 500] };

    /// <summary>Every REST attempt's round trip, by venue, pool and status class (2xx, 4xx, 5xx, or error when no answer came).</summary>
    public static readonly Histogram<double> RestDuration = Meter.CreateHistogram("actortrading.rest.request.duration", "s",
        "Round trip of one REST attempt to a venue", advice: Latency);

    /// <summary>Answers that refused the pace (429, or the venue's own throttle code) or banned the IP (418), by venue and kind.</summary>
    public static readonly Counter<long> RestRefusals = Meter.CreateCounter<long>("actortrading.rest.refusals", "{answer}",
        "REST answers that throttled (429) or banned (418) this node");

    /// <summary>An order request (place, cancel, amend) sent → the venue's answer, by venue, market, route (rest, ws), kind and outcome.</summary>
    public static readonly Histogram<double> OrderRequestDuration = Meter.CreateHistogram("actortrading.order.request.duration", "s",
        "From sending an order request to the venue's answer (accepted, rejected or unknown)", advice: Latency);

    /// <summary>
    /// The order actor took the strategy's order → its acknowledgement (<c>stage=ack</c>) or first fill
    /// (<c>stage=first_fill</c>) is durable, by venue and market: the journal's commits and the venue's answer included.
    /// </summary>
    public static readonly Histogram<double> OrderRoundTrip = Meter.CreateHistogram("actortrading.order.round_trip", "s",
        "From an order's submission to its acknowledgement or first fill, journaled", advice: Waiting);

    /// <summary>Data messages the feeds' parsers produced, by venue (<c>venue.market</c>), feed and channel.</summary>
    public static readonly Counter<long> FeedMessages = Meter.CreateCounter<long>("actortrading.feed.channel.messages", "{message}",
        "Data messages parsed per feed and channel");

    /// <summary>Frames a feed could not read or the venue refused, by venue, feed and error code (protocol, api, …).</summary>
    public static readonly Counter<long> FeedErrors = Meter.CreateCounter<long>("actortrading.feed.errors", "{error}",
        "Frames a feed could not read, or errors the venue sent on it");

    /// <summary>A book thrown away and rebuilt (gap, crossed, checksum, reconnect), by venue and symbol.</summary>
    public static readonly Counter<long> BookResyncs = Meter.CreateCounter<long>("actortrading.book.resyncs", "{resync}",
        "Order books thrown away and rebuilt from a new snapshot");

    /// <summary>A book back to Synced after it left it (gap, crossed, checksum, stale, reconnect): how long it took, by venue and symbol.</summary>
    public static readonly Histogram<double> BookRecovery = Meter.CreateHistogram("actortrading.book.recovery.duration", "s",
        "From an order book leaving Synced to Synced again", advice: Recovery);

    /// <summary>One journal write (an order actor's events) from reaching the journal to durable, by store and outcome.</summary>
    public static readonly Histogram<double> JournalWriteDuration = Meter.CreateHistogram("actortrading.journal.write.duration", "s",
        "From an order actor's write reaching the journal to its commit", advice: Latency);

    /// <summary>Events per journal commit (group commit): how many writes shared one transaction and its fsync.</summary>
    public static readonly Histogram<int> JournalCommitEvents = Meter.CreateHistogram("actortrading.journal.commit.events", "{event}",
        "Events written by one journal commit", advice: BatchSizes);

    /// <summary>The part of each rate-limit window a venue's requests have used (0–1), by venue, pool and window.</summary>
    public static readonly ObservableGauge<double> RateBudgetUsed = Meter.CreateObservableGauge("actortrading.rate.budget.used",
        RateBudgets.Observe, null, "Part of each REST rate-limit window in use (1 = the next request waits)");

    /// <summary>Messages waiting in the mailboxes of the node's hot actors, by kind and actor.</summary>
    public static readonly ObservableGauge<int> MailboxDepth = Meter.CreateObservableGauge("actortrading.mailbox.depth",
        Mailboxes.Observe, "{message}", "Messages waiting in the mailbox of each hot actor (books, feeds, strategies, order desk, journal, order entry, REST gateways, rate limiters)");

    /// <summary>The seconds since <paramref name="startTimestamp"/> (a <see cref="Stopwatch.GetTimestamp"/>).</summary>
    public static double SecondsSince(long startTimestamp) => Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds;

    /// <summary>A tag (<c>name=value</c>) for the instruments above.</summary>
    public static KeyValuePair<string, object?> Tag(string name, object? value) => new(name, value);
}
