using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Journal;
using ActorTrading.Runtime.Hosting;
using ActorTrading.Runtime.Replay;
using ActorTrading.Runtime.Status;
using ActorTrading.Strategies;
using Akka.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace ActorTrading.Node.Hosting;

/// <summary>Builds the node: Generic Host + Akka.Hosting, configured from <c>config/appsettings.json</c> and <c>ACTORTRADING__…</c> variables.</summary>
public static partial class NodeHost
{
    public const string EnvironmentPrefix = "ACTORTRADING__";

    /// <summary>Finds a shipped file in the working directory first, then next to the executable.</summary>
    public static string Locate(string relativePath)
    {
        var local = Path.GetFullPath(relativePath);
        if (File.Exists(local))
        {
            return local;
        }

        var shipped = Path.Combine(AppContext.BaseDirectory, relativePath);
        return File.Exists(shipped)
            ? shipped
            : throw new ExchangeException(new ConfigurationError($"'{relativePath}' not found in {Environment.CurrentDirectory} or {AppContext.BaseDirectory}"));
    }

    public static IConfiguration LoadConfiguration(string? configPath, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var path = configPath is null ? Locate(Path.Combine("config", "appsettings.json")) : Path.GetFullPath(configPath);
        if (!File.Exists(path))
        {
            throw new ExchangeException(new ConfigurationError($"config file '{path}' does not exist"));
        }

        try
        {
            return new ConfigurationBuilder()
                .AddJsonFile(path, optional: false, reloadOnChange: false)
                .AddEnvironmentVariables(EnvironmentPrefix)
                .AddInMemoryCollection(overrides ?? new Dictionary<string, string?>())
                .Build();
        }
        catch (InvalidDataException e)
        {
            var reason = e.InnerException?.InnerException ?? e.InnerException ?? e;
            throw new ExchangeException(new ConfigurationError($"config file '{path}' is not valid JSON: {reason.Message.ReplaceLineEndings(" ")}"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ExchangeException(new ConfigurationError($"config file '{path}' cannot be read: {e.Message}"));
        }
    }

    /// <summary>
    /// The node. With <paramref name="replay"/> it runs on a capture instead of live feeds: virtual time from the
    /// frames, every strategy on paper, and it stops at the capture's end. Its orders are journaled as <paramref name="run"/>'s
    /// (a new run id when none is given).
    /// </summary>
    public static IHost Build(IConfiguration configuration, TextWriter statusOutput, Func<string, string?>? environment = null, ReplaySettings? replay = null, RunId? run = null)
    {
        var runId = run ?? RunId.New();
        var nodeOptions = Section<NodeOptions>(configuration, "Node") ?? new NodeOptions();
        if (nodeOptions.StatusIntervalSeconds <= 0)
        {
            throw new ExchangeException(new ConfigurationError($"Node.StatusIntervalSeconds = {nodeOptions.StatusIntervalSeconds} must be above zero"));
        }

        if (nodeOptions.OrderAnswerTimeoutSeconds <= 0)
        {
            throw new ExchangeException(new ConfigurationError($"Node.OrderAnswerTimeoutSeconds = {nodeOptions.OrderAnswerTimeoutSeconds} must be above zero"));
        }

        var venues = Entries<VenueOptions>(configuration, "Venues");
        var definitions = venues.Where(v => v.Enabled).Select(v => v.ToDefinition(environment ?? Environment.GetEnvironmentVariable)).ToList();
        if (definitions.Count == 0)
        {
            throw new ExchangeException(new ConfigurationError("no venue is enabled in the configuration"));
        }

        var journal = JournalSettings.Parse(configuration["Journal:Store"], environment ?? Environment.GetEnvironmentVariable);
        var cluster = (Section<ClusterNodeOptions>(configuration, "Cluster") ?? new ClusterNodeOptions()).ToSettings();
        if (replay is null && cluster.JoinsOthers && journal.Provider == JournalProvider.Sqlite)
        {
            // Nodes of one cluster share one journal, and a SQLite file is one machine's.
            throw new ExchangeException(new ConfigurationError(
                $"a node that joins other nodes (Cluster:SeedNodes) needs the PostgreSQL journal, not {journal.Spec}: set Journal:Store to postgres and {JournalSettings.PostgresVariable}"));
        }

        var enabled = Entries<StrategyOptions>(configuration, "Strategies").Where(s => s.Enabled).ToArray();
        var strategies = enabled.Select(s => s.ToSettings(definitions))
            .Select(s => replay is null ? s : s with { Paper = true })   // a replay never trades live
            .ToArray();
        if (strategies.GroupBy(s => s.Id).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new ExchangeException(new ConfigurationError($"strategy id '{twice.Key}' is used twice"));
        }

        // The order desk (wherever it runs) holds every strategy's limits and paper venue; this node runs the strategies
        // of its roles (a replay runs them all).
        var strategiesHere = replay is null ? strategies.Where((_, i) => enabled[i].RunsOn(cluster.Roles)).ToArray() : strategies;

        var paper = (Section<PaperOptions>(configuration, "Paper") ?? new PaperOptions()).Checked();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, Configuration = new ConfigurationManager() });
        builder.Configuration.AddConfiguration(configuration);
        builder.Logging.ClearProviders();
        builder.Logging.AddConfiguration(configuration.GetSection("Logging"));
        // Ctrl+C belongs to the command line (it cancels the run's token): the host's console lifetime would stop the
        // actor system in the middle of its start.
        builder.Services.AddSingleton<IHostLifetime, CommandLineLifetime>();

        // Logs go to stderr, never into the status view on stdout: a line of text each, or a JSON object each.
        var logFormat = nodeOptions.LogFormatChecked();
        if (logFormat == LogFormat.Json)
        {
            builder.Logging.AddJsonConsole(o =>
            {
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                o.JsonWriterOptions = new System.Text.Json.JsonWriterOptions { Indented = false };
            });
        }
        else
        {
            builder.Logging.AddConsole(o => o.FormatterName = TextLineFormatter.FormatterName).AddConsoleFormatter<TextLineFormatter, ConsoleFormatterOptions>();
        }

        // A service that fails to start ends the command with its one error line; the host's own report would add a stack trace.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);

        var httpOptions = (Section<Http.HttpOptions>(configuration, "Http") ?? new Http.HttpOptions()).Checked();
        if (httpOptions.Enabled)
        {
            // Registered before the actor system: its meters listen from the node's first REST call on.
            Http.NodeHttpServer.AddMetrics(builder.Services);
        }

        var replayClock = replay is null ? null : new ReplayClock(replay.StartTime());
        TimeProvider clock = replayClock ?? TimeProvider.System;
        var capture = replay is null ? CaptureOptions.From(configuration, clock) : null;
        var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var busHolder = new MarketDataBusHolder();
        builder.Services.AddSingleton(busHolder);
        builder.Services.AddSingleton(http);
        builder.Services.AddAkka("actortrading", (akka, _) =>
        {
            akka.AddSetup(new NodeLogSetup(runId.Value, logFormat));
            akka.AddHoconFile(Locate("hocon.conf"), HoconAddMode.Prepend)
                .ConfigureLoggers(loggers =>
                {
                    loggers.ClearLoggers();
                    loggers.AddLogger<NodeLogger>();
                });
            if (replay is null)
            {
                // A replay stays one process on virtual time; a live node is a cluster member, of a cluster of one by default.
                akka.WithNodeCluster(cluster).WithMarketData(definitions, http, busHolder, clock, capture);
            }
            else
            {
                akka.AddHocon(ReplaySettings.Hocon, HoconAddMode.Prepend).WithReplay(definitions, busHolder, replay, clock);
            }

            var live = replay is null ? definitions.Where(d => d.OrderEntry is not null).Select(d => (d.Venue, d.Market)) : [];
            akka.WithOrderJournal(journal, live, busHolder, StrategyHosting.Limits(strategies), clock, StrategyHosting.PaperVenues(strategies, paper.Fees, paper.Latency, runId, clock), runId,
                    TimeSpan.FromSeconds(nodeOptions.OrderAnswerTimeoutSeconds))
                .WithStrategies(strategiesHere, busHolder, runId, clock)
                .WithActors((system, _) => system.ActorOf(NodeAudit.Props(journal), "audit"))
                .WithActors((system, registry) => registry.Register<Http.ActivityRecorder>(system.ActorOf(Http.ActivityRecorder.Props(busHolder.Bus!), "activity")));
        });
        builder.Services.AddSingleton(sp => new StatusConsole(
            sp.GetRequiredService<IRequiredActor<StatusCollector>>(), sp.GetRequiredService<IRequiredActor<StrategiesSupervisor>>(),
            TimeSpan.FromSeconds(nodeOptions.StatusIntervalSeconds), statusOutput));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<StatusConsole>());
        builder.Services.AddSingleton(sp => new Http.NodeSources(sp.GetRequiredService<StatusConsole>(), sp.GetRequiredService<Akka.Actor.ActorSystem>(),
            sp.GetRequiredService<IRequiredActor<Runtime.Venues.ExchangesRoot>>(), sp.GetRequiredService<IRequiredActor<Http.ActivityRecorder>>(),
            sp.GetRequiredService<IRequiredActor<OrderGateway>>(), journal, runId, TimeSpan.FromSeconds(nodeOptions.StatusIntervalSeconds)));
        if (httpOptions.Enabled)
        {
            // Health, the JSON API and metrics, up as long as the node is.
            builder.Services.AddHostedService(sp => new Http.NodeHttpServer(httpOptions, sp.GetRequiredService<Http.NodeSources>(), statusOutput, environment ?? Environment.GetEnvironmentVariable, sp.GetRequiredService<OpenTelemetry.Metrics.MeterProvider>(),
                sp.GetRequiredService<ILogger<Http.NodeHttpServer>>()));
        }
        if (replay is null)
        {
            builder.Services.AddHostedService(sp => new NodeAddressFile(sp.GetRequiredService<Akka.Actor.ActorSystem>(), nodeOptions.AddressFile));
        }

