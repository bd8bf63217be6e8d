using System.Globalization;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Core.Orders;
using ActorTrading.Node.Hosting;
using ActorTrading.Runtime.Hosting;
using ActorTrading.Runtime.Venues;
using ActorTrading.Simulator;
using Akka.Actor;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace ActorTrading.Node.Tests;

[Collection(QuiescenceCollection.Name)]
public sealed partial class NodeSpecs
{
    private static string TempJournal() => "sqlite:" + Path.Combine(Directory.CreateTempSubdirectory("actortrading-node-").FullName, "journal.db");

    /// <summary>The default settings pointed at a simulated venue, with a journal of their own.</summary>
    private static Dictionary<string, string?> AgainstSimulator(SimulatedKuCoinFutures venue)
    {
        var overrides = NodeHost.PointVenueAt(NodeHost.LoadConfiguration(null), VenueId.KuCoin, MarketKind.Futures, venue.RestBaseUri);
        overrides["Journal:Store"] = TempJournal();
        return overrides;
    }

    /// <summary>Polls until <paramref name="done"/> or the time is up (the caller asserts what it needs after).</summary>
    private static async Task Until(Func<bool> done, int seconds)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(seconds);
        while (DateTimeOffset.UtcNow < deadline && !done())
        {
            await Task.Delay(200);
        }
    }

    [Fact]
    public async Task Offline_node_streams_synced_books_for_both_default_symbols()
    {
        await using var venue = await SimulatedKuCoinFutures.StartAsync(TimeSpan.FromMilliseconds(50));
        var overrides = AgainstSimulator(venue);
        var configuration = NodeHost.LoadConfiguration(null, overrides);
        var output = new StringWriter();
        using var host = NodeHost.Build(configuration, output);
        var status = host.Services.GetRequiredService<StatusConsole>();
        await host.StartAsync();
        try
        {
            await Until(() => status.Last is { Symbols.Count: >= 2 } last && last.Symbols.All(s => s.Health == BookHealth.Synced && s.FundingRate is not null && s.MarkPrice is not null), 20);

            var snapshot = status.Last!;
            Assert.Equal(["XBTUSDTM", "ETHUSDTM"], snapshot.Symbols.Select(s => s.Symbol).OrderDescending());
            Assert.All(snapshot.Symbols, s =>
            {
                Assert.Equal(BookHealth.Synced, s.Health);
                Assert.True(s.BestBid!.Value.Price < s.BestAsk!.Value.Price);
                Assert.True(s.Messages > 10);
                Assert.NotNull(s.LastPrice);
            });
            Assert.Equal("Streaming", Assert.Single(snapshot.Feeds).State);
            Assert.Equal(0, snapshot.ErrorCount);
            Assert.Contains("kucoin.futures/XBTUSDTM", output.ToString());
            Assert.True(host.Services.GetRequiredService<ActorSystem>().HasExtension<SchedulerClock.Running>());   // hocon.conf's akka.extensions hold
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Theory]
    [InlineData("Venues:0:Channels:0", "weather", "configuration: venue kucoin futures: unknown channel 'weather'")]
    [InlineData("Venues:0:Market", "options", "configuration: venue kucoin options: unknown market 'options' (futures, spot, margin, unified)")]
    [InlineData("Venues:0:RestBaseUrl", "not a url", "configuration: venue kucoin futures: RestBaseUrl 'not a url' is not an absolute URL")]
    [InlineData("Venues:0:Feed:IdleTimeoutSeconds", "0", "configuration: venue kucoin futures: Feed.IdleTimeoutSeconds must be positive")]
    [InlineData("Venues:0:Enabled", "false", "configuration: no venue is enabled in the configuration")]
    [InlineData("Venues:0:Orders:Route", "carrier-pigeon", "configuration: venue kucoin futures: unknown Orders.Route 'carrier-pigeon' (rest, ws)")]
    [InlineData("Venues:0:Orders:MarginMode", "portfolio", "configuration: venue kucoin futures: KuCoin futures margin mode 'portfolio' (isolated, cross)")]
    [InlineData("Venues:0:Orders:Leverage", "0", "configuration: venue kucoin futures: KuCoin futures leverage must be positive")]
    [InlineData("Node:OrderAnswerTimeoutSeconds", "0", "configuration: Node.OrderAnswerTimeoutSeconds = 0 must be above zero")]
    [InlineData("Cluster:Port", "70000", "configuration: Cluster:Port = 70000 is not a port (0 picks a free one)")]
    [InlineData("Cluster:Port", "soon", "configuration: Cluster:Port = 'soon' is not a whole number")]
    [InlineData("Cluster:StableAfterSeconds", "0", "configuration: Cluster:StableAfterSeconds = 0 must be above zero")]
    [InlineData("Cluster:HeartbeatPauseSeconds", "0.5", "configuration: Cluster:HeartbeatPauseSeconds = 0.5 must be at least 1 (heartbeats go every second)")]
    [InlineData("Cluster:Roles:0", "venue connector", "configuration: Cluster:Roles has 'venue connector': a role is one word")]
    [InlineData("Cluster:SeedNodes:0", "node-a:4053", "configuration: Cluster:SeedNodes:0 = 'node-a:4053' is not a node address (akka.tcp://actortrading@host:port)")]
    [InlineData("Cluster:SeedNodes:0", "akka.tcp://trading@node-a:4053", "configuration: Cluster:SeedNodes:0 = 'akka.tcp://trading@node-a:4053' must name system 'actortrading', a host and a port (akka.tcp://actortrading@host:port)")]
    [InlineData("Cluster:SeedNodes:0", "akka.tcp://actortrading@node-a:4053",
        "configuration: a node that joins other nodes (Cluster:SeedNodes) needs the PostgreSQL journal, not sqlite:PATH: set Journal:Store to postgres and ACTORTRADING_POSTGRES")]
    public void Bad_configuration_is_a_clear_typed_error(string key, string value, string message)
    {
        var configuration = NodeHost.LoadConfiguration(null, new Dictionary<string, string?> { [key] = value, ["Venues:0:Orders:Enabled"] = key.Contains("Orders", StringComparison.Ordinal) ? "true" : "false" });
        var credentials = new Dictionary<string, string?> { ["KC_KEY"] = "k", ["KC_SECRET"] = "s", ["KC_PASSPHRASE"] = "p" };
        var e = Assert.Throws<ExchangeException>(() => NodeHost.Build(configuration, TextWriter.Null, credentials.GetValueOrDefault));
        Assert.Equal(message, SqlitePath().Replace(e.Error.ToString(), "sqlite:PATH"));
    }

    [System.Text.RegularExpressions.GeneratedRegex("sqlite:/[^:]+(?=:)")]
    private static partial System.Text.RegularExpressions.Regex SqlitePath();

    [Theory]
    [InlineData(null, new[] { "funding" })]
    [InlineData("strategies", new[] { "funding", "quoter" })]
    public async Task A_node_runs_the_strategies_of_its_roles_and_those_that_name_none(string? nodeRole, string[] expected)
    {
        await using var venue = await SimulatedKuCoinFutures.StartAsync(TimeSpan.FromMilliseconds(50));
        var overrides = AgainstSimulator(venue);
        overrides["Strategies:0:Role"] = "strategies";   // the quoter
        overrides["Cluster:Roles:0"] = nodeRole;
        using var host = NodeHost.Build(NodeHost.LoadConfiguration(null, overrides), TextWriter.Null);
        await host.StartAsync();
        try
        {
            var strategies = host.Services.GetRequiredService<Akka.Hosting.IRequiredActor<ActorTrading.Strategies.StrategiesSupervisor>>().ActorRef;
            var statuses = await strategies.Ask<ActorTrading.Strategies.StrategiesProtocol.Statuses>(ActorTrading.Strategies.StrategiesProtocol.GetStatuses.Instance, TimeSpan.FromSeconds(10));
            Assert.Equal(expected, statuses.Items.Select(s => s.Id).Order());
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public void Remoting_chatter_about_a_lost_peer_is_left_out_of_the_log_and_the_clusters_own_report_kept()
    {
        Assert.True(NodeLogger.IsPeerLossChatter(new Akka.Event.Error(new InvalidOperationException("Disassociated"),
            "akka://actortrading/system/endpointManager/reliableEndpointWriter-akka.tcp%3A%2F%2Factortrading%40localhost%3A4053-1/endpointWriter", typeof(object), "Disassociated")));
        Assert.True(NodeLogger.IsPeerLossChatter(new Akka.Event.Warning("remoting (akka://actortrading)", typeof(object),
            "Tried to associate with unreachable remote address [akka.tcp://actortrading@localhost:4053]. Address is now gated for 5000 ms")));
        Assert.False(NodeLogger.IsPeerLossChatter(new Akka.Event.Warning("akka.tcp://actortrading@localhost:4054/system/cluster/core/daemon", typeof(object),
            "Cluster Node [akka.tcp://actortrading@localhost:4054] - Marking node(s) as UNREACHABLE")));
        Assert.False(NodeLogger.IsPeerLossChatter(new Akka.Event.Error(null, "remoting (akka://actortrading)", typeof(object), "Remoting system has been terminated abruptly")));
    }

    [Fact]
    public void A_node_listed_as_its_own_only_seed_is_a_cluster_of_one_and_may_keep_the_sqlite_journal()
    {
        var settings = new ClusterNodeOptions { Port = 4053, SeedNodes = ["akka.tcp://actortrading@127.0.0.1:4053"] }.ToSettings();
        Assert.False(settings.JoinsOthers);
        Assert.True((settings with { SeedNodes = ["akka.tcp://actortrading@127.0.0.1:4054"] }).JoinsOthers);
        Assert.Equal(TimeSpan.FromSeconds(7), settings.StableAfter);
    }

    [Fact]
    public void Private_channels_without_credentials_stop_the_node_at_start_naming_the_variables()
    {
        var configuration = NodeHost.LoadConfiguration(null, new Dictionary<string, string?> { ["Venues:0:PrivateChannels:0"] = "orders" });
        var e = Assert.Throws<ExchangeException>(() => NodeHost.Build(configuration, TextWriter.Null, _ => null));
        Assert.Equal("configuration: KuCoin credentials missing: set KC_KEY, KC_SECRET, KC_PASSPHRASE in the environment", e.Error.ToString());
    }

    [Fact]
    public void Spot_private_channels_from_config_subscribe_stop_orders_the_cross_and_isolated_margin_positions_and_lend_orders()
    {
        VenueOptions Spot(string[] privateChannels, string[] privateSymbols) => new()
        {
            Market = "spot",
            Symbols = ["BTC-USDT"],
            Channels = ["trades", "auction"],
            PrivateChannels = [.. privateChannels],
            PrivateSymbols = [.. privateSymbols],
        };
        var credentials = new Dictionary<string, string?> { ["KC_KEY"] = "k", ["KC_SECRET"] = "s", ["KC_PASSPHRASE"] = "p" };
        IEnumerable<string?> Topics(VenueDefinition definition) => definition.PrivateFeed!.SubscriptionFrames(definition.PrivateSubscriptions!, subscribe: true, () => "1")
            .Select(f => System.Text.Json.JsonDocument.Parse(f.Text).RootElement.GetProperty("topic").GetString());

        Assert.Equal(["/spotMarket/advancedOrders", "/margin/position", "/margin/isolatedPosition:BTC-USDT"],
            Topics(Spot(["stop-orders", "margin-positions"], ["*", "BTC-USDT"]).ToDefinition(credentials.GetValueOrDefault)));
        Assert.Equal(["/margin/loan:BTC", "/margin/loan:USDT"], Topics(Spot(["lending"], ["BTC", "USDT"]).ToDefinition(credentials.GetValueOrDefault)));

        var star = Assert.Throws<ExchangeException>(() => Spot(["lending"], ["*"]).ToDefinition(credentials.GetValueOrDefault));
        Assert.Equal("configuration: venue kucoin spot: KuCoin lend orders are subscribed per currency: list currencies in PrivateSymbols, not *", star.Error.ToString());
        var e = Assert.Throws<ExchangeException>(() => Spot(["weather"], ["*"]).ToDefinition(credentials.GetValueOrDefault));
        Assert.Equal("configuration: venue kucoin spot: unknown private channel 'weather' (orders, positions, balances, account-settings, stop-orders, margin-positions, lending)", e.Error.ToString());
    }

    [Theory]
    [InlineData("rest", OrderRoute.Rest, false)]
    [InlineData("ws", OrderRoute.WebSocket, true)]
    public void Orders_enabled_in_config_give_the_venue_order_entry_on_the_chosen_route(string route, OrderRoute expected, bool socket)
    {
        var options = new VenueOptions
        {
            Symbols = ["XBTUSDTM"],
            Channels = ["trades"],
            Orders = new OrderOptions { Enabled = true, Route = route, Leverage = 5, MarginMode = "cross", TradingWsEndpoint = "ws://127.0.0.1:1/v1/private" },
        };
        var credentials = new Dictionary<string, string?> { ["KC_KEY"] = "k", ["KC_SECRET"] = "s", ["KC_PASSPHRASE"] = "p" };
        var definition = options.ToDefinition(credentials.GetValueOrDefault);
        Assert.Equal(expected, definition.OrderEntrySettings!.Route);
        Assert.Equal(socket, definition.TradingSocket is not null);
        var call = definition.OrderEntry!.Place([new OrderTicket(new ClientOrderId("c"), new Symbol("XBTUSDTM"), Side.Buy, OrderType.Market, 2)]);
        Assert.Equal("""{"clientOid":"c","side":"buy","symbol":"XBTUSDTM","leverage":5,"type":"market","marginMode":"CROSS","size":2}""", call.Rest.Body);
        Assert.Null(definition.PrivateFeed);

        var e = Assert.Throws<ExchangeException>(() => options.ToDefinition(_ => null));
        Assert.Equal("configuration: KuCoin credentials missing: set KC_KEY, KC_SECRET, KC_PASSPHRASE in the environment", e.Error.ToString());
    }

    [Fact]
    public async Task Offline_node_with_credentials_runs_the_private_feed_beside_the_public_one()
    {
        await using var venue = await SimulatedKuCoinFutures.StartAsync(TimeSpan.FromMilliseconds(50));
        var overrides = AgainstSimulator(venue);
        overrides["Venues:0:PrivateChannels:0"] = "orders";
        overrides["Venues:0:PrivateChannels:1"] = "balances";
        var credentials = new Dictionary<string, string?> { ["KC_KEY"] = "k", ["KC_SECRET"] = "s", ["KC_PASSPHRASE"] = "p" };
        using var host = NodeHost.Build(NodeHost.LoadConfiguration(null, overrides), TextWriter.Null, credentials.GetValueOrDefault);
        var status = host.Services.GetRequiredService<StatusConsole>();
        await host.StartAsync();
        try
        {
            await Until(() => status.Last?.Feeds.Count(f => f.State == "Streaming") >= 2, 20);

            Assert.Equal(["kucoin.futures/private", "kucoin.futures/public"], status.Last!.Feeds.Where(f => f.State == "Streaming").Select(f => $"{f.Venue}/{f.Feed}").Order());
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task Offline_node_runs_the_quoting_strategy_on_paper_and_its_fills_are_in_the_journal_audit_reads()
    {
        await using var venue = await SimulatedKuCoinFutures.StartAsync(TimeSpan.FromMilliseconds(50));
        var overrides = AgainstSimulator(venue);
        var journal = overrides["Journal:Store"]!;
        using var host = NodeHost.Build(NodeHost.LoadConfiguration(null, overrides), TextWriter.Null);
        var status = host.Services.GetRequiredService<StatusConsole>();
        await host.StartAsync();
        try
        {
            await Until(() => status.LastStrategies?.Items.FirstOrDefault(s => s.Id == "quoter") is { Fills: > 0 }, 40);

            var quoter = status.LastStrategies!.Items.Single(s => s.Id == "quoter");
            Assert.Equal(("paper-kucoin", true), (quoter.TradingVenue.Value, quoter.Ready));
            Assert.True(quoter.Fills > 0, "the quoter got no fill in 40 s");
            Assert.Contains(status.LastStrategies.Items, s => s.Id == "funding" && s.Orders == 0);
            Assert.DoesNotContain(status.Last!.Symbols, s => s.Venue.StartsWith("paper", StringComparison.Ordinal));
        }
        finally
        {
            await host.StopAsync();
        }

        var output = new StringWriter();
        Assert.Equal(0, await Program.BuildCommandLine(output, TextWriter.Null).Parse(["audit", "fills", "--journal", journal, "--format", "csv"]).InvokeAsync());
        var rows = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(',')).ToArray();
        Assert.NotEmpty(rows);
        Assert.All(rows, r =>
        {
            Assert.Equal(("paper-kucoin", "futures", "XBTUSDTM", "quoter", "maker", "USDT"), (r[1], r[2], r[3], r[4], r[13], r[12]));
            var (price, size, fee) = (decimal.Parse(r[9], CultureInfo.InvariantCulture), decimal.Parse(r[10], CultureInfo.InvariantCulture), decimal.Parse(r[11], CultureInfo.InvariantCulture));
            Assert.Equal(price * size * 0.001m * 0.0002m, fee);
            Assert.StartsWith("paper-", r[7], StringComparison.Ordinal);
        });
        output.GetStringBuilder().Clear();
        Assert.Equal(0, await Program.BuildCommandLine(output, TextWriter.Null).Parse(["audit", "verify", "--journal", journal]).InvokeAsync());
    }

    [Fact]
    public async Task Two_replays_of_the_shipped_capture_journal_the_same_events_and_the_quoter_trades_in_them()
    {
        var capture = NodeHost.Locate(Program.ShippedCapture);
        var outputs = new List<string>();
        foreach (var journal in new[] { TempJournal(), TempJournal() })
        {
            var replay = new StringWriter();
            Assert.Equal(0, await Program.BuildCommandLine(replay, TextWriter.Null).Parse(["replay", "--capture", capture, "--journal", journal, "--run-id", "same"]).InvokeAsync());
            Assert.Contains("replayed ", replay.ToString());
            Assert.Contains("0 frame errors", replay.ToString());
            var events = new StringWriter();
            Assert.Equal(0, await Program.BuildCommandLine(events, TextWriter.Null).Parse(["audit", "events", "--journal", journal, "--format", "csv"]).InvokeAsync());
            outputs.Add(events.ToString());
        }

        Assert.Equal(outputs[0], outputs[1]);
        var lines = outputs[0].Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("persistenceId,sequenceNr,manifest,ts,event", lines[0]);
        Assert.Contains(lines, l => l.Contains("order-submitted.v3", StringComparison.Ordinal) && l.Contains("\"\"venue\"\":\"\"paper-kucoin\"\"", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("fill-recorded.v1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_offline_run_for_a_bounded_time_trades_on_paper_and_audit_lists_its_fills()
    {
        var journal = TempJournal();
        var output = new StringWriter();
        Assert.Equal(0, await Program.BuildCommandLine(output, TextWriter.Null).Parse(["run", "--offline", "--duration", "7", "--journal", journal]).InvokeAsync());
        Assert.Contains("paper-kucoin  XBTUSDTM  quoter", output.ToString());
        // Not a terminal: the status comes as plain timestamped lines, on the capture's clock, with no screen control.
        Assert.Matches("(?m)^2026-11-25T\\d\\d:\\d\\d:\\d\\dZ strategy quoter venue=paper-kucoin state=trading position=\"[^\"]+\" open=\\d+ orders=\\d+ fills=\\d+ ", output.ToString());
        Assert.Matches("(?m)^2026-11-25T\\d\\d:\\d\\d:\\d\\dZ symbol kucoin.futures/XBTUSDTM msg/s=[0-9.]+ bid=[0-9.]+x[0-9.]+ ask=[0-9.]+x[0-9.]+ book=Synced ", output.ToString());
        Assert.DoesNotContain("\u001b", output.ToString(), StringComparison.Ordinal);

        var fills = new StringWriter();
        Assert.Equal(0, await Program.BuildCommandLine(fills, TextWriter.Null).Parse(["audit", "fills", "--journal", journal, "--format", "csv"]).InvokeAsync());
        var rows = fills.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToArray();
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.Contains(",paper-kucoin,futures,XBTUSDTM,quoter,", r, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Replay_of_one_strategy_runs_only_that_strategy()
    {
        var journal = TempJournal();
        var output = new StringWriter();
        Assert.Equal(0, await Program.BuildCommandLine(output, TextWriter.Null)
            .Parse(["replay", "--capture", NodeHost.Locate(Program.ShippedCapture), "--journal", journal, "--strategy", "funding"]).InvokeAsync());
        Assert.Contains("this run placed no orders", output.ToString());

        var e = Assert.Throws<ExchangeException>(() => Program.BuildCommandLine(TextWriter.Null, TextWriter.Null)
            .Parse(["replay", "--capture", NodeHost.Locate(Program.ShippedCapture), "--strategy", "ghost"]).Invoke(new System.CommandLine.InvocationConfiguration { EnableDefaultExceptionHandler = false }));
        Assert.Equal("configuration: no strategy 'ghost' in the settings", e.Error.ToString());
    }

    [Fact]
    public async Task A_node_with_capture_on_records_its_frames_and_book_snapshots_and_the_capture_replays()
    {
        await using var venue = await SimulatedKuCoinFutures.StartAsync(TimeSpan.FromMilliseconds(50));
        var overrides = AgainstSimulator(venue);
        var folder = Directory.CreateTempSubdirectory("actortrading-capture-").FullName;
        overrides["Capture:Enabled"] = "true";
        overrides["Capture:Directory"] = folder;
        using (var host = NodeHost.Build(NodeHost.LoadConfiguration(null, overrides), TextWriter.Null))
        {
            var status = host.Services.GetRequiredService<StatusConsole>();
            await host.StartAsync();
            await Until(() => status.Last is { Symbols.Count: >= 2 } last && last.Symbols.All(s => s.Health == BookHealth.Synced), 20);

            await Task.Delay(500);
            await host.StopAsync();
        }

        var records = ActorTrading.Runtime.Capture.CaptureReader.Read(folder).ToArray();
        Assert.Contains(records, r => r.Kind == ActorTrading.Runtime.Capture.CaptureKind.Frame && r.Payload.Contains("/contractMarket/level2:XBTUSDTM", StringComparison.Ordinal));
        Assert.Contains(records, r => r.Kind == ActorTrading.Runtime.Capture.CaptureKind.Rest && r.Path == "/api/v1/level2/snapshot?symbol=XBTUSDTM");
        Assert.All(records, r => Assert.Equal(("kucoin", MarketKind.Futures), (r.Venue.Value, r.Market)));
        Assert.True(records.Select(r => r.ReceivedTs).SequenceEqual(records.Select(r => r.ReceivedTs).Order()));

        var replay = new StringWriter();
        Assert.Equal(0, await Program.BuildCommandLine(replay, TextWriter.Null).Parse(["replay", "--capture", folder, "--journal", TempJournal()]).InvokeAsync());
        Assert.Contains($"{records.Count(r => r.Kind == ActorTrading.Runtime.Capture.CaptureKind.Frame)} frames", replay.ToString());
    }

    [Theory]
    [InlineData("Strategies:0:Mode", "moon", "configuration: strategy quoter: Mode 'moon' must be paper or live")]
    [InlineData("Strategies:0:Type", "nope", "configuration: strategy type 'nope' is neither a sample (quoting, funding-monitor, candle-momentum) nor a StrategyActor with a StrategyContext constructor")]
    [InlineData("Strategies:0:Symbols:0", "DOGEUSDTM", "configuration: strategy quoter: symbol DOGEUSDTM is not streamed by kucoin-futures")]
    [InlineData("Strategies:0:Id", "no spaces", "configuration: strategy no spaces: id 'no spaces' must be 1-16 letters, digits or _ (a '-' would make client order ids ambiguous)")]
    [InlineData("Strategies:0:Id", "desk-a", "configuration: strategy desk-a: id 'desk-a' must be 1-16 letters, digits or _ (a '-' would make client order ids ambiguous)")]
    [InlineData("Strategies:0:Mode", "live", "configuration: strategy quoter: live trading on kucoin-futures needs its Orders.Enabled (and credentials)")]
    [InlineData("Strategies:1:Id", "quoter", "configuration: strategy id 'quoter' is used twice")]
    public void Bad_strategy_configuration_is_a_clear_typed_error(string key, string value, string message)
    {
        var configuration = NodeHost.LoadConfiguration(null, new Dictionary<string, string?> { [key] = value });
        var e = Assert.Throws<ExchangeException>(() =>
        {
            using var host = NodeHost.Build(configuration, TextWriter.Null);
            host.StartAsync().GetAwaiter().GetResult();
            host.StopAsync().GetAwaiter().GetResult();
        });
        Assert.Equal(message, e.Error.ToString());
    }

    [Fact]
    public void Environment_variables_override_the_settings_file()
    {
        Environment.SetEnvironmentVariable("ACTORTRADING__Venues__0__RestBaseUrl", "http://127.0.0.1:1/");
        try
        {
            var configuration = NodeHost.LoadConfiguration(null);
            Assert.Equal("http://127.0.0.1:1/", configuration["Venues:0:RestBaseUrl"]);
            Assert.Equal("XBTUSDTM", configuration["Venues:0:Symbols:0"]);
        }
        finally
        {
            Environment.SetEnvironmentVariable("ACTORTRADING__Venues__0__RestBaseUrl", null);
        }
    }
}
