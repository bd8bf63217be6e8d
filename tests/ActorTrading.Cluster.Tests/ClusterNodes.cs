using ActorTrading.Core.Ids;
using ActorTrading.Node.Hosting;
using ActorTrading.Runtime.Venues;
using ActorTrading.Simulator;
using ActorTrading.TestExchange;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ActorTrading.Cluster.Tests;

/// <summary>
/// Whole nodes (NodeHost, as <c>run</c> builds them) in one process, on loopback, sharing one PostgreSQL journal and
/// one venue (the simulated KuCoin Futures unless given other venue settings); the first joins itself, the others join it.
/// </summary>
public sealed class ClusterNodes : IAsyncDisposable
{
    private readonly List<IHost> _hosts = [];
    private readonly string _files = Directory.CreateTempSubdirectory("actortrading-cluster-").FullName;
    private readonly Func<IConfiguration, Dictionary<string, string?>> _venueSettings;
    private readonly IReadOnlyDictionary<string, string?> _environment;

    private ClusterNodes(SimulatedKuCoinFutures? simulator, JournalDatabase journal, Func<IConfiguration, Dictionary<string, string?>> venueSettings, IReadOnlyDictionary<string, string?> environment)
    {
        Simulator = simulator;
        Journal = journal;
        _venueSettings = venueSettings;
        _environment = environment;
    }

    /// <summary>The simulated KuCoin Futures the nodes stream (null when they were given other venue settings).</summary>
    public SimulatedKuCoinFutures? Simulator { get; }

    public SimulatedKuCoinFutures Venue => Simulator ?? throw new InvalidOperationException("these nodes use other venue settings");

    public JournalDatabase Journal { get; }

    public IReadOnlyList<IHost> Hosts => _hosts;

    /// <summary>Where the <paramref name="index"/>th node started writes its address (each node its own file).</summary>
    public string AddressFile(int index) => Path.Combine(_files, $"node-{index}.address");

    /// <summary>Nodes streaming the simulated KuCoin Futures (<paramref name="shared"/>: settings every node shares).</summary>
    public static async Task<ClusterNodes> StartAsync(int nodes, Action<Dictionary<string, string?>>? shared = null)
    {
        var simulator = await SimulatedKuCoinFutures.StartAsync(TimeSpan.FromMilliseconds(50));
        return await StartAsync(nodes, new ClusterNodes(simulator, JournalDatabase.Create("postgres"),
            baseline =>
            {
                var settings = NodeHost.PointVenueAt(baseline, VenueId.KuCoin, MarketKind.Futures, simulator.RestBaseUri);
                foreach (var strategy in baseline.GetSection("Strategies").GetChildren())
                {
                    settings[$"Strategies:{strategy.Key}:Enabled"] = "false";
                }

                shared?.Invoke(settings);
                return settings;
            }, new Dictionary<string, string?>()));
    }

    /// <summary>Nodes on the given venue settings (<paramref name="venueSettings"/> over the shipped config) and environment (credentials).</summary>
    public static Task<ClusterNodes> StartAsync(int nodes, Func<IConfiguration, Dictionary<string, string?>> venueSettings, IReadOnlyDictionary<string, string?> environment) =>
        StartAsync(nodes, new ClusterNodes(null, JournalDatabase.Create("postgres"), venueSettings, environment));

    private static async Task<ClusterNodes> StartAsync(int nodes, ClusterNodes cluster)
    {
        for (var i = 0; i < nodes; i++)
        {
            await cluster.AddNodeAsync();
        }

        await cluster.UntilAsync(() => cluster._hosts.All(h => UpMembers(h) == nodes), 20, $"{nodes} members Up");
        return cluster;
    }

    /// <summary>A node joining the first one (or itself, when it is the first); <paramref name="configure"/> changes its settings last.</summary>
    public async Task<IHost> AddNodeAsync(Action<Dictionary<string, string?>>? configure = null)
    {
        var baseline = NodeHost.LoadConfiguration(null);
        var overrides = _venueSettings(baseline);

        overrides["Journal:Store"] = "postgres";
        overrides["Node:AddressFile"] = AddressFile(_hosts.Count);
        overrides["Cluster:StableAfterSeconds"] = "2";
        if (_hosts.Count > 0)
        {
            overrides["Cluster:SeedNodes:0"] = SelfAddress(_hosts[0]).ToString();
        }

        configure?.Invoke(overrides);
        var environment = new Dictionary<string, string?>(_environment) { ["ACTORTRADING_POSTGRES"] = Journal.Settings.ConnectionString };
        var host = NodeHost.Build(NodeHost.LoadConfiguration(null, overrides), TextWriter.Null, environment.GetValueOrDefault);
        await host.StartAsync();
        _hosts.Add(host);
        return host;
    }

    public static ActorSystem System(IHost host) => host.Services.GetRequiredService<ActorSystem>();

    public static Address SelfAddress(IHost host) => Akka.Cluster.Cluster.Get(System(host)).SelfAddress;

    public static int UpMembers(IHost host) =>
        Akka.Cluster.Cluster.Get(System(host)).State.Members.Count(m => m.Status == Akka.Cluster.MemberStatus.Up);

    /// <summary>The venue's status as <paramref name="host"/> sees it through its proxy (null while nobody answers).</summary>
    public static async Task<ExchangeSupervisorProtocol.VenueStatus?> VenueStatusAsync(IHost host)
    {
        try
        {
            var root = host.Services.GetRequiredService<IRequiredActor<ExchangesRoot>>().ActorRef;
            var statuses = await root.Ask<IReadOnlyList<ExchangeSupervisorProtocol.VenueStatus>>(ExchangeSupervisorProtocol.GetStatus.Instance, TimeSpan.FromSeconds(6));
            return statuses.Single();
        }
        catch (Exception e) when (e is AskTimeoutException or TaskCanceledException)
        {
            return null;
        }
    }

    /// <summary>True once the venue streams and every book is Synced, as <paramref name="host"/> sees it.</summary>
    public static async Task<bool> StreamingAndSyncedAsync(IHost host) =>
        await VenueStatusAsync(host) is { } status
        && status.Feeds.Any(f => f.State == Runtime.Feeds.FeedConnectionProtocol.State.Streaming)
        && status.Books.Count == 2 && status.Books.All(b => b.Health == Core.Market.BookHealth.Synced);

    public async Task UntilAsync(Func<bool> done, double seconds, string what) => await UntilAsync(() => Task.FromResult(done()), seconds, what);

    public async Task UntilAsync(Func<Task<bool>> done, double seconds, string what)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(seconds);
        while (!await done())
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"not within {seconds} s: {what}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Stops a node the way Ctrl+C does (the host's stop: leave the cluster, hand singletons over).</summary>
    public async Task StopAsync(IHost host)
    {
        await host.StopAsync();
        host.Dispose();
        _hosts.Remove(host);
    }

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_hosts.Select(h => h.StopAsync()));
        foreach (var host in _hosts)
        {
            host.Dispose();
        }

        if (Simulator is not null)
        {
            await Simulator.DisposeAsync();
        }

        Journal.Dispose();
    }
}
