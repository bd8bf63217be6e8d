using System.CommandLine;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Exchanges;
using ActorTrading.Journal;
using ActorTrading.Node.Cli;
using ActorTrading.Node.Hosting;
using ActorTrading.Runtime.Replay;
using ActorTrading.Simulator;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace ActorTrading.Node;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        using var interruption = new Interruption();
        var parse = BuildCommandLine(Console.Out, Console.Error).Parse(args);
        if (parse.Errors.Count > 0)
        {
            await Console.Error.WriteLineAsync(CliErrors.UsageLine(parse.Errors[0].Message)).ConfigureAwait(false);
            return CliErrors.Usage;
        }

        try
        {
            // Ctrl+C (and SIGTERM) cancel the command's token; a command still running 10 s later is ended.
            var invocation = new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null };
            return await interruption.RunAsync(token => parse.InvokeAsync(invocation, token)).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            var (line, exitCode) = CliErrors.Describe(e);
            await Console.Error.WriteLineAsync(line).ConfigureAwait(false);
            return exitCode;
        }
    }

    public static RootCommand BuildCommandLine(TextWriter stdout, TextWriter stderr, CliEnvironment? environment = null)
    {
        var root = new RootCommand("ActorTrading: an actor-based multi-exchange crypto trading node");
        root.Subcommands.Add(RunCommand(stdout));
        root.Subcommands.Add(ReplayCommand(stdout));
        root.Subcommands.Add(DecodeCommand(stdout, stderr));
        root.Subcommands.Add(BookCommand(stdout, stderr));
        root.Subcommands.Add(CallCommandLine(stdout, environment ?? CliEnvironment.Process));
        root.Subcommands.Add(AuditCommandLine(stdout, stderr, environment ?? CliEnvironment.Process));
        root.Subcommands.Add(JournalDrillCommandLine(stdout, environment ?? CliEnvironment.Process));
        root.Subcommands.Add(OrderCommandLine(stdout, environment ?? CliEnvironment.Process));
        root.Subcommands.Add(StatusCommandLine(stdout, environment ?? CliEnvironment.Process));
        return root;
    }

    private static Command AuditCommandLine(TextWriter stdout, TextWriter stderr, CliEnvironment environment)
    {
        var report = new Argument<string>("report") { Description = "orders, fills, events, summary or verify" };
        var venue = new Option<string?>("--venue") { Description = "Only this venue, e.g. kucoin" };
        var symbol = new Option<string?>("--symbol") { Description = "Only this symbol" };
        var strategy = new Option<string?>("--strategy") { Description = "Only this strategy id" };
        var order = new Option<string?>("--order") { Description = "Only this client order id" };
        var from = new Option<string?>("--from") { Description = "From this time (ISO-8601 or Unix ms), inclusive" };
        var to = new Option<string?>("--to") { Description = "Up to this time (ISO-8601 or Unix ms), inclusive" };
        var run = new Option<string?>("--run") { Description = "Only the orders of this node run (its id is printed when the run stops)" };
        var format = new Option<string>("--format") { Description = "table, csv or json", DefaultValueFactory = _ => "table" };
        var node = NodeOption("Ask this running node to read its own journal, akka.tcp://actortrading@host:port (instead of --journal)");
        var journal = JournalOption();
        var config = ConfigOption();
        var command = new Command("audit", "Read the order/fill journal: orders, fills, raw events, per-strategy summary, or verify it")
        {
            report, venue, symbol, strategy, order, from, to, run, format, node, journal, config,
        };
        command.SetAction(async (result, ct) =>
        {
            try
            {
                var filter = new AuditFilter(result.GetValue(venue), result.GetValue(symbol), result.GetValue(strategy), result.GetValue(order),
                    AuditFilter.ParseTime(result.GetValue(from)), AuditFilter.ParseTime(result.GetValue(to)), result.GetValue(run));
                var outputFormat = Enum.TryParse<AuditFormat>(result.GetValue(format), ignoreCase: true, out var f)
                    ? f
                    : throw new ExchangeException(new ConfigurationError($"unknown format '{result.GetValue(format)}' (table, csv, json)"));
                return await AuditCommand.RunAsync(result.GetValue(report)!, filter, outputFormat, result.GetValue(journal), result.GetValue(config), environment, stdout, ct, stderr,
                    result.GetValue(node)).ConfigureAwait(false);
            }
            catch (FormatException e)
            {
                throw new ExchangeException(new ConfigurationError(e.Message));
            }
        });
        return command;
    }

    /// <summary><c>--stop rises-to|falls-to --stop-price P [--stop-source last|mark|index]</c>, all or nothing.</summary>
    private static Core.Orders.StopTrigger? StopFrom(string? direction, decimal? price, string? source)
    {
        if (direction is null)
        {
            return price is null ? null : throw new ExchangeException(new ConfigurationError("--stop-price needs --stop rises-to or falls-to"));
        }

        var way = direction.ToLowerInvariant() switch
        {
            "rises-to" => Core.Orders.TriggerDirection.RisesTo,
            "falls-to" => Core.Orders.TriggerDirection.FallsTo,
            _ => throw new ExchangeException(new ConfigurationError($"--stop must be rises-to or falls-to, not '{direction}'")),
        };
        var watched = source?.ToLowerInvariant() switch
        {
            "last" or null => Core.Orders.TriggerPrice.LastTrade,
            "mark" => Core.Orders.TriggerPrice.Mark,
            "index" => Core.Orders.TriggerPrice.Index,
            _ => throw new ExchangeException(new ConfigurationError($"--stop-source must be last, mark or index, not '{source}'")),
        };
        return price is > 0
            ? new Core.Orders.StopTrigger(way, price.Value, watched)
            : throw new ExchangeException(new ConfigurationError("--stop needs a positive --stop-price"));
    }

    private static Command OrderCommandLine(TextWriter stdout, CliEnvironment environment)
    {
        var action = new Argument<string>("action") { Description = "place, cancel, amend or status" };
        var venue = new Argument<string>("venue") { Description = "Exchange: kucoin" };
        var market = new Option<string>("--market") { Description = "futures or spot", DefaultValueFactory = _ => "futures" };
        var symbol = new Option<string?>("--symbol") { Description = "place: the symbol, e.g. XBTUSDTM" };
        var side = new Option<string?>("--side") { Description = "place: buy or sell" };
        var type = new Option<string>("--type") { Description = "place: limit or market", DefaultValueFactory = _ => "limit" };
        var size = new Option<decimal?>("--size") { Description = "place: size in the venue's unit (contracts for futures); amend: the new size" };
        var price = new Option<decimal?>("--price") { Description = "place: limit price; amend: the new price" };
        var tif = new Option<string>("--tif") { Description = "place: GTC, IOC or FOK", DefaultValueFactory = _ => "GTC" };
        var postOnly = new Option<bool>("--post-only") { Description = "place: maker only" };
        var reduceOnly = new Option<bool>("--reduce-only") { Description = "place: only reduce the position" };
        var leverage = new Option<int?>("--leverage") { Description = "place: leverage (futures; default Orders.Leverage)" };
        var stop = new Option<string?>("--stop") { Description = "place: a stop order that triggers when the price rises-to or falls-to --stop-price" };
        var stopPrice = new Option<decimal?>("--stop-price") { Description = "place: the stop's trigger price" };
        var stopSource = new Option<string>("--stop-source") { Description = "place: the price the stop watches: last, mark or index", DefaultValueFactory = _ => "last" };
        var strategy = new Option<string>("--strategy") { Description = "Strategy id the order belongs to", DefaultValueFactory = _ => "cli" };
        var request = new Option<string?>("--request-id") { Description = "place: idempotency key; the same key never places twice (default: the time)" };
        var order = new Option<string?>("--order") { Description = "cancel/amend/status: the client order id" };
        var node = NodeOption("The running node to send it to, akka.tcp://actortrading@host:port (default: the one `run` wrote to Node.AddressFile, unless --journal is named)");
        var journal = JournalOption();
        var config = ConfigOption();
        var command = new Command("order", "Place, cancel, amend or look up one order: through the running node's order desk, else its own gateway on the journal")
        {
            action, venue, market, symbol, side, type, size, price, tif, postOnly, reduceOnly, leverage, stop, stopPrice, stopSource, strategy, request, order, node, journal, config,
        };
        command.SetAction(async (result, ct) =>
        {
            var verb = result.GetValue(action)!;
            if (verb is not ("place" or "cancel" or "amend" or "status"))
            {
                throw new ExchangeException(new ConfigurationError($"unknown order action '{verb}' (place, cancel, amend, status)"));
            }

            if (!MarketKindNames.TryParse(result.GetValue(market), out var kind))
            {
                throw new ExchangeException(new ConfigurationError($"unknown market '{result.GetValue(market)}'"));
            }

            OrderRequest? ticket = null;
            if (verb == "place")
            {
                ticket = new OrderRequest(
                    new Core.Ids.Symbol(result.GetValue(symbol) ?? throw new ExchangeException(new ConfigurationError("--symbol is required"))),
                    result.GetValue(side)?.ToLowerInvariant() switch
                    {
                        "buy" => Core.Market.Side.Buy,
                        "sell" => Core.Market.Side.Sell,
                        _ => throw new ExchangeException(new ConfigurationError("--side must be buy or sell")),
                    },
                    result.GetValue(type)?.ToLowerInvariant() == "market" ? Core.Orders.OrderType.Market : Core.Orders.OrderType.Limit,
                    result.GetValue(size) ?? throw new ExchangeException(new ConfigurationError("--size is required")),
                    result.GetValue(price),
                    result.GetValue(tif)?.ToUpperInvariant() switch
                    {
                        "IOC" => Core.Orders.TimeInForce.ImmediateOrCancel,
                        "FOK" => Core.Orders.TimeInForce.FillOrKill,
                        _ => Core.Orders.TimeInForce.GoodTillCanceled,
                    },
                    result.GetValue(postOnly),
                    result.GetValue(reduceOnly),
                    result.GetValue(leverage),
                    StopFrom(result.GetValue(stop), result.GetValue(stopPrice), result.GetValue(stopSource)));
            }

            return await OrderCommand.RunAsync(verb, result.GetValue(venue)!, kind, result.GetValue(strategy)!, result.GetValue(request), result.GetValue(order), ticket,
                result.GetValue(journal), result.GetValue(config), environment, stdout, ct, (result.GetValue(price), result.GetValue(size)), result.GetValue(node)).ConfigureAwait(false);
        });
        return command;
    }

    private static Option<string?> NodeOption(string description) => new("--node") { Description = description };

    private static Command StatusCommandLine(TextWriter stdout, CliEnvironment environment)
    {
        var node = NodeOption("The node's address, akka.tcp://actortrading@host:port (default: the one `run` wrote to Node.AddressFile)");
        var format = new Option<string>("--format") { Description = "table or json", DefaultValueFactory = _ => "table" };
        var config = ConfigOption();
        var command = new Command("status", "Ask the running node what it is doing: cluster members, every venue's feeds and books") { node, format, config };
        command.SetAction((result, ct) => StatusCommand.RunAsync(result.GetValue(node), result.GetValue(format)!, result.GetValue(config), environment, stdout, ct));
        return command;
    }

    private static Command JournalDrillCommandLine(TextWriter stdout, CliEnvironment environment)
    {
        var orders = new Option<int>("--orders") { Description = "Orders in the burst", DefaultValueFactory = _ => 200 };
        var fills = new Option<int>("--fills-per-order") { Description = "Fills per order (each delivered twice)", DefaultValueFactory = _ => 3 };
        var journal = JournalOption();
        var config = ConfigOption();
        var command = new Command("journal-drill", "A burst of orders and fills into the journal (crash-safety and write-rate drill)") { orders, fills, journal, config };
        command.SetAction((result, ct) => JournalDrill.RunAsync(result.GetValue(orders), result.GetValue(fills), result.GetValue(journal), result.GetValue(config), environment, stdout, ct));
        return command;
    }

    private static Command CallCommandLine(TextWriter stdout, CliEnvironment environment)
    {
        var venue = new Argument<string>("venue") { Description = "Exchange: kucoin or binance" };
        var operation = new Argument<string?>("operation") { Description = "Operation, e.g. get-ticker (see --list)", Arity = ArgumentArity.ZeroOrOne };
        var market = new Option<string>("--market") { Description = "futures, spot, margin or unified", DefaultValueFactory = _ => "futures" };
        var parameters = new Option<string[]>("--param") { Description = "k=v, repeatable", AllowMultipleArgumentsPerToken = false };
        var list = new Option<bool>("--list") { Description = "List operations and their parameters" };
        var config = ConfigOption();
        var command = new Command("call", "Run one typed REST operation and print its result as JSON") { venue, operation, market, parameters, list, config };
        command.SetAction(async (result, ct) =>
        {
            var venueName = result.GetValue(venue)!.ToLowerInvariant();
            if (CallOperations.Refusal(venueName) is { } unknownVenue)
            {
                await stdout.WriteLineAsync(CallCommand.ErrorLine(unknownVenue)).ConfigureAwait(false);
                return 1;
            }

            if (!MarketKindNames.TryParse(result.GetValue(market), out var kind))
            {
                await stdout.WriteLineAsync(CallCommand.ErrorLine(new ConfigurationError($"unknown market '{result.GetValue(market)}'"))).ConfigureAwait(false);
                return 1;
            }

            if (result.GetValue(list) || result.GetValue(operation) is null)
            {
                // Without --market (its default is implicit) every market's operations are listed.
                return CallCommand.List(venueName, result.GetResult(market) is { Implicit: false } ? kind : null, stdout);
            }

            return await CallCommand.RunAsync(venueName, result.GetValue(operation)!, kind, result.GetValue(parameters) ?? [], result.GetValue(config), environment, stdout, ct).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>The settings file option every command that reads settings takes.</summary>
    private static Option<string?> ConfigOption() => new("--config") { Description = "Settings file (default: config/appsettings.json)" };

    /// <summary>The journal option every command that reads or writes the journal takes.</summary>
    private static Option<string?> JournalOption() => new("--journal") { Description = "sqlite:PATH or postgres (default: Journal.Store of the settings)" };

    /// <summary>The capture shipped with the node: what <c>run --offline</c> replays and the replay tests use.</summary>
    public const string ShippedCapture = "config/capture/kucoin-futures-sample.capture.jsonl.gz";

    private static Command RunCommand(TextWriter stdout)
    {
        var config = ConfigOption();
        var offline = new Option<bool>("--offline") { Description = "Replay the shipped capture at its own pace instead of live data: no network needed" };
        var simulate = new Option<string?>("--simulate")
        {
            Arity = ArgumentArity.ZeroOrOne,
            Description = "Run against a built-in simulated venue on loopback: kucoin (the default: KuCoin Futures), binance (USDⓈ-M), bybit (linear), kraken (spot) or cryptocom (spot), the last four with a configuration that has that venue (config/binance.example.json, config/bybit.example.json, config/kraken.example.json, config/cryptocom.example.json); with Capture.Enabled, records a capture of it",
        };
        var duration = new Option<double?>("--duration") { Description = "Stop by itself after this many seconds" };
        var journal = JournalOption();
        var command = new Command("run", "Start the node: stream the configured venues, run the strategies, print a live status every second")
        {
            config, offline, simulate, duration, journal,
        };
        command.SetAction(async (result, ct) =>
        {
            if (result.GetValue(duration) is <= 0 or double.NaN or double.PositiveInfinity)
            {
                throw new ExchangeException(new ConfigurationError($"--duration {result.GetValue(duration)}: a number of seconds above zero"));
            }

            var simulated = result.GetResult(simulate) is null ? null : result.GetValue(simulate) ?? "kucoin";
            if (result.GetValue(offline) && simulated is not null)
            {
                throw new ExchangeException(new ConfigurationError("--offline and --simulate exclude each other: --offline replays the shipped capture, --simulate streams a simulated venue"));
            }

            var run = RunId.New();
            var offlineRun = result.GetValue(offline);
            var overrides = JournalOverride(result.GetValue(journal) ?? (offlineRun ? ReplayJournal(run) : null));
            var configuration = NodeHost.LoadConfiguration(result.GetValue(config), overrides);
            if (offlineRun)
            {
                return await RunNodeAsync(configuration, new ReplaySettings(NodeHost.Locate(ShippedCapture), 1), run, stdout, stdout, result.GetValue(duration), ct).ConfigureAwait(false);
            }

            await using var venue = simulated is null ? null : await SimulatedVenue.StartAsync(simulated).ConfigureAwait(false);
            if (venue is not null)
            {
                foreach (var (key, value) in NodeHost.PointVenueAt(configuration, venue.Venue, venue.Market, venue.RestBaseUri, venue.StreamBase))
                {
                    overrides[key] = value;
                }

                configuration = NodeHost.LoadConfiguration(result.GetValue(config), overrides);
            }

            return await RunNodeAsync(configuration, null, run, stdout, stdout, result.GetValue(duration), ct).ConfigureAwait(false);
        });
        return command;
    }

    private static Command ReplayCommand(TextWriter stdout)
    {
        var capture = new Option<string>("--capture") { Description = "A capture file, or a folder of them", Required = true };
        var speed = new Option<string>("--speed") { Description = "1 (as recorded), 10, ... or max", DefaultValueFactory = _ => "max" };
        var strategy = new Option<string?>("--strategy") { Description = "Run only this strategy of the settings" };
        var runId = new Option<string?>("--run-id") { Description = "The run id to journal the replay's orders under (default: a new one); the same id on a fresh journal repeats a replay exactly" };
        var journal = JournalOption();
        var config = ConfigOption();
        var command = new Command("replay", "Feed a capture through the same adapters, books, bus and strategies on virtual time; paper trading only")
        {
            capture, speed, strategy, runId, journal, config,
        };
        command.SetAction(async (result, ct) =>
        {
            var run = RunId.New();
            if (result.GetValue(runId) is { } given && !RunId.TryParse(given, out run))
            {
                throw new ExchangeException(new ConfigurationError($"--run-id '{given}': 1 to 12 lower-case letters or digits"));
            }

            var overrides = JournalOverride(result.GetValue(journal) ?? ReplayJournal(run));
            var configuration = NodeHost.LoadConfiguration(result.GetValue(config), overrides);
            if (result.GetValue(strategy) is { } only)
            {
                var entries = configuration.GetSection("Strategies").GetChildren().ToArray();
                if (!entries.Any(e => e["Id"] == only))
                {
                    throw new ExchangeException(new ConfigurationError($"no strategy '{only}' in the settings"));
                }

                foreach (var entry in entries)
                {
                    overrides[$"Strategies:{entry.Key}:Enabled"] = entry["Id"] == only ? "true" : "false";
                }

                configuration = NodeHost.LoadConfiguration(result.GetValue(config), overrides);
            }

            var pace = result.GetValue(speed)!;
            double? rate = pace == "max" ? null
                : double.TryParse(pace, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var x) && x > 0 ? x
                : throw new ExchangeException(new ConfigurationError($"--speed '{pace}': a positive number or max"));
            var path = result.GetValue(capture)!;
            if (!File.Exists(path) && !Directory.Exists(path))
            {
                throw new ExchangeException(new ConfigurationError($"capture '{path}' not found"));
            }

            // As fast as it goes there is no status view to watch: a progress line says how far it is instead.
            var settings = new ReplaySettings(path, rate) { Progress = rate is null ? new ReplayProgressLine(stdout) : null };
            return await RunNodeAsync(configuration, settings, run, stdout, rate is null ? TextWriter.Null : stdout, null, ct).ConfigureAwait(false);
        });
        return command;
    }

    private static Dictionary<string, string?> JournalOverride(string? spec) =>
        spec is null ? [] : new Dictionary<string, string?> { ["Journal:Store"] = spec };

    /// <summary>Where an offline run or a replay journals unless told otherwise: a file of its own, never the live journal.</summary>
    private static string ReplayJournal(RunId run) => $"sqlite:{Path.Combine("data", "replays", run.Value + ".db")}";

    /// <summary>Runs the node (live, or on a replay) until Ctrl+C, the duration or the capture's end, then summarizes the run.</summary>
    private static async Task<int> RunNodeAsync(IConfiguration configuration, ReplaySettings? replay, RunId run, TextWriter stdout, TextWriter statusOutput, double? duration, CancellationToken ct)
    {
        using var host = NodeHost.Build(configuration, statusOutput, replay: replay, run: run);
        var journal = JournalSettings.Parse(configuration["Journal:Store"], Environment.GetEnvironmentVariable);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (duration is { } seconds)
        {
            stop.CancelAfter(TimeSpan.FromSeconds(seconds));
        }

        var started = DateTimeOffset.UtcNow;
        var status = (StatusConsole?)host.Services.GetService(typeof(StatusConsole));
        var replayer = (ReplayRunner?)host.Services.GetService(typeof(ReplayRunner));
        // A start is never cut in half (the actor system would stop under its own starters): Ctrl+C during it stops
        // the node as soon as it is up.
        await host.StartAsync(CancellationToken.None).ConfigureAwait(false);
        await host.WaitForShutdownAsync(stop.Token).ConfigureAwait(false);
        await stdout.WriteLineAsync($"run {run} stopped after {(DateTimeOffset.UtcNow - started).TotalSeconds:0} s; "
            + $"{status?.Last?.Symbols.Sum(s => s.Messages) ?? 0} messages received; protocol errors: {status?.Last?.ErrorCount ?? 0}").ConfigureAwait(false);
        if (replay is not null && replayer is { Result: { } done })
        {
            await stdout.WriteLineAsync($"replayed {replay.Capture}: {done.Frames} frames, {done.Messages} messages, {done.Errors} frame errors").ConfigureAwait(false);
        }

        await SessionSummaryAsync(journal, run, stdout).ConfigureAwait(false);
        return 0;
    }

    /// <summary>What this run did, from the journal: <c>audit summary</c> of the run's orders, and how to look closer.</summary>
    private static async Task SessionSummaryAsync(JournalSettings journal, RunId run, TextWriter stdout)
    {
        var records = await AuditCommand.LoadAsync(journal, CancellationToken.None).ConfigureAwait(false);
        var (headers, rows) = AuditCommand.Summary(records, new AuditFilter(RunId: run.Value));
        var summary = rows.ToArray();
        await stdout.WriteLineAsync(summary.Length == 0 ? "this run placed no orders" : "this run (orders, fills, PnL per venue, symbol and strategy):").ConfigureAwait(false);
        if (summary.Length > 0)
        {
            await stdout.WriteAsync(AuditCommand.Render(headers, summary, AuditFormat.Table)).ConfigureAwait(false);
        }

        await stdout.WriteLineAsync($"journal: {journal.Describe()}").ConfigureAwait(false);

        await stdout.WriteLineAsync($"inspect it: dotnet run --project src/ActorTrading.Node -- audit fills --run {run} --journal {journal.Spec}").ConfigureAwait(false);
    }

    private static (Option<string> Venue, Option<string> Market) VenueOptions() =>
        (new Option<string>("--venue") { Description = "Exchange, e.g. kucoin", Required = true },
         new Option<string>("--market") { Description = "futures or spot", DefaultValueFactory = _ => "futures" });

    private static IVenueModule Module(ParseResult result, Option<string> venue, Option<string> market) =>
        MarketKindNames.TryParse(result.GetValue(market), out var kind)
            ? ExchangeCatalog.Find(result.GetValue(venue)!, kind)
            : throw new ExchangeException(new ConfigurationError($"unknown market '{result.GetValue(market)}'"));

    private static Command DecodeCommand(TextWriter stdout, TextWriter stderr)
    {
        var (venue, market) = VenueOptions();
        var input = new Option<string>("--input") { Description = "File of raw frames, one per line, or - for stdin", DefaultValueFactory = _ => "-" };
        var command = new Command("decode", "Decode raw WebSocket frames into normalized JSON lines") { venue, market, input };
        command.SetAction(result =>
        {
            var module = Module(result, venue, market);
            using var reader = OpenInput(result.GetValue(input)!, stderr);
            return reader is null ? 2 : FrameCommands.Decode(module, reader, stdout, TimeProvider.System);
        });
        return command;
    }

    private static Command BookCommand(TextWriter stdout, TextWriter stderr)
    {
        var (venue, market) = VenueOptions();
        var symbol = new Option<string>("--symbol") { Description = "Venue symbol, e.g. XBTUSDTM", Required = true };
        var input = new Option<string>("--input") { Description = "File of raw frames, one per line, or - for stdin", Required = true };
        var snapshot = new Option<string?>("--snapshot") { Description = "REST level2 snapshot response body, as the venue returns it" };
        var depth = new Option<int>("--depth") { Description = "Levels per side in the final state", DefaultValueFactory = _ => 10 };
        var command = new Command("book", "Run frames through the order-book logic and print book events and the final book") { venue, market, symbol, input, snapshot, depth };
        command.SetAction(result =>
        {
            if (result.GetValue(depth) < 1)
            {
                throw new ExchangeException(new ConfigurationError($"--depth {result.GetValue(depth)}: at least 1 level"));
            }

            var module = Module(result, venue, market);
            byte[]? body = null;
            if (result.GetValue(snapshot) is { } snapshotPath)
            {
                if (!File.Exists(snapshotPath))
                {
                    stderr.WriteLine($"error: snapshot file '{snapshotPath}' not found");
                    return 2;
                }

                body = File.ReadAllBytes(snapshotPath);
            }

            using var reader = OpenInput(result.GetValue(input)!, stderr);
            return reader is null ? 2 : FrameCommands.Book(module, result.GetValue(symbol)!, reader, body, result.GetValue(depth), stdout, TimeProvider.System);
        });
        return command;
    }

    private static TextReader? OpenInput(string path, TextWriter stderr)
    {
        if (path == "-")
        {
            return Console.In;
        }

        if (!File.Exists(path))
        {
            stderr.WriteLine($"error: input file '{path}' not found");
            return null;
        }

        return new StreamReader(path);
    }
}
