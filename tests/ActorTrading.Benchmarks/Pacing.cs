using System.Diagnostics;
using System.Globalization;

namespace ActorTrading.Benchmarks;

/// <summary>What the latency programs share: sending at a steady rate, percentiles, and their options.</summary>
internal static class Pacing
{
    /// <summary>
    /// Waits until the stopwatch is within a millisecond of <paramref name="due"/>, sleeping, never spinning: on two
    /// cores a sender that spins (or yields in a loop) takes the second core from the path it measures. Events go at
    /// most a millisecond early; their times are absolute, so the rate holds. Latencies are stamped when events are sent.
    /// </summary>
    public static async Task UntilAsync(long due)
    {
        while (due - Stopwatch.GetTimestamp() > Stopwatch.Frequency / 1000)
        {
            await Task.Delay(1);
        }
    }

    /// <summary>The stopwatch time of event <paramref name="index"/> at <paramref name="perSecond"/> from <paramref name="start"/>.</summary>
    public static long Due(long start, long index, double perSecond) => start + (long)(index / perSecond * Stopwatch.Frequency);

    /// <summary>Stopwatch ticks as microseconds.</summary>
    public static double Microseconds(long ticks) => ticks * 1_000_000.0 / Stopwatch.Frequency;

    /// <summary>The CPU time this process has used so far, every thread.</summary>
    public static TimeSpan ProcessCpu()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    /// <summary>
    /// How many cores the process keeps busy while nothing is sent (timers, polls), once it has settled: right after a
    /// warm-up the JIT's background thread recompiles the hot methods (tiered compilation) for seconds, so this waits
    /// (at most <paramref name="limit"/>) for a second under a tenth of a core, then measures over <paramref name="period"/>.
    /// </summary>
    public static async Task<double> IdleCpuAsync(TimeSpan period, TimeSpan limit)
    {
        var until = Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * Stopwatch.Frequency);
        while (await BusyAsync(TimeSpan.FromSeconds(1)) > 0.1 && Stopwatch.GetTimestamp() < until)
        {
        }

        return await BusyAsync(period);

        static async Task<double> BusyAsync(TimeSpan period)
        {
            var before = ProcessCpu();
            await Task.Delay(period);
            return (ProcessCpu() - before) / period;
        }
    }

    public static int Option(IReadOnlyList<string> args, string name, int fallback) =>
        OptionText(args, name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

    public static string? OptionText(IReadOnlyList<string> args, string name)
    {
        for (var i = 0; i + 1 < args.Count; i++)
        {
            if (args[i] == name)
            {
                return args[i + 1];
            }
        }

        return null;
    }
}

/// <summary>Latencies in microseconds, sorted: nearest-rank percentiles.</summary>
internal sealed class Percentiles
{
    private readonly double[] _sorted;

    public Percentiles(IEnumerable<double> microseconds) => _sorted = microseconds.Order().ToArray();

    public int Count => _sorted.Length;

    public double At(double quantile) => _sorted.Length == 0 ? double.NaN : _sorted[Math.Clamp((int)Math.Ceiling(quantile * _sorted.Length) - 1, 0, _sorted.Length - 1)];

    public double Max => _sorted.Length == 0 ? double.NaN : _sorted[^1];

    /// <summary>p50, p99, p99.9 and max in milliseconds, as one line.</summary>
    public string Describe() => Count == 0 ? "no samples"
        : string.Create(CultureInfo.InvariantCulture, $"p50 {At(0.5) / 1000:0.000} ms, p99 {At(0.99) / 1000:0.000} ms, p99.9 {At(0.999) / 1000:0.000} ms, max {Max / 1000:0.000} ms (n={Count})");
}
