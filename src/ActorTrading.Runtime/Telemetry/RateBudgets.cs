using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace ActorTrading.Runtime.Telemetry;

/// <summary>
/// The rate-limit windows' use as the limiter actors last saw it: each limiter writes its own windows (it alone may read
/// them), the metrics scrape reads what was written.
/// </summary>
public static class RateBudgets
{
    private static readonly ConcurrentDictionary<(object Owner, string Pool, TimeSpan Window), (string Venue, double Used)> Readings = new();

    /// <summary>The part of <paramref name="pool"/>'s <paramref name="window"/> in use, as <paramref name="owner"/> (a limiter) counts it.</summary>
    public static void Set(object owner, string venue, string pool, TimeSpan window, double used) => Readings[(owner, pool, window)] = (venue, used);

    /// <summary>The limiter stopped: its windows leave the metrics.</summary>
    public static void Forget(object owner)
    {
        foreach (var key in Readings.Keys.Where(k => ReferenceEquals(k.Owner, owner)))
        {
            Readings.TryRemove(key, out _);
        }
    }

    internal static IEnumerable<Measurement<double>> Observe() =>
        Readings.Select(r => new Measurement<double>(r.Value.Used,
            NodeTelemetry.Tag("venue", r.Value.Venue), NodeTelemetry.Tag("pool", r.Key.Pool), NodeTelemetry.Tag("window", $"{r.Key.Window.TotalSeconds:0.###}s")));
}
