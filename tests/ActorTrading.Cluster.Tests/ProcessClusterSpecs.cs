using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using ActorTrading.Core.Ids;
using ActorTrading.Node.Hosting;
using ActorTrading.Simulator;
using ActorTrading.TestExchange;
using Xunit;

namespace ActorTrading.Cluster.Tests;

/// <summary>Three <c>actortrading run</c> processes forming one cluster on loopback, one of them killed outright.</summary>
public sealed partial class ProcessClusterSpecs
{
    [Fact]
    public async Task Three_node_processes_stream_one_venue_and_when_the_one_streaming_it_is_killed_a_survivor_streams_it_synced_within_12_s_and_the_quoter_trades_on()
    {
        await using var venue = await SimulatedKuCoinFutures.StartAsync(TimeSpan.FromMilliseconds(50));
        using var journal = JournalDatabase.Create("postgres");
        var seedPort = FreePort();
        var seed = $"akka.tcp://actortrading@127.0.0.1:{seedPort}";
        var nodes = new List<NodeProcess>();
        try
        {
            // The quoter (paper) runs once, on the oldest node, with the venue and the order desk.
            var settings = KuCoinAt(venue);
            settings["Strategies:0:Enabled"] = "true";
            nodes.Add(NodeProcess.Start(settings, journal, port: seedPort, seed));
            await Until(() => venue.OpenConnections == 1, 30, "the first node streaming");
            nodes.Add(NodeProcess.Start(settings, journal, port: 0, seed));
            nodes.Add(NodeProcess.Start(settings, journal, port: 0, seed));

            // The two later nodes see the venue's books through the cluster's bus (Synced, learned from the book tops: they
            // joined after the books synced); the venue has one connection.
            await Until(() => nodes.Skip(1).All(n => n.StreamingSince(TimeSpan.Zero)), 40, "both later nodes showing the venue's books Synced");
            Assert.Equal(1, venue.OpenConnections);
            // Quoting (paper fills come when the simulated market crosses the quotes: not waited for here).
            await Until(() => nodes[0].Quoter(TimeSpan.Zero) is { Orders: > 0 }, 40, "the quoter's first paper orders on the first node", () => nodes[0].Tail(TimeSpan.Zero));
            var before = nodes[0].Quoter(TimeSpan.Zero)!.Value;

            var killedAt = nodes[0].Clock.Elapsed;
            nodes[0].Kill();
            await Until(() => venue.OpenConnections == 0, 5, "the killed node's connection closed");

            // Goal 10 s (6.9-9.0 s measured on a quiet machine: heartbeat pause 1.5 s, stable-after 1 s); 12 s leaves room for a loaded CI.
            await Until(() => venue.OpenConnections == 1 && nodes.Skip(1).Any(n => n.StreamingSince(killedAt + TimeSpan.FromSeconds(1))), 12,
                "a survivor streaming the venue again with Synced books", () => string.Join("\n---\n", nodes.Skip(1).Select(n => n.Tail(killedAt))));

            var recovered = nodes[0].Clock.Elapsed - killedAt;
            Console.WriteLine($"failover after kill -9: {recovered.TotalSeconds:0.0} s");

            // The quoter starts on a survivor with its ledger (the killed node's run counts: its fills are there) and quotes
            // on paper again (new orders).
            await Until(() => nodes.Skip(1).Any(n => n.Quoter(killedAt) is { } q && q.Orders > before.Orders && q.Fills >= before.Fills), 40,
                $"the quoter trading on a survivor past its {before.Orders} orders, with its {before.Fills} fills", () => string.Join("\n---\n", nodes.Skip(1).Select(n => n.Tail(killedAt))));
            await Task.Delay(2000);
            Assert.Equal(1, venue.OpenConnections);
            Assert.All(nodes.Skip(1), n => Assert.False(n.HasExited, n.Errors));
        }
        finally
        {
            foreach (var node in nodes)
            {
                node.Kill();
                node.Dispose();
            }
        }
    }

