using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text.Json;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Core.Orders;
using ActorTrading.Journal;
using ActorTrading.Node.Hosting;
using ActorTrading.Runtime.Bus;
using ActorTrading.Runtime.Hosting;
using ActorTrading.Strategies;
using ActorTrading.TestExchange;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ActorTrading.Benchmarks;

/// <summary>
/// <c>orders</c>: the order path of a running node (built as <c>actortrading run</c> builds it: a cluster member of one,
/// the order desk singleton, order entities, the journal with group commit) on loopback against the KuCoin Futures fake
/// account, on SQLite (full fsync) and PostgreSQL. Strategies (<see cref="StrategyActor"/>s in the node's actor system)
/// place limit orders at a steady rate; each is timed from the strategy's decision (just before
/// <c>Place</c>) to its signed request reaching the fake's handler (the wire), and to the acknowledgement reaching the
/// strategy. The way back: the fake pushes a fill on the private socket, timed to the strategy's callback with the
/// journaled fill. Then the rate is raised across eight strategies until the wire's p99 passes 5 ms; and the paper venue's
/// path, decision to paper fill at the strategy. The disk's own fsync time is measured beside the SQLite journal.
/// </summary>
/// <remarks>
/// <c>dotnet run -c Release --project tests/ActorTrading.Benchmarks -- orders [--rate 200] [--seconds 20]
/// [--journal sqlite,postgres] [--steps 500,1000,…] [--report FILE]</c>; PostgreSQL runs when <c>ACTORTRADING_TEST_POSTGRES</c> names a server
/// (<c>bash .ci/postgres start DIR</c>). The fake tells the node a large request quota (<c>gw-ratelimit-limit</c>), as
/// the venue tells a high-tier account: the figures measure the node, not a VIP0 account's 2,000 requests per 30 s.
/// </remarks>
public static class OrderPathLatency
{
    internal static readonly Symbol Xbt = new("XBTUSDTM");
    internal static readonly Symbol Eth = new("ETHUSDTM");

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        var rate = Pacing.Option(args, "--rate", 200);
        var seconds = Pacing.Option(args, "--seconds", 20);
        var report = Pacing.OptionText(args, "--report");
        var steps = (Pacing.OptionText(args, "--steps") ?? "500,1000,1500,2000,3000,4000").Split(',').Select(int.Parse).ToArray();
        var results = new Dictionary<string, object>();
        foreach (var provider in (Pacing.OptionText(args, "--journal") ?? "sqlite,postgres").Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            if (provider == "postgres" && Environment.GetEnvironmentVariable(PostgresJournalDatabase.Variable) is not { Length: > 0 })
            {
                Console.WriteLine($"postgres: skipped (set {PostgresJournalDatabase.Variable}, e.g. from `bash .ci/postgres start DIR`)");
                continue;
            }

            results[provider] = await MeasureAsync(provider, rate, seconds, steps);
        }