        if (capture is not null)
        {
            // Completes the open capture files when the node stops (frames still arriving after that are dropped).
            builder.Services.AddHostedService(_ => new CaptureCloser(capture));
        }

        if (replay is not null)
        {
            builder.Services.AddSingleton(sp => new ReplayRunner(
                sp.GetRequiredService<Akka.Actor.ActorSystem>(), sp.GetRequiredService<IRequiredActor<StrategiesSupervisor>>(),
                sp.GetRequiredService<IRequiredActor<Runtime.Venues.ExchangesRoot>>(), busHolder, definitions,
                replayClock!, replay, sp.GetRequiredService<IHostApplicationLifetime>()));
            builder.Services.AddHostedService(sp => sp.GetRequiredService<ReplayRunner>());
        }

        return builder.Build();
    }

    /// <summary>
    /// A section of the settings bound to its options type; a value of the wrong type is a configuration error naming
    /// its key (<c>Venues:0:Feed:BackoffMinSeconds = 'soon' is not a number</c>), never a silent default.
    /// </summary>
    public static T? Section<T>(IConfiguration configuration, string name) => Bind<T>(configuration.GetSection(name), name);

    /// <summary>
    /// A list section, each entry bound on its own: the binder drops a list entry it cannot bind without a word, and a
    /// venue would vanish for one mistyped value.
    /// </summary>
    public static List<T> Entries<T>(IConfiguration configuration, string name) =>
        configuration.GetSection(name).GetChildren().Select(entry => Bind<T>(entry, $"{name}:{entry.Key}")).OfType<T>().ToList();

    private static T? Bind<T>(IConfigurationSection section, string name)
    {
        try
        {
            return section.Get<T>();
        }
        catch (InvalidOperationException e) when (BindingFailure().Match(e.Message) is { Success: true } bad)
        {
            throw new ExchangeException(new ConfigurationError($"{bad.Groups["key"].Value} = '{bad.Groups["value"].Value}' is not {Cli.CliErrors.Expected(bad.Groups["type"].Value)}"));
        }
        catch (InvalidOperationException e)
        {
            throw new ExchangeException(new ConfigurationError($"settings section {name}: {e.Message}"));
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex("value '(?<value>.*)' at '(?<key>[^']+)' to type '(?<type>[^']+)'")]
    private static partial System.Text.RegularExpressions.Regex BindingFailure();

    /// <summary>
    /// Configuration keys that point one venue+market at a local server (<c>run --simulate</c>) and turn off every other
    /// venue and the strategies on them; a configuration without that venue is an error that says which file has one.
    /// </summary>
    public static Dictionary<string, string?> PointVenueAt(IConfiguration configuration, VenueId venue, MarketKind market, Uri restBase, Uri? streamBase = null)
    {
        static bool Is(IConfigurationSection entry, VenueId venue, MarketKind market) =>
            string.Equals(entry["Venue"], venue.Value, StringComparison.OrdinalIgnoreCase)
            && string.Equals(entry["Market"], market.ToWire(), StringComparison.OrdinalIgnoreCase);

        var venues = configuration.GetSection("Venues").GetChildren().ToArray();
        if (!venues.Any(entry => Is(entry, venue, market)))
        {
            throw new ExchangeException(new ConfigurationError(
                $"the configuration has no {venue} {market.ToWire()} venue to point at the simulator (config/{venue}.example.json has it: pass it with --config)"));
        }

        var overrides = new Dictionary<string, string?>();
        foreach (var entry in venues)
        {
            if (Is(entry, venue, market))
            {
                overrides[$"Venues:{entry.Key}:Enabled"] = "true";
                overrides[$"Venues:{entry.Key}:RestBaseUrl"] = restBase.ToString();
                overrides[$"Venues:{entry.Key}:WsEndpoint"] = streamBase?.ToString();
            }
            else
            {
                overrides[$"Venues:{entry.Key}:Enabled"] = "false";
            }
        }

        foreach (var strategy in configuration.GetSection("Strategies").GetChildren().Where(s => !Is(s, venue, market)))
        {
            overrides[$"Strategies:{strategy.Key}:Enabled"] = "false";
        }

        return overrides;
    }

    /// <summary>A host lifetime that leaves signals alone: the command's cancellation token stops the host.</summary>
    private sealed class CommandLineLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class CaptureCloser(IDisposable capture) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken)
        {
            capture.Dispose();
            return Task.CompletedTask;
        }
    }
}