    [Fact]
    public async Task An_order_placed_just_before_its_desk_node_is_killed_is_neither_lost_nor_submitted_twice()
    {
        await using var venue = await FakeBinanceVenue.StartAsync();
        var account = new FakeBinanceAccount(venue, futures: false);
        using var journal = JournalDatabase.Create("postgres");
        var ports = new[] { FreePort(), FreePort(), FreePort() };
        var addresses = ports.Select(p => $"akka.tcp://actortrading@127.0.0.1:{p}").ToArray();
        var settings = ClusterRateBudgetSpecs.SpotAt(venue, "orders", "balances")(NodeHost.LoadConfiguration(null));
        settings["Node:OrderAnswerTimeoutSeconds"] = "10";
        // Not a timing spec: a loaded machine must not make the survivors lose sight of each other too (the resolver
        // then downs them all as unstable) — a calmer failure detector than the failover spec's.
        settings["Cluster:HeartbeatPauseSeconds"] = "4";
        settings["Cluster:StableAfterSeconds"] = "2";
        var nodes = new List<NodeProcess>();
        try
        {
            // The first node (the oldest: the venue's and the order desk's singletons) and two more; orders go to the third.
            foreach (var port in ports)
            {
                nodes.Add(NodeProcess.Start(settings, journal, port, addresses[0], ClusterRateBudgetSpecs.Credentials));
            }

            var warm = 0;
            await Until(async () => await PlaceAsync(addresses[2], "warm" + warm++) is (0, _), 60, "an order acknowledged through the third node",
                () => string.Join("\n---\n", nodes.Select(n => n.Tail(TimeSpan.Zero))));
            // All three Up before one is killed: a member still joining does not count for the survivors' majority (a
            // loaded machine once had the second join late, and the split-brain resolver downed the survivors).
            await Until(async () => await MembersUpAsync(addresses[2]) == 3, 60, "a cluster of three");

            // The order leaves through the third node; the venue takes it, and the node that sent it there (the oldest: the
            // venue's singleton, and the order desk) is killed before the venue's answer comes back.
            account.DelayAnswerTo = ("cli-in-flight", TimeSpan.FromSeconds(5));
            var inFlight = PlaceAsync(addresses[2], "in-flight");
            await Until(() => account.SubmitsOf("cli-in-flight") == 1, 20, "the order at the venue");
            nodes[0].Kill();

            // Until the survivors have removed the killed node, what is sent to its singletons is lost with it: retry after.
            await Until(async () => await MembersUpAsync(addresses[2]) == 2, 30, "the survivors a cluster of two");

            // The retry (same request id) finds the order journaled; the new desk's reconciliation finds it at the venue.
            // It is acknowledged there, once: never placed again.
            var (exit, state) = (1, (JsonElement?)null);
            await Until(async () =>
            {
                // A retry whose answer is lost in the failover waits no longer than 20 s here: the next one asks again.
                var retry = PlaceAsync(addresses[2], "in-flight");
                if (await Task.WhenAny(retry, Task.Delay(TimeSpan.FromSeconds(20))) != retry)
                {
                    return false;
                }

                (exit, state) = await retry;
                return state is { } s && s.GetProperty("status").GetString() is not ("Submitted" or "Unknown");
            }, 90, "the retried order settled", () => string.Join("\n---\n", nodes.Skip(1).Select(n => n.Tail(TimeSpan.Zero))));
            Assert.Equal((0, "Acknowledged", "7002"), (exit, state!.Value.GetProperty("status").GetString(), state.Value.GetProperty("venueOrderId").GetString()));
            Assert.Equal(1, account.SubmitsOf("cli-in-flight"));
            Assert.Single(journal.Rows("order-cli-in-flight"), r => r.Manifest.StartsWith("order-submitted", StringComparison.Ordinal));
            await Task.Delay(2000);
            Assert.Equal(1, account.SubmitsOf("cli-in-flight"));
            Console.WriteLine($"order in flight at the kill: acknowledged by {state.Value.GetProperty("venueOrderId").GetString()}; the first attempt {(inFlight.IsCompleted ? "ended" : "is still waiting")}");
            Assert.All(nodes.Skip(1), n => Assert.False(n.HasExited, n.Errors));
        }
        finally
        {
            foreach (var node in nodes)
            {
                node.Kill();
                node.Dispose();
            }
        }
    }

    /// <summary><c>order place</c> through the node at <paramref name="node"/>: the exit code and the order's state (null on an error).</summary>
    private static async Task<(int Exit, JsonElement? State)> PlaceAsync(string node, string request)
    {
        try
        {
            var (exit, output) = await CommandLine.RunAsync(new Dictionary<string, string?>(),
                "order", "place", "binance", "--market", "spot", "--symbol", "BTCUSDT", "--side", "buy", "--size", "0.01", "--price", "60000.5", "--request-id", request, "--node", node);
            return (exit, output.StartsWith('{') ? JsonDocument.Parse(output).RootElement.Clone() : null);
        }
        catch (Core.Errors.ExchangeException)
        {
            return (1, null);   // no node answered (yet)
        }
    }

    /// <summary>The members Up that <c>status</c> of the node at <paramref name="node"/> lists (0 when it does not answer).</summary>
    private static async Task<int> MembersUpAsync(string node)
    {
        try
        {
            var (_, output) = await CommandLine.RunAsync(new Dictionary<string, string?>(), "status", "--node", node, "--format", "json");
            return JsonDocument.Parse(output).RootElement.GetProperty("members").EnumerateArray().Count(m => m.GetProperty("status").GetString() == "Up");
        }
        catch (Core.Errors.ExchangeException)
        {
            return 0;
        }
    }