        if (report is not null)
        {
            await File.WriteAllTextAsync(report, JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true }));
        }

        return 0;
    }

    private static async Task<Dictionary<string, object>> MeasureAsync(string provider, int rate, int seconds, int[] steps)
    {
        var figures = new Dictionary<string, object>();
        await using var node = await BenchNode.StartAsync(provider);
        Console.WriteLine($"{provider}: {node.Journal.Describe()}{(provider == "sqlite" ? $" (PRAGMA synchronous = {node.SqliteSynchronous()}, 2 = FULL)" : string.Empty)}");
        if (provider == "sqlite")
        {
            var fsync = DiskSync(Path.GetDirectoryName(node.Journal.Describe())!);
            Console.WriteLine($"  the disk's fsync (4 KiB written, then fsync'd, 200 times in the journal's folder): {fsync.Describe()}");
            figures["fsync"] = Summary(fsync);
        }

        var live = node.Probes("live", 1, paper: false);
        await node.WarmUpAsync(live, Xbt, 60000.5m);
        if (provider == "sqlite")
        {
            var commit = await BareCommitAsync(node.Journal.ConnectionString, rate, 1000);
            Console.WriteLine($"  a bare SQLite commit of one journal row (the journal's own table and indexes, a copy of its last row; WAL, synchronous = FULL, same folder), {rate}/s: {commit.Describe()}");
            figures["bareCommit"] = Summary(commit);
        }

        await node.TransportAsync(rate, 2000);
        await node.TransportAsync(2000, 4000, overlapping: true);
        var idle = await Pacing.IdleCpuAsync(TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(60));
        Console.WriteLine($"  idle (node and fake waiting): {idle:0.000} cores busy");
        var transport = await node.TransportAsync(rate, rate * seconds / 2);
        Console.WriteLine($"  the transport alone (the same signed request built and sent by RestClient, no actors, no journal → the fake's handler), {rate}/s: {transport.Times.Describe()}; " +
            $"CPU {transport.CpuPerOrder:0} µs per order (client + fake)");
        figures["transport"] = Summary(transport.Times);
        var (chain, perHop) = await HandOffFloor.MeasureAsync(node.System, rate, rate * seconds / 2);
        Console.WriteLine($"  the node's dispatcher: one message through {HandOffFloor.Hops} idle actors, {rate}/s: {chain.Describe()}; per hand-off p50 {perHop.At(0.5):0} µs, p99 {perHop.At(0.99):0} µs");
        figures["handOff"] = new { hops = HandOffFloor.Hops, chain = Summary(chain), perHopP50Us = perHop.At(0.5), perHopP99Us = perHop.At(0.99) };
        using var stages = new NodeStages();
        stages.Take();

        var steady = await node.PlaceAsync(live, Xbt, 60000.5m, rate, rate * seconds);
        Console.WriteLine($"  {rate} orders/s for {seconds} s (achieved {steady.Achieved:N0}/s), {steady.Refused} refused:");
        Console.WriteLine($"    decision → signed request at the venue: {steady.ToWire.Describe()}");
        Console.WriteLine($"    decision → acknowledged at the strategy: {steady.ToAck.Describe()}");
        Console.WriteLine($"    CPU {steady.CpuPerOrder:0} µs per order (node + fake), of which the transport alone {transport.CpuPerOrder:0} µs");
        var inside = stages.Take();
        foreach (var (stage, times) in inside.OrderBy(s => s.Key))
        {
            Console.WriteLine($"      the node's {stage}: {times.Describe()}");
        }
        var back = await node.FillAsync(steady, rate);
        Console.WriteLine($"    fill pushed on the private socket → journaled → strategy callback: {back.Describe()}");
        figures["steady"] = new
        {
            rate,
            seconds,
            achieved = steady.Achieved,
            toWire = Summary(steady.ToWire),
            toAck = Summary(steady.ToAck),
            cpuPerOrderUs = steady.CpuPerOrder,
            transportCpuPerOrderUs = transport.CpuPerOrder,
            idleCores = idle,
            fillBack = Summary(back),
            stages = inside.ToDictionary(s => s.Key, s => Summary(s.Value)),
        };

        // Raised step by step across eight strategies: the best rate whose p99 to the venue stays within 5 ms, and the
        // highest the node carries at all (every order sent at the pace and acknowledged).
        var many = node.Probes("many", 8, paper: false);
        var sustained = new List<object>();
        var (within5Ms, carried, stillFast) = (0, 0, true);
        foreach (var step in steps)
        {
            // Carried: every order acknowledged within 2 s of the last decision, and 99 % within a second of their decision (no backlog).
            await Pacing.IdleCpuAsync(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
            using var peaks = new MailboxPeaks();
            var run = await node.PlaceAsync(many, Xbt, 60000.5m, step, step * 5, wait: TimeSpan.FromSeconds(2));
            var all = run.Achieved >= step * 0.95 && run.Refused == 0 && run.AnsweredCount == step * 5 && run.ToAck.At(0.99) <= 1_000_000;
            var fast = all && run.ToWire.At(0.99) <= 5000;
            Console.WriteLine($"  {step:N0} orders/s over 8 strategies (achieved {run.Achieved:N0}/s, {run.AnsweredCount:N0} of {step * 5:N0} acknowledged): to the venue {run.ToWire.Describe()}" +
                $"; acknowledged {run.ToAck.Describe()}; CPU {run.CpuPerOrder:0} µs per order{(all ? string.Empty : " — not carried")}");
            Console.WriteLine($"    deepest mailboxes: {peaks.Describe()}");
            var alone = await node.TransportAsync(step, step * 5, overlapping: true);
            Console.WriteLine($"    the transport alone at {step:N0}/s (overlapping requests, achieved {alone.Achieved:N0}/s): {alone.Times.Describe()}; CPU {alone.CpuPerOrder:0} µs per order");
            sustained.Add(new
            {
                rate = step,
                achieved = run.Achieved,
                answered = run.AnsweredCount,
                toWire = Summary(run.ToWire),
                toAck = Summary(run.ToAck),
                cpuPerOrderUs = run.CpuPerOrder,
                transport = new { achieved = alone.Achieved, times = Summary(alone.Times), cpuPerOrderUs = alone.CpuPerOrder },
            });
            stillFast &= fast;
            within5Ms = stillFast ? step : within5Ms;
            if (!all)
            {
                await run.WaitAsync(c => c.AnsweredCount + c.Refused >= step * 5, TimeSpan.FromSeconds(120));   // let the backlog drain before the paper run
                break;
            }

            carried = step;
        }

        Console.WriteLine($"  sustained: {within5Ms:N0} orders/s with p99 to the venue ≤ 5 ms; {carried:N0} orders/s carried");
        figures["sustained"] = new { within5Ms, carried, steps = sustained };

        var paper = node.Probes("paper", 1, paper: true);
        node.PublishTop(Eth, 2000.5m);
        await node.WarmUpAsync(paper, Eth, 2001m);
        var onPaper = await node.PlaceAsync(paper, Eth, 2001m, rate, rate * seconds);
        await onPaper.WaitAsync(c => c.FilledCount >= onPaper.Placed - onPaper.Refused, TimeSpan.FromSeconds(60));
        var paperFills = new Percentiles(onPaper.Indices().Where(i => onPaper.Filled[i] > 0).Select(i => Pacing.Microseconds(onPaper.Filled[i] - onPaper.Decided[i])));
        Console.WriteLine($"  paper: decision → paper fill journaled → strategy callback at {rate} orders/s: {paperFills.Describe()}");
        figures["paper"] = Summary(paperFills);
        return figures;
    }

    private static object Summary(Percentiles p) => new { count = p.Count, p50Ms = p.At(0.5) / 1000, p99Ms = p.At(0.99) / 1000, p999Ms = p.At(0.999) / 1000, maxMs = p.Max / 1000 };

    /// <summary>
    /// What SQLite itself takes to make one journal row durable, with no actor and no journal plugin: a file beside the
    /// journal with the journal table's own schema (its indexes are pages every commit writes), one transaction per row,
    /// each row a copy of the journal's last one, at the measurement's rate.
    /// </summary>
    private static async Task<Percentiles> BareCommitAsync(string journalConnectionString, int perSecond, int count)
    {
        var journalFile = new SqliteConnectionStringBuilder(journalConnectionString).DataSource;
        var path = Path.Combine(Path.GetDirectoryName(journalFile)!, "commit-probe.db");
        var times = new List<double>();
        using (var journal = new SqliteConnection(journalConnectionString))
        using (var probe = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString()))
        {
            journal.Open();
            probe.Open();
            Execute(probe, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;");
            using (var schema = journal.CreateCommand())
            {
                schema.CommandText = "SELECT sql FROM sqlite_master WHERE tbl_name = 'journal' AND sql IS NOT NULL ORDER BY type DESC";
                using var reader = schema.ExecuteReader();
                while (reader.Read())
                {
                    Execute(probe, reader.GetString(0));
                }
            }

            // The template row is read once; each commit then writes only its own file, as the journal's writer does.
            using var insert = probe.CreateCommand();
            insert.CommandText = "INSERT INTO journal (created, deleted, persistence_id, sequence_number, message, tags, manifest, identifier, writer_uuid) "
                + "VALUES ($created, $deleted, $pid, $seq, $message, $tags, $manifest, $identifier, $writer)";
            using (var last = journal.CreateCommand())
            {
                last.CommandText = "SELECT created, deleted, persistence_id, sequence_number, message, tags, manifest, identifier, writer_uuid FROM journal ORDER BY ordering DESC LIMIT 1";
                using var row = last.ExecuteReader();
                if (!row.Read())
                {
                    throw new InvalidOperationException("the journal has no row to copy: the warm-up journaled nothing");
                }

                foreach (var (name, ordinal) in new[] { ("$created", 0), ("$deleted", 1), ("$pid", 2), ("$seq", 3), ("$message", 4), ("$tags", 5), ("$manifest", 6), ("$identifier", 7), ("$writer", 8) })
                {
                    insert.Parameters.AddWithValue(name, row.GetValue(ordinal));
                }
            }

            var pid = insert.Parameters["$pid"];
            var template = (string)pid.Value!;
            insert.Prepare();
            void Commit(int i)
            {
                using var transaction = probe.BeginTransaction();
                insert.Transaction = transaction;
                pid.Value = template + "-" + i.ToString(CultureInfo.InvariantCulture);
                insert.ExecuteNonQuery();
                transaction.Commit();
            }

            // Steady state first, as a running node's journal is: the write-ahead log grown past its checkpoint (1,000
            // pages), so commits rewrite its blocks instead of growing a new file.
            for (var i = 0; i < 1500; i++)
            {
                Commit(-1 - i);
            }

            var start = Stopwatch.GetTimestamp();
            for (var i = 0; i < count; i++)
            {
                await Pacing.UntilAsync(Pacing.Due(start, i, perSecond));
                var started = Stopwatch.GetTimestamp();
                Commit(i);
                times.Add(Pacing.Microseconds(Stopwatch.GetTimestamp() - started));
            }
        }

        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            File.Delete(file);
        }

        return new Percentiles(times);

        static void Execute(SqliteConnection connection, string sql)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.ExecuteNonQuery();
        }
    }

    /// <summary>What the disk under the journal takes to make a small write durable, as SQLite's commit must.</summary>
    private static Percentiles DiskSync(string folder)
    {
        var path = Path.Combine(folder, "fsync-probe.bin");
        var block = new byte[4096];
        var times = new List<double>();
        using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.None))
        {
            for (var i = 0; i < 200; i++)
            {
                var started = Stopwatch.GetTimestamp();
                file.Write(block);
                file.Flush(flushToDisk: true);
                times.Add(Pacing.Microseconds(Stopwatch.GetTimestamp() - started));
            }
        }

        File.Delete(path);
        return new Percentiles(times);
    }

    /// <summary>A node on the KuCoin Futures fake, with its journal, and the strategies the measurement drives.</summary>
    internal sealed class BenchNode : IAsyncDisposable
    {
        private readonly FakeKuCoinVenue _venue;
        private readonly JournalDatabase _database;
        private readonly IHost _host;
        private long _nextTrade = 1;

        private BenchNode(FakeKuCoinVenue venue, JournalDatabase database, IHost host)
        {
            (_venue, _database, _host) = (venue, database, host);
            System = host.Services.GetRequiredService<ActorSystem>();
            Gateway = host.Services.GetRequiredService<IRequiredActor<OrderGateway>>().ActorRef;
            Bus = host.Services.GetRequiredService<MarketDataBusHolder>().Bus!;
        }

        public FakeKuCoinAccount Account => _venue.Account;

        public ActorSystem System { get; }

        public IActorRef Gateway { get; }

        public IMarketDataBus Bus { get; }

        public JournalSettings Journal => _database.Settings;

        public static async Task<BenchNode> StartAsync(string provider)
        {
            var venue = await FakeKuCoinVenue.StartAsync();
            venue.Account.QuotaLimit = 1_000_000;
            venue.Rest.Server.SetMaxRequestLogCount(100);   // the fake shares the process: no request log growing with the run
            var database = JournalDatabase.Create(provider);
            var overrides = new Dictionary<string, string?>
            {
                ["Journal:Store"] = database.Settings.Spec,
                ["Http:Enabled"] = "false",
                ["Paper:LatencyMs"] = "0",
                ["Venues:0:RestBaseUrl"] = venue.Rest.BaseUri.ToString(),
                ["Venues:0:Symbols:0"] = Xbt.Value,
                ["Venues:0:Symbols:1"] = Eth.Value,
                ["Venues:0:Channels:0"] = "trades",
                ["Venues:0:PrivateChannels:0"] = "orders",
                ["Venues:0:PrivateChannels:1"] = "positions",
                ["Venues:0:Orders:Enabled"] = "true",
                ["Logging:LogLevel:Default"] = "Error",
            };

            // The default quoter stays, on paper, so the node keeps its paper venue; with no book it never quotes.
            var environment = new Dictionary<string, string?>(FakeKuCoinVenue.Credentials)
            {
                [JournalSettings.PostgresVariable] = provider == "postgres" ? database.Settings.ConnectionString : null,
            };
            var host = NodeHost.Build(NodeHost.LoadConfiguration(null, overrides), TextWriter.Null, environment.GetValueOrDefault);
            await host.StartAsync();
            return new BenchNode(venue, database, host);
        }

        public string SqliteSynchronous()
        {
            using var connection = new SqliteConnection(Journal.ConnectionString);
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA synchronous";
            return Convert.ToString(command.ExecuteScalar(), CultureInfo.InvariantCulture)!;
        }

        /// <summary>Strategies named <c>{name}-{n}</c> trading XBTUSDTM live, or ETHUSDTM on paper.</summary>
        public IActorRef[] Probes(string name, int count, bool paper) =>
            Enumerable.Range(1, count).Select(n =>
            {
                var settings = new StrategySettings($"{name}-{n}", "probe", VenueId.KuCoin, MarketKind.Futures, [paper ? Eth : Xbt], paper, new Dictionary<string, string>(), RiskLimits.None);
                var context = new StrategyContext(settings, Bus, Gateway, TimeProvider.System, RunId.New(), _ => Task.FromResult<IReadOnlyList<JournalRecord>>([]));
                return System.ActorOf(Props.Create(() => new OrderProbe(context)), $"{name}-{n}");
            }).ToArray();

        /// <summary>The paper venue's source book: one level a side, deep enough for every order here.</summary>
        public void PublishTop(Symbol symbol, decimal ask) =>
            Bus.Publish(new MarketDataTopic(VenueId.KuCoin, MarketKind.Futures, DataChannel.Book, symbol),
                new BookTop(VenueId.KuCoin, MarketKind.Futures, symbol, 1, new BookLevel(ask - 1, 1_000_000), new BookLevel(ask, 1_000_000), 0));

        /// <summary>
        /// Places until an order is acknowledged (the gateway takes orders once reconciliation has read the venue's
        /// positions), then 1,000 more, so the JIT has compiled the path before it is measured.
        /// </summary>
        public async Task WarmUpAsync(IActorRef[] probes, Symbol symbol, decimal price)
        {
            var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
            while (true)
            {
                var first = await PlaceAsync(probes, symbol, price, 10, 1, wait: TimeSpan.FromSeconds(2));
                if (first.AnsweredCount == 1)
                {
                    break;
                }

                if (DateTimeOffset.UtcNow > deadline)
                {
                    throw new TimeoutException("no order was acknowledged within 60 s");
                }
            }

            await PlaceAsync(probes, symbol, price, 500, 1000);
        }

        /// <summary>One decision on <paramref name="probe"/>: done when the venue has taken the order, or (<paramref name="filled"/>) when its fill reached the strategy.</summary>
        public Task OneAsync(IActorRef probe, Symbol symbol, decimal price, bool filled)
        {
            var clock = new OrderClock(1);
            probe.Tell(new OrderProbe.PlaceNow(0, clock, symbol, price));
            return filled ? clock.AllFilled : clock.AllAnswered;
        }

        /// <summary>Sends <paramref name="count"/> decisions at <paramref name="perSecond"/> over the probes in turn, then waits for their acknowledgements.</summary>
        public async Task<OrderClock> PlaceAsync(IActorRef[] probes, Symbol symbol, decimal price, int perSecond, int count, TimeSpan? wait = null)
        {
            var clock = new OrderClock(count);
            var cpu = Pacing.ProcessCpu();
            var start = Stopwatch.GetTimestamp();
            for (var i = 0; i < count; i++)
            {
                await Pacing.UntilAsync(Pacing.Due(start, i, perSecond));
                probes[i % probes.Length].Tell(new OrderProbe.PlaceNow(i, clock, symbol, price));
            }

            clock.Achieved = count / Stopwatch.GetElapsedTime(start).TotalSeconds;
            await clock.WaitAsync(c => c.AnsweredCount + c.Refused >= count, wait ?? TimeSpan.FromSeconds(120), throwOnTimeout: wait is null);
            clock.CpuPerOrder = (Pacing.ProcessCpu() - cpu).TotalMicroseconds / count;
            clock.ReadWire(Account);
            return clock;
        }

        /// <summary>
        /// The floor under the path to the venue: the same placement, built by the KuCoin adapter and signed and sent by a
        /// <see cref="Runtime.Rest.RestClient"/> of its own (no actor, no journal), timed from before the call to the
        /// fake's handler. What the node adds is the rest. <paramref name="overlapping"/>: each request goes at its time
        /// without waiting for the one before (what the fake and the client carry at a rate), else one after another.
        /// </summary>
        public async Task<Transport> TransportAsync(int perSecond, int count, bool overlapping = false)
        {
            using var http = new HttpClient();
            var client = new Runtime.Rest.RestClient(http, new Exchanges.KuCoin.Rest.KuCoinRestAdapter(_venue.Rest.BaseUri,
                new Exchanges.KuCoin.Auth.KuCoinCredentials(FakeKuCoinAccount.ApiKey, FakeKuCoinAccount.Secret, FakeKuCoinAccount.Passphrase)));
            var adapter = new Exchanges.KuCoin.KuCoinOrderEntryAdapter(MarketKind.Futures);
            var sent = new List<(string Id, long At, Task Answer)>();
            for (var i = 0; i < 200; i++)   // warms the client up
            {
                await client.SendAsync(adapter.Place([new OrderTicket(new ClientOrderId($"warm-{Guid.NewGuid():N}"[..30]), Xbt, Side.Buy, OrderType.Limit, 1, 60000.5m)]).Rest, CancellationToken.None);
            }

            var cpu = Pacing.ProcessCpu();
            var start = Stopwatch.GetTimestamp();
            for (var i = 0; i < count; i++)
            {
                await Pacing.UntilAsync(Pacing.Due(start, i, perSecond));
                var id = $"floor-{Guid.NewGuid():N}"[..30];
                var request = adapter.Place([new OrderTicket(new ClientOrderId(id), Xbt, Side.Buy, OrderType.Limit, 1, 60000.5m)]).Rest;
                var answer = client.SendAsync(request, CancellationToken.None);
                sent.Add((id, Stopwatch.GetTimestamp(), answer));
                if (!overlapping)
                {
                    await answer;
                }
            }

            var achieved = count / Stopwatch.GetElapsedTime(start).TotalSeconds;
            await Task.WhenAll(sent.Select(s => s.Answer));
            var cpuPerOrder = (Pacing.ProcessCpu() - cpu).TotalMicroseconds / count;
            return new Transport(new Percentiles(sent.Select(s => Pacing.Microseconds(Account.ArrivalOf(s.Id)!.Value - s.At))), achieved, cpuPerOrder);
        }

        /// <summary>Fills each acknowledged order of <paramref name="placed"/> in full at <paramref name="perSecond"/>, each push timed to the strategy's callback.</summary>
        public async Task<Percentiles> FillAsync(OrderClock placed, int perSecond)
        {
            var orders = placed.Indices().Where(i => placed.Acknowledged[i] > 0).ToArray();
            var start = Stopwatch.GetTimestamp();
            for (var k = 0; k < orders.Length; k++)
            {
                await Pacing.UntilAsync(Pacing.Due(start, k, perSecond));
                var i = orders[k];
                placed.FillSent[i] = Stopwatch.GetTimestamp();
                var trade = Interlocked.Increment(ref _nextTrade).ToString(CultureInfo.InvariantCulture);
                if (!await Account.FillAsync(placed.Ids[i]!, 1, 60000.5m, trade))
                {
                    throw new InvalidOperationException($"the venue has no open order {placed.Ids[i]}");
                }
            }

            await placed.WaitAsync(c => c.FilledCount >= orders.Length, TimeSpan.FromSeconds(120));
            return new Percentiles(orders.Select(i => Pacing.Microseconds(placed.Filled[i] - placed.FillSent[i])));
        }

        public async ValueTask DisposeAsync()
        {
            await _host.StopAsync();
            _host.Dispose();
            await _venue.DisposeAsync();
            _database.Dispose();
        }
    }

    /// <summary>The transport alone at a rate: each request's time to the fake's handler, the rate achieved, CPU per request (µs).</summary>
    internal sealed record Transport(Percentiles Times, double Achieved, double CpuPerOrder);

    /// <summary>The stopwatch times of one batch of orders, by their index: decided, at the venue, acknowledged, fill pushed, fill seen.</summary>
    internal sealed class OrderClock(int count)
    {
        private readonly ConcurrentDictionary<string, int> _byId = new(StringComparer.Ordinal);
        private readonly TaskCompletionSource _allAnswered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _allFilled = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _acknowledged;
        private int _answered;
        private int _filled;
        private int _refused;
        private int _placed;

        public long[] Decided { get; } = new long[count];

        public long[] AtVenue { get; } = new long[count];

        public long[] Acknowledged { get; } = new long[count];

        public long[] FillSent { get; } = new long[count];

        public long[] Filled { get; } = new long[count];

        public string?[] Ids { get; } = new string?[count];

        public double Achieved { get; set; }

        /// <summary>The process's CPU time (all threads: node, fake, sender) per order placed, in microseconds.</summary>
        public double CpuPerOrder { get; set; }

        public int Placed => Volatile.Read(ref _placed);

        public int Refused => Volatile.Read(ref _refused);

        public int AcknowledgedCount => Volatile.Read(ref _acknowledged);

        /// <summary>Orders the venue has taken: acknowledged, or filled first (a paper venue's fill can overtake its acknowledgement).</summary>
        public int AnsweredCount => Volatile.Read(ref _answered);

        public int FilledCount => Volatile.Read(ref _filled);

        public Percentiles ToWire => new(Indices().Where(i => AtVenue[i] > 0).Select(i => Pacing.Microseconds(AtVenue[i] - Decided[i])));

        public Percentiles ToAck => new(Indices().Where(i => Acknowledged[i] > 0).Select(i => Pacing.Microseconds(Acknowledged[i] - Decided[i])));

        public IEnumerable<int> Indices() => Enumerable.Range(0, Decided.Length);

        /// <summary>Completes when every order is taken by the venue; fails when one is refused.</summary>
        public Task AllAnswered => _allAnswered.Task;

        /// <summary>Completes when every order has its fill at the strategy; fails when one is refused.</summary>
        public Task AllFilled => _allFilled.Task;

        public void Placing(int index, ClientOrderId? id, long decidedAt)
        {
            Decided[index] = decidedAt;
            Interlocked.Increment(ref _placed);
            if (id is not { } placed)
            {
                Interlocked.Increment(ref _refused);
                var refused = new InvalidOperationException($"order {index} was refused");
                _allAnswered.TrySetException(refused);
                _allFilled.TrySetException(refused);
                return;
            }

            Ids[index] = placed.Value;
            _byId[placed.Value] = index;
        }

        public void Seen(ClientOrderId id, IJournalEvent e, long at)
        {
            if (!_byId.TryGetValue(id.Value, out var index))
            {
                return;
            }

            if (e is OrderEvents.Acknowledged or OrderEvents.FillRecorded && Acknowledged[index] == 0 && Filled[index] == 0
                && Interlocked.Increment(ref _answered) == Decided.Length)
            {
                _allAnswered.TrySetResult();
            }

            if (e is OrderEvents.Acknowledged && Acknowledged[index] == 0)
            {
                Acknowledged[index] = at;
                Interlocked.Increment(ref _acknowledged);
            }
            else if (e is OrderEvents.FillRecorded && Filled[index] == 0)
            {
                Filled[index] = at;
                if (Interlocked.Increment(ref _filled) == Decided.Length)
                {
                    _allFilled.TrySetResult();
                }
            }
        }

        /// <summary>Takes from the venue when each order's request reached it.</summary>
        public void ReadWire(FakeKuCoinAccount account)
        {
            foreach (var i in Indices())
            {
                if (Ids[i] is { } id && account.ArrivalOf(id) is { } at)
                {
                    AtVenue[i] = at;
                }
            }
        }

        public async Task WaitAsync(Func<OrderClock, bool> done, TimeSpan limit, bool throwOnTimeout = true)
        {
            var until = Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * Stopwatch.Frequency);
            while (!done(this))
            {
                if (Stopwatch.GetTimestamp() > until)
                {
                    if (throwOnTimeout)
                    {
                        throw new TimeoutException($"{AnsweredCount} taken ({AcknowledgedCount} acknowledged), {FilledCount} filled, {Refused} refused of {Decided.Length} within {limit}");
                    }

                    return;
                }

                await Task.Delay(1);
            }
        }
    }

    /// <summary>
    /// The node's own stage timings, read from its meters as they are recorded: each journal write (reaching the journal
    /// → durable), each order request (sent → the venue's answer) and each order's submission → acknowledgement durable.
    /// </summary>
    private sealed class NodeStages : IDisposable
    {
        private static readonly string[] Watched = ["actortrading.journal.write.duration", "actortrading.order.request.duration", "actortrading.order.round_trip"];
        private readonly MeterListener _listener = new();
        private ConcurrentDictionary<string, ConcurrentQueue<double>> _times = new();

        public NodeStages()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (Watched.Contains(instrument.Name))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<double>((instrument, seconds, tags, _) =>
            {
                var name = instrument.Name;
                foreach (var tag in tags)
                {
                    if (tag.Key == "stage")
                    {
                        name += ":" + tag.Value;
                    }
                }

                _times.GetOrAdd(name, _ => new ConcurrentQueue<double>()).Enqueue(seconds * 1_000_000);
            });
            _listener.Start();
        }

        /// <summary>The stages recorded since the last call, one line each.</summary>
        public IReadOnlyDictionary<string, Percentiles> Take() =>
            Interlocked.Exchange(ref _times, new()).ToDictionary(t => t.Key, t => new Percentiles(t.Value));

        public void Dispose() => _listener.Dispose();
    }

    /// <summary>
    /// The deepest each hot actor's mailbox got while it ran (the node's <c>actortrading.mailbox.depth</c> gauge, read
    /// every 10 ms), and the thread pool's queue and threads: where orders queue when the node falls behind.
    /// </summary>
    private sealed class MailboxPeaks : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly ConcurrentDictionary<string, int> _peaks = new();
        private readonly Timer _timer;

        public MailboxPeaks()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Name == "actortrading.mailbox.depth")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<int>((_, depth, tags, _) =>
            {
                var actor = "?";
                foreach (var tag in tags)
                {
                    actor = tag.Key == "actor" ? tag.Value?.ToString() ?? actor : actor;
                }

                _peaks.AddOrUpdate(actor, depth, (_, peak) => Math.Max(peak, depth));
            });
            _listener.Start();
            _timer = new Timer(_ =>
            {
                _listener.RecordObservableInstruments();
                _peaks.AddOrUpdate("(thread-pool queue)", (int)ThreadPool.PendingWorkItemCount, (_, peak) => Math.Max(peak, (int)ThreadPool.PendingWorkItemCount));
                _peaks.AddOrUpdate("(thread-pool threads)", ThreadPool.ThreadCount, (_, peak) => Math.Max(peak, ThreadPool.ThreadCount));
            }, null, TimeSpan.Zero, TimeSpan.FromMilliseconds(10));
        }

        /// <summary>The deepest mailboxes, deepest first.</summary>
        public string Describe(int top = 8) =>
            string.Join(", ", _peaks.Where(p => p.Value > 0).OrderByDescending(p => p.Value).Take(top).Select(p => $"{p.Key} {p.Value:N0}"));

        public void Dispose()
        {
            _timer.Dispose();
            _listener.Dispose();
        }
    }

    /// <summary>A strategy that places an order whenever told, and stamps what comes back of it.</summary>
    internal sealed class OrderProbe : StrategyActor
    {
        private OrderClock? _clock;

        public OrderProbe(StrategyContext context) : base(context) =>
            Receive<PlaceNow>(p =>
            {
                _clock = p.Clock;
                var decided = Stopwatch.GetTimestamp();
                p.Clock.Placing(p.Index, Place(p.Symbol, Side.Buy, OrderType.Limit, 1, p.Price), decided);
            });

        protected override IReadOnlyCollection<DataChannel> Channels { get; } = [];

        protected override void OnOrderUpdate(OrderState order, IJournalEvent? e)
        {
            if (e is not null)
            {
                _clock?.Seen(order.ClientOrderId, e, Stopwatch.GetTimestamp());
            }
        }

        public sealed record PlaceNow(int Index, OrderClock Clock, Symbol Symbol, decimal Price);
    }
}
