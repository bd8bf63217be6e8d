using System.Diagnostics;
using ActorTrading.Core.Orders;
using ActorTrading.Journal;
using ActorTrading.Node.Http;
using ActorTrading.TestExchange;

namespace ActorTrading.Soak;

/// <summary>
/// One soak: the simulated venues behind their fault proxies, one node streaming all of them with paper strategies,
/// faults for the duration, then a settling phase without faults and the checks against the venues' own truth.
/// </summary>
public sealed class SoakRun(SoakOptions options, TextWriter output)
{
    private static readonly TimeSpan SettleLimit = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan SampleEvery = TimeSpan.FromSeconds(5);
    private const int ComparedDepth = 10;

    public async Task<SoakReport> RunAsync(CancellationToken ct)
    {
        var folder = Directory.CreateTempSubdirectory("actortrading-soak-").FullName;
        var venues = await SoakVenues.StartAsync(options.Venues, options.Symbols, options.Seed, options.Speed).ConfigureAwait(false);
        try
        {
            var journal = Path.Combine(folder, "journal.db");
            var httpPort = SoakNode.FreePort();
            var config = SoakVenues.WriteNodeConfiguration(venues, folder, options.Speed, journal, httpPort);
            var started = Stopwatch.GetTimestamp();
            var memory = new List<SoakReport.MemorySample>();
            var counterparty = new SoakCounterparty(venues.Where(v => v.Orders is not null).Select(v => (v.Key, v.Orders!.Account)).ToArray(), options.Seed, options.Speed);
            using var trading = CancellationTokenSource.CreateLinkedTokenSource(ct);
            await using var node = await SoakNode.StartAsync(config, httpPort, SoakVenues.Credentials(venues), ct).ConfigureAwait(false);
            var filling = counterparty.RunAsync(trading.Token);
            await output.WriteLineAsync($"soak: {venues.Count} venues ({string.Join(", ", venues.Select(v => v.Key))}) × {options.Symbols} symbols, seed {options.Seed}, " +
                $"faults for {options.Duration.TotalSeconds:0} s at {options.Speed:0.#}× real time; node pid {node.ProcessId}, its output in {Path.Combine(folder, "node.log")}")
                .ConfigureAwait(false);

            // Faults for the duration; the node's process sampled as it goes.
            var lastProgress = Stopwatch.GetTimestamp();
            while (Stopwatch.GetElapsedTime(started) < options.Duration && !node.HasExited)
            {
                await Task.Delay(SampleEvery, ct).ConfigureAwait(false);
                memory.Add(await SampleAsync(node, started).ConfigureAwait(false));
                if (Stopwatch.GetElapsedTime(lastProgress) >= TimeSpan.FromSeconds(30))
                {
                    lastProgress = Stopwatch.GetTimestamp();
                    var status = await node.StatusAsync().ConfigureAwait(false);
                    await output.WriteLineAsync($"soak: {Stopwatch.GetElapsedTime(started).TotalSeconds:0} s, faults {venues.Sum(v => v.Proxy.InjectedCount)}, " +
                        $"books not synced {status?.Symbols.Count(b => b.Health is not (null or "Synced")) ?? -1}, counterparty fills {counterparty.Made.Fills}, " +
                        $"node RSS {memory[^1].RssMb:0} MB").ConfigureAwait(false);
                }
            }

            // No more faults or fills: every feed must come back and every book sync; then the venues stand still and
            // are compared. The order-entry venues' sockets are dropped once more, so that fills whose pushes were lost
            // are reconciled when the private streams come back.
            await trading.CancelAsync().ConfigureAwait(false);
            await filling.ConfigureAwait(false);
            foreach (var venue in venues)
            {
                venue.Proxy.Enabled = false;
                if (venue.Orders is not null)
                {
                    venue.Proxy.DropAll();
                }
            }

            await output.WriteLineAsync("soak: faults off, settling").ConfigureAwait(false);
            var settleStart = Stopwatch.GetTimestamp();
            IReadOnlyList<string> notSynced;
            StatusView? last;
            while (true)
            {
                notSynced = await NotSyncedAsync(venues, node).ConfigureAwait(false);
                last = await node.StatusAsync().ConfigureAwait(false);
                // A stalled socket looks healthy until the node notices the silence: wait for the stalls to end first.
                var feedsUp = last?.Feeds.All(f => f.State == "Streaming") == true && venues.All(v => v.Proxy.StalledSockets == 0);
                if ((notSynced.Count == 0 && feedsUp) || Stopwatch.GetElapsedTime(settleStart) > SettleLimit || node.HasExited)
                {
                    break;
                }

                await Task.Delay(500, ct).ConfigureAwait(false);
            }

            // What did not come back is judged now, before the venues stand still (a still book goes Stale in time).
            var settled = Stopwatch.GetElapsedTime(settleStart);
            var deadFeeds = node.HasExited ? ["the node's process exited"] : last?.Feeds.Where(f => f.State != "Streaming").Select(f => $"{f.Venue}/{f.Name} {f.State}: {f.LastProblem}").ToArray() ?? ["no status"];
            var reconnects = last?.Feeds.ToDictionary(f => $"{f.Venue}/{f.Name}", f => f.Reconnects) ?? new Dictionary<string, int>();
            await output.WriteLineAsync($"soak: settled in {settled.TotalSeconds:0} s{(notSynced.Count + deadFeeds.Length > 0 ? $" (not all: limit {SettleLimit.TotalSeconds:0} s)" : string.Empty)}; comparing books")
                .ConfigureAwait(false);
            foreach (var venue in venues)
            {
                venue.Simulated.Server.Paused = true;
            }

            await Task.Delay(1500, ct).ConfigureAwait(false);
            var (compared, resyncs, wrongBooks) = await CompareBooksAsync(venues, node).ConfigureAwait(false);
            var recovery = SoakNode.Histogram(await node.MetricsAsync().ConfigureAwait(false), "actortrading_book_recovery_duration_seconds");

            // The quoters cancel once their books stand still; the last answers and reconciliations land, then the node stops.
            var agreeBy = Stopwatch.GetTimestamp();
            while ((await CheckOrdersAsync(venues, journal, ct).ConfigureAwait(false)).Any(o => o.Differences.Count > 0)
                   && Stopwatch.GetElapsedTime(agreeBy) < SettleLimit)
            {
                await Task.Delay(1000, ct).ConfigureAwait(false);
            }

            var exit = await node.StopAsync().ConfigureAwait(false);
            if (exit != 0)
            {
                deadFeeds = [.. deadFeeds, $"the node exited with {exit} when stopped"];
            }

            return new SoakReport(options.Seed, options.Speed, Stopwatch.GetElapsedTime(started).TotalSeconds, venues.Select(v => v.Key).ToArray(),
                venues.ToDictionary(v => v.Key, v => (IReadOnlyDictionary<string, int>)v.Proxy.CountByKind().ToDictionary(c => c.Key.ToString(), c => c.Value)),
                reconnects, recovery, resyncs, compared, wrongBooks, deadFeeds, notSynced, await CheckJournalAsync(journal, ct).ConfigureAwait(false),
                await CheckOrdersAsync(venues, journal, ct).ConfigureAwait(false), counterparty.Made, memory);
        }
        finally
        {
            foreach (var venue in venues)
            {
                await venue.Proxy.DisposeAsync().ConfigureAwait(false);
                await venue.Simulated.DisposeAsync().ConfigureAwait(false);
                if (venue.Orders is not null)
                {
                    await venue.Orders.DisposeAsync().ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>The node's memory now: its process's RSS, and its managed heap and collections as it exports them.</summary>
    private static async Task<SoakReport.MemorySample> SampleAsync(SoakNode node, long started)
    {
        var rss = node.RssMb();
        var metrics = await node.MetricsAsync().ConfigureAwait(false);
        int Collections(string generation) => (int)SoakNode.Sum(metrics, "dotnet_gc_collections_total", $"gc_heap_generation=\"{generation}\"");
        return new SoakReport.MemorySample(Math.Round(Stopwatch.GetElapsedTime(started).TotalSeconds, 1), rss, node.AnonymousMb(),
            SoakNode.Sum(metrics, "dotnet_gc_last_collection_heap_size_bytes") / 1048576.0,
            SoakNode.Sum(metrics, "dotnet_gc_last_collection_memory_committed_size_bytes") / 1048576.0, Collections("gen0"), Collections("gen1"), Collections("gen2"));
    }

    /// <summary>The books not Synced now, as the node's book actors say, with their health.</summary>
    private static async Task<IReadOnlyList<string>> NotSyncedAsync(IReadOnlyList<SoakVenue> venues, SoakNode node)
    {
        var notSynced = new List<string>();
        foreach (var venue in venues)
        {
            foreach (var symbol in venue.Simulated.Server.Symbols)
            {
                if (await node.BookAsync(venue.Key, symbol, 1).ConfigureAwait(false) is { Health: not "Synced" } book)
                {
                    notSynced.Add($"{venue.Key}/{symbol} {book.Health} (seq {book.Sequence}, {book.Resyncs} resyncs)");
                }
            }
        }

        return notSynced;
    }

    /// <summary>
    /// Each book the node keeps against the paused venue's: the top levels, prices and sizes exact. A book still moving
    /// toward it (the last frames in flight) gets a few seconds.
    /// </summary>
    private static async Task<(int Compared, int Resyncs, IReadOnlyList<string> Wrong)> CompareBooksAsync(IReadOnlyList<SoakVenue> venues, SoakNode node)
    {
        var (compared, resyncs, wrong) = (0, 0, new List<string>());
        foreach (var venue in venues)
        {
            foreach (var symbol in venue.Simulated.Server.Symbols)
            {
                string? difference = "no book";
                NodeSources.BookJson? book = null;
                for (var attempt = 0; attempt < 10 && difference is not null; attempt++)
                {
                    book = await node.BookAsync(venue.Key, symbol, ComparedDepth).ConfigureAwait(false);
                    difference = book is null ? "no book" : Difference(book, venue.Simulated.Server.Book(symbol));
                    if (difference is not null)
                    {
                        await Task.Delay(500).ConfigureAwait(false);
                    }
                }

                if (book is null)
                {
                    continue;   // the node keeps no book of it (not subscribed)
                }

                compared++;
                resyncs += book.Resyncs;
                if (difference is not null)
                {
                    wrong.Add($"{venue.Key}/{symbol} ({book.Health}, seq {book.Sequence}): {difference}");
                }
            }
        }

        return (compared, resyncs, wrong);
    }

    private static string? Difference(NodeSources.BookJson book, (IReadOnlyList<(decimal Price, decimal Size)> Bids, IReadOnlyList<(decimal Price, decimal Size)> Asks) venue)
    {
        static string? Side(string name, decimal[][] node, IReadOnlyList<(decimal Price, decimal Size)> truth)
        {
            var expected = truth.Take(ComparedDepth).ToArray();
            for (var i = 0; i < Math.Max(node.Length, expected.Length); i++)
            {
                var have = i < node.Length ? (node[i][0], node[i][1]) : default((decimal, decimal)?);
                var want = i < expected.Length ? expected[i] : default((decimal, decimal)?);
                if (have != want)
                {
                    return $"{name}[{i}] is {have?.ToString() ?? "missing"}, the venue's {want?.ToString() ?? "missing"}";
                }
            }

            return null;
        }

        // A book of a venue standing still goes Stale after a while: its levels are still the ones to compare.
        return book.Health is not ("Synced" or "Stale") ? $"health {book.Health}" : Side("bid", book.Bids, venue.Bids) ?? Side("ask", book.Asks, venue.Asks);
    }

    /// <summary>Each order-entry venue's orders and fills against the journal's orders of the venue's live quoter.</summary>
    private static async Task<IReadOnlyList<SoakReport.OrderCheck>> CheckOrdersAsync(IReadOnlyList<SoakVenue> venues, string journal, CancellationToken ct)
    {
        var contents = await JournalRows.ReadAsync(JournalSettings.Parse("sqlite:" + journal, Environment.GetEnvironmentVariable), ct).ConfigureAwait(false);
        return venues.Where(v => v.Orders is not null).Select(v =>
        {
            var truth = v.Orders!.Account.Orders;
            var journaled = AuditReport.Orders(contents.Records, new AuditFilter(Strategy: v.LiveStrategy));
            var differences = VenueTruth.Differences(truth, journaled).ToList();
            if (truth.Count == 0)
            {
                differences.Add("no order reached the venue");
            }

            return new SoakReport.OrderCheck(v.Key, truth.Count, journaled.Count, truth.Sum(o => o.Fills.Count), differences);
        }).ToArray();
    }

    /// <summary>The journal after the node stopped: audit verify, and no fill recorded twice.</summary>
    private static async Task<SoakReport.JournalCheck> CheckJournalAsync(string journal, CancellationToken ct)
    {
        var contents = await JournalRows.ReadAsync(JournalSettings.Parse("sqlite:" + journal, Environment.GetEnvironmentVariable), ct).ConfigureAwait(false);
        var violations = contents.Violations();
        var fills = contents.Records.Select(r => r.Event).OfType<OrderEvents.FillRecorded>().ToArray();
        var twice = fills.Length - fills.Select(f => (f.ClientOrderId, f.TradeId)).Distinct().Count();
        return new SoakReport.JournalCheck(contents.Records.Select(r => r.PersistenceId).Distinct().Count(), fills.Length, twice, violations);
    }
}