    private static Dictionary<string, string?> KuCoinAt(SimulatedKuCoinFutures venue)
    {
        var baseline = NodeHost.LoadConfiguration(null);
        var settings = NodeHost.PointVenueAt(baseline, VenueId.KuCoin, Core.Ids.MarketKind.Futures, venue.RestBaseUri);
        foreach (var strategy in baseline.GetSection("Strategies").GetChildren())
        {
            settings[$"Strategies:{strategy.Key}:Enabled"] = "false";
        }

        return settings;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static Task Until(Func<bool> done, double seconds, string what, Func<string>? diagnostics = null) =>
        Until(() => Task.FromResult(done()), seconds, what, diagnostics);

    private static async Task Until(Func<Task<bool>> done, double seconds, string what, Func<string>? diagnostics = null)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(seconds);
        while (!await done())
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"not within {seconds} s: {what}{(diagnostics is null ? "" : "\n" + diagnostics())}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>One <c>actortrading run</c> process pointed at the simulated venue, its status lines timed as they arrive.</summary>
    private sealed partial class NodeProcess : IDisposable
    {
        private readonly Process _process;
        private readonly ConcurrentQueue<(TimeSpan At, string Line)> _lines = new();
        private readonly ConcurrentQueue<string> _errors = new();

        private NodeProcess(Process process, Stopwatch clock)
        {
            _process = process;
            Clock = clock;
        }

        public static Stopwatch SharedClock { get; } = Stopwatch.StartNew();

        public Stopwatch Clock { get; }

        public bool HasExited => _process.HasExited;

        public string Errors => string.Join('\n', _errors.TakeLast(20));

        /// <summary>A node on <paramref name="venueSettings"/> over the shipped config, in the cluster of <paramref name="seed"/>.</summary>
        public static NodeProcess Start(IReadOnlyDictionary<string, string?> venueSettings, JournalDatabase journal, int port, string seed,
            IReadOnlyDictionary<string, string?>? environment = null)
        {
            var start = new ProcessStartInfo("dotnet")
            {
                ArgumentList = { Path.Combine(AppContext.BaseDirectory, "actortrading.dll"), "run" },
                WorkingDirectory = AppContext.BaseDirectory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            var settings = new Dictionary<string, string?>(venueSettings);
            settings["Journal:Store"] = "postgres";
            settings["Node:AddressFile"] = Path.Combine(Path.GetTempPath(), $"actortrading-node-{Guid.NewGuid():N}.address");
            settings["Cluster:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            settings["Cluster:SeedNodes:0"] = seed;
            // Tight enough to time a failover; a spec about something else may ask for calmer ones.
            settings.TryAdd("Cluster:StableAfterSeconds", "1");
            settings.TryAdd("Cluster:HeartbeatPauseSeconds", "1.5");
            settings["Node:StatusIntervalSeconds"] = "0.25";   // status lines 4 times a second: the failover is timed from them
            foreach (var (key, value) in settings)
            {
                start.Environment[NodeHost.EnvironmentPrefix + key.Replace(":", "__", StringComparison.Ordinal)] = value;
            }

            foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
            {
                start.Environment[name] = value;
            }

            start.Environment["ACTORTRADING_POSTGRES"] = journal.Settings.ConnectionString;
            start.Environment["DOTNET_HOSTBUILDER__RELOADCONFIGONCHANGE"] = "false";
            var node = new NodeProcess(Process.Start(start)!, SharedClock);
            _ = node.PumpAsync(node._process.StandardOutput, line => node._lines.Enqueue((node.Clock.Elapsed, line)));
            _ = node.PumpAsync(node._process.StandardError, node._errors.Enqueue);
            return node;
        }

        /// <summary>True when, after <paramref name="since"/>, the node printed both default symbols with messages flowing and a Synced book.</summary>
        public bool StreamingSince(TimeSpan since)
        {
            var streaming = _lines.Where(l => l.At > since && !l.Line.Contains("msg/s=0.0", StringComparison.Ordinal) && l.Line.Contains("book=Synced", StringComparison.Ordinal))
                .Select(l => l.Line.Split(' ')[2])
                .ToHashSet();
            return streaming.SetEquals(["kucoin.futures/XBTUSDTM", "kucoin.futures/ETHUSDTM"]);
        }

        /// <summary>The quoter's orders and fills in the node's last status line about it since <paramref name="since"/> (null: none).</summary>
        public (int Orders, int Fills)? Quoter(TimeSpan since) =>
            _lines.Where(l => l.At > since).Select(l => QuoterLine().Match(l.Line)).LastOrDefault(m => m.Success) is { } m
                ? (int.Parse(m.Groups["orders"].Value, System.Globalization.CultureInfo.InvariantCulture), int.Parse(m.Groups["fills"].Value, System.Globalization.CultureInfo.InvariantCulture))
                : null;

        [System.Text.RegularExpressions.GeneratedRegex(@" strategy quoter venue=\S+ state=trading .* orders=(?<orders>\d+) fills=(?<fills>\d+) ")]
        private static partial System.Text.RegularExpressions.Regex QuoterLine();

        /// <summary>What the node said since <paramref name="since"/>: its status lines and its log.</summary>
        public string Tail(TimeSpan since) =>
            string.Join('\n', _lines.Where(l => l.At > since).Select(l => $"{l.At.TotalSeconds:0.0} {l.Line}").TakeLast(12)) + "\n" + Errors;

        public void Kill()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);   // SIGKILL: no leaving, no hand-over
                _process.WaitForExit(10_000);
            }
        }

        public void Dispose() => _process.Dispose();

        private async Task PumpAsync(StreamReader reader, Action<string> line)
        {
            while (await reader.ReadLineAsync() is { } text)
            {
                line(text);
            }
        }
    }
}
