using System.Diagnostics;
using ActorTrading.Core.Orders;
using ActorTrading.Journal;
using ActorTrading.Node.Hosting;
using ActorTrading.Node.Http;
using ActorTrading.Runtime.Hosting;
using ActorTrading.TestExchange;
using Akka.Actor;
using Microsoft.Extensions.DependencyInjection;

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
            var configuration = NodeHost.LoadConfiguration(SoakVenues.WriteNodeConfiguration(venues, folder, options.Speed), new Dictionary<string, string?>
            {
                ["Journal:Store"] = "sqlite:" + journal,
                ["Http:Port"] = "0",
                ["Node:StatusIntervalSeconds"] = "1",
                ["Node:AddressFile"] = Path.Combine(folder, "node.address"),
                ["Logging:LogLevel:Default"] = "Critical",
            });
            var started = Stopwatch.GetTimestamp();
            var memory = new List<SoakReport.MemorySample>();
            SoakReport.Timing recovery;
            IReadOnlyList<string> wrongBooks, deadFeeds, notSynced;
            IReadOnlyDictionary<string, int> reconnects;
            int compared, resyncs;
            var counterparty = new SoakCounterparty(venues.Where(v => v.Orders is not null).Select(v => (v.Key, v.Orders!.Account)).ToArray(), options.Seed, options.Speed);
            using var trading = CancellationTokenSource.CreateLinkedTokenSource(ct);
            using (var host = NodeHost.Build(configuration, TextWriter.Null, SoakVenues.Environment(venues)))
            {
                await host.StartAsync(ct).ConfigureAwait(false);
                var filling = counterparty.RunAsync(trading.Token);
                var system = host.Services.GetRequiredService<ActorSystem>();
                var watch = system.ActorOf(BookWatch.Props(host.Services.GetRequiredService<MarketDataBusHolder>().Bus!), "soak-book-watch");
                var node = host.Services.GetRequiredService<NodeSources>();
                await output.WriteLineAsync($"soak: {venues.Count} venues ({string.Join(", ", venues.Select(v => v.Key))}) × {options.Symbols} symbols, seed {options.Seed}, " +
                    $"faults for {options.Duration.TotalSeconds:0} s at {options.Speed:0.#}× real time").ConfigureAwait(false);

                // Faults for the duration; the process sampled as it goes.
                var lastProgress = Stopwatch.GetTimestamp();
                while (Stopwatch.GetElapsedTime(started) < options.Duration)
                {
                    await Task.Delay(SampleEvery, ct).ConfigureAwait(false);
                    memory.Add(Sample(started));
                    if (Stopwatch.GetElapsedTime(lastProgress) >= TimeSpan.FromSeconds(30))
                    {
                        lastProgress = Stopwatch.GetTimestamp();
                        var so = await watch.Ask<BookWatch.Recoveries>(BookWatch.GetRecoveries.Instance, TimeSpan.FromSeconds(5)).ConfigureAwait(false);
                        await output.WriteLineAsync($"soak: {Stopwatch.GetElapsedTime(started).TotalSeconds:0} s, faults {venues.Sum(v => v.Proxy.InjectedCount)}, " +
                            $"recoveries {so.Done.Count}, books not synced {so.NotSynced.Count}, RSS {memory[^1].RssMb:0} MB").ConfigureAwait(false);
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
                BookWatch.Recoveries watched;
                while (true)
                {
                    watched = await watch.Ask<BookWatch.Recoveries>(BookWatch.GetRecoveries.Instance, TimeSpan.FromSeconds(5)).ConfigureAwait(false);
                    notSynced = await NotSyncedAsync(venues, node, watched).ConfigureAwait(false);
                    // A stalled socket looks healthy until the node notices the silence: wait for the stalls to end first.
                    var feedsUp = node.Status.Last?.Feeds.All(f => f.State == "Streaming") == true && venues.All(v => v.Proxy.StalledSockets == 0);
                    if ((notSynced.Count == 0 && feedsUp) || Stopwatch.GetElapsedTime(settleStart) > SettleLimit)
                    {
                        break;
                    }

                    await Task.Delay(500, ct).ConfigureAwait(false);
                }

                // What did not come back is judged now, before the venues stand still (a still book goes Stale in time).
                var settled = Stopwatch.GetElapsedTime(settleStart);
                var status = node.Status.Last;
                deadFeeds = status?.Feeds.Where(f => f.State != "Streaming").Select(f => $"{f.Venue}/{f.Feed} {f.State}: {f.LastProblem}").ToArray() ?? ["no status"];
                reconnects = status?.Feeds.ToDictionary(f => $"{f.Venue}/{f.Feed}", f => f.Reconnects) ?? new Dictionary<string, int>();
                await output.WriteLineAsync($"soak: settled in {settled.TotalSeconds:0} s{(notSynced.Count + deadFeeds.Count > 0 ? $" (not all: limit {SettleLimit.TotalSeconds:0} s)" : string.Empty)}; comparing books")
                    .ConfigureAwait(false);
                foreach (var venue in venues)
                {
                    venue.Simulated.Server.Paused = true;
                }

                await Task.Delay(1500, ct).ConfigureAwait(false);
                (compared, resyncs, wrongBooks) = await CompareBooksAsync(venues, node).ConfigureAwait(false);
                recovery = SoakReport.Timing.Of(watched.Done.Select(r => r.Took));

                // The quoters cancel once their books stand still; the last answers and reconciliations land, then the node stops.
                var agreeBy = Stopwatch.GetTimestamp();
                while ((await CheckOrdersAsync(venues, journal, ct).ConfigureAwait(false)).Any(o => o.Differences.Count > 0)
                       && Stopwatch.GetElapsedTime(agreeBy) < SettleLimit)
                {
                    await Task.Delay(1000, ct).ConfigureAwait(false);
                }

                await host.StopAsync(CancellationToken.None).ConfigureAwait(false);
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

    private static SoakReport.MemorySample Sample(long started)
    {
        using var process = Process.GetCurrentProcess();
        return new SoakReport.MemorySample(Math.Round(Stopwatch.GetElapsedTime(started).TotalSeconds, 1), process.WorkingSet64 / 1048576.0, GC.GetTotalMemory(false) / 1048576.0,
            GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
    }

    /// <summary>
    /// The books not Synced now, as their own actors say (the bus's health events, which the watch saw, only explain
    /// why: the watch's last reason for the book, or that the watch never heard the change).
    /// </summary>
    private static async Task<IReadOnlyList<string>> NotSyncedAsync(IReadOnlyList<SoakVenue> venues, NodeSources node, BookWatch.Recoveries watched)
    {
        var notSynced = new List<string>();
        foreach (var venue in venues)
        {
            foreach (var symbol in venue.Simulated.Server.Symbols)
            {
                if (await node.BookAsync(venue.Key, symbol, 1).ConfigureAwait(false) is { Health: not "Synced" } book)
                {
                    var name = $"{venue.Key}/{symbol}";
                    var seen = watched.NotSynced.FirstOrDefault(w => w.StartsWith(name + " ", StringComparison.Ordinal));
                    notSynced.Add($"{name} {book.Health}: {seen ?? "no change seen on the bus"}");
                }
            }
        }

        var missed = watched.NotSynced.Where(w => !notSynced.Any(n => w.StartsWith(n.Split(' ')[0] + " ", StringComparison.Ordinal))).ToArray();
        return missed.Length == 0 ? notSynced : [.. notSynced, .. missed.Select(m => $"{m}: Synced by its actor, not by the bus's last health event")];
    }

    /// <summary>
    /// Each book the node keeps against the paused venue's: the top levels, prices and sizes exact. A book still moving
    /// toward it (the last frames in flight) gets a few seconds.
    /// </summary>
    private static async Task<(int Compared, int Resyncs, IReadOnlyList<string> Wrong)> CompareBooksAsync(IReadOnlyList<SoakVenue> venues, NodeSources node)
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
