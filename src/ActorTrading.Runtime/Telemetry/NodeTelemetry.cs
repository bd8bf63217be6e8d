using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ActorTrading.Runtime.Telemetry;

/// <summary>
/// The node's own instruments (<see cref="System.Diagnostics.Metrics"/>; the node's HTTP endpoint exports them to
/// Prometheus through OpenTelemetry). Recording with no listener costs a check; names follow OpenTelemetry's
/// conventions (dots, units), the exporter turns them into <c>actortrading_rest_request_duration_seconds</c> and so on.
/// </summary>
public static class NodeTelemetry
{
    public const string MeterName = "ActorTrading";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Seconds from half a millisecond (an order on loopback) to ten (a REST attempt's timeout).</summary>
    private static readonly InstrumentAdvice<double> Latency = new() { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] };

    /// <summary>Every REST attempt's round trip, by venue, pool and status class (2xx, 4xx, 5xx, or error when no answer came).</summary>
    public static readonly Histogram<double> RestDuration = Meter.CreateHistogram("actortrading.rest.request.duration", "s",
        "Round trip of one REST attempt to a venue", advice: Latency);

    /// <summary>Answers that refused the pace (429, or the venue's own throttle code) or banned the IP (418), by venue and kind.</summary>
    public static readonly Counter<long> RestRefusals = Meter.CreateCounter<long>("actortrading.rest.refusals", "{answer}",
        "REST answers that throttled (429) or banned (418) this node");

    /// <summary>An order request (place, cancel, amend) sent → the venue's answer, by venue, market, route (rest, ws), kind and outcome.</summary>
    public static readonly Histogram<double> OrderRequestDuration = Meter.CreateHistogram("actortrading.order.request.duration", "s",
        "From sending an order request to the venue's answer (accepted, rejected or unknown)", advice: Latency);

    /// <summary>The seconds since <paramref name="startTimestamp"/> (a <see cref="Stopwatch.GetTimestamp"/>).</summary>
    public static double SecondsSince(long startTimestamp) => Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds;
}
