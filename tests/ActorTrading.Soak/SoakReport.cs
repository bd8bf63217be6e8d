using System.Text.Json;
using System.Text.Json.Serialization;

namespace ActorTrading.Soak;

/// <summary>What a soak found, as it prints it and writes it as JSON.</summary>
public sealed record SoakReport(
    int Seed,
    double Speed,
    double Seconds,
    IReadOnlyList<string> Venues,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> FaultsByVenue,
    IReadOnlyDictionary<string, int> Reconnects,
    SoakReport.Timing Recovery,
    int Resyncs,
    int BooksCompared,
    IReadOnlyList<string> WrongBooks,
    IReadOnlyList<string> DeadFeeds,
    IReadOnlyList<string> BooksNotSynced,
    SoakReport.JournalCheck Journal,
    IReadOnlyList<SoakReport.OrderCheck> Orders,
    SoakReport.CounterpartyFills Counterparty,
    IReadOnlyList<SoakReport.MemorySample> Memory)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.Never };

    /// <summary>
    /// Books back to Synced after they left it: how many, and how long they took (ms), from the node's
    /// <c>actortrading_book_recovery_duration_seconds</c> histogram (quantiles interpolated in their bucket, the maximum a
    /// bucket's upper bound).
    /// </summary>
    public sealed record Timing(int Count, double P50Ms, double P99Ms, double MaxMs)
    {
        public static Timing Of(IEnumerable<TimeSpan> samples)
        {
            var sorted = samples.Select(s => s.TotalMilliseconds).Order().ToArray();
            double At(double q) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
            return new Timing(sorted.Length, At(0.5), At(0.99), sorted.Length == 0 ? 0 : sorted[^1]);
        }
    }

    /// <summary>The journal after the run: audit verify's violations, and the orders and fills it holds.</summary>
    public sealed record JournalCheck(int Orders, int Fills, int DuplicateFills, IReadOnlyList<string> Violations);

    /// <summary>The fills the counterparty made on the fakes, how many of their pushes it dropped and how many it sent twice.</summary>
    public sealed record CounterpartyFills(int Fills, int Lost, int Twice);

    /// <summary>A venue's orders at its fake against the journal: how many each has, the venue's fills, and what differs.</summary>
    public sealed record OrderCheck(string Venue, int VenueOrders, int JournalOrders, int VenueFills, IReadOnlyList<string> Differences);

    /// <summary>
    /// The node's process at one moment of the run (the venues, fakes and proxies run in the soak's own): its RSS and the
    /// anonymous part of it (Linux's <c>RssAnon</c>; null elsewhere), its managed heap after the last collection, the
    /// memory the GC had committed then, and its collections by generation, as it exports them. Anonymous memory growing
    /// while the heap and committed stay flat points outside the GC (native allocations, allocator arenas).
    /// </summary>
    public sealed record MemorySample(double AtSeconds, double RssMb, double? AnonMb, double HeapMb, double CommittedMb, int Gen0, int Gen1, int Gen2);

    /// <summary>
    /// How RSS moved per hour (least squares over the samples after the first tenth of the run, the warm-up): flat is
    /// what a node that runs for weeks needs.
    /// </summary>
    public double RssSlopeMbPerHour
    {
        get
        {
            var steady = Memory.Where(m => m.AtSeconds >= Seconds / 10).ToArray();
            if (steady.Length < 3)
            {
                return 0;
            }

            var (meanT, meanR) = (steady.Average(m => m.AtSeconds), steady.Average(m => m.RssMb));
            var spread = steady.Sum(m => (m.AtSeconds - meanT) * (m.AtSeconds - meanT));
            return spread == 0 ? 0 : Math.Round(steady.Sum(m => (m.AtSeconds - meanT) * (m.RssMb - meanR)) / spread * 3600, 1);
        }
    }

    public bool Passed => WrongBooks.Count == 0 && DeadFeeds.Count == 0 && BooksNotSynced.Count == 0 && Journal.Violations.Count == 0 && Journal.DuplicateFills == 0
        && Orders.All(o => o.Differences.Count == 0);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>The report as lines of text.</summary>
    public IEnumerable<string> Lines()
    {
        var faults = FaultsByVenue.Values.SelectMany(v => v).GroupBy(f => f.Key).Select(g => $"{g.Key}={g.Sum(f => f.Value)}");
        yield return $"soak: seed {Seed}, {Seconds:0} s at {Speed:0.#}× real time, venues {string.Join(", ", Venues)}";
        yield return $"faults injected: {string.Join(" ", faults)}";
        yield return $"reconnects: {Reconnects.Values.Sum()} ({string.Join(", ", Reconnects.Where(r => r.Value > 0).Select(r => $"{r.Key} {r.Value}"))})";
        yield return $"book recoveries: {Recovery.Count}, p50 {Recovery.P50Ms:0} ms, p99 {Recovery.P99Ms:0} ms, max {Recovery.MaxMs:0} ms; resyncs {Resyncs}";
        yield return $"books compared with the venue's: {BooksCompared}, wrong {WrongBooks.Count}{string.Concat(WrongBooks.Select(w => "\n  " + w))}";
        yield return $"dead feeds: {DeadFeeds.Count}{string.Concat(DeadFeeds.Select(d => "\n  " + d))}; books not synced at the end: {BooksNotSynced.Count} {string.Join(", ", BooksNotSynced)}";
        yield return $"journal: {Journal.Orders} orders, {Journal.Fills} fills, {Journal.DuplicateFills} fills twice, {Journal.Violations.Count} audit violations{string.Concat(Journal.Violations.Take(5).Select(v => "\n  " + v))}";
        yield return $"orders on the fakes: {string.Join(", ", Orders.Select(o => $"{o.Venue} {o.VenueOrders} at the venue / {o.JournalOrders} journaled, {o.VenueFills} fills"))}; " +
            $"counterparty fills {Counterparty.Fills} ({Counterparty.Lost} pushes lost, {Counterparty.Twice} sent twice); differences {Orders.Sum(o => o.Differences.Count)}" +
            string.Concat(Orders.SelectMany(o => o.Differences.Take(5).Select(d => $"\n  {o.Venue} {d}")));
        if (Memory.Count > 0)
        {
            var (first, last) = (Memory[0], Memory[^1]);
            yield return $"memory: RSS {first.RssMb:0} MB → {last.RssMb:0} MB (max {Memory.Max(m => m.RssMb):0}, slope {RssSlopeMbPerHour:0.#} MB/h after warm-up), anonymous {first.AnonMb:0} → {last.AnonMb:0} MB, " +
                $"heap {first.HeapMb:0} → {last.HeapMb:0} MB, GC committed {first.CommittedMb:0} → {last.CommittedMb:0} MB, " +
                $"GCs gen0 {last.Gen0} gen1 {last.Gen1} gen2 {last.Gen2}";
        }

        yield return Passed ? "soak passed" : "soak FAILED";
    }
}
