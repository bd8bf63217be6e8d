using ActorTrading.Core.Errors;
using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Cluster.Hosting.SBR;
using Akka.Cluster.Tools.Singleton;
using Akka.Hosting;
using Akka.Remote.Hosting;

namespace ActorTrading.Runtime.Hosting;

/// <summary>
/// Where a node listens and which cluster it joins. No seed nodes: the node is a cluster of its own (it joins
/// itself), which is what <c>run</c> is with no cluster settings at all.
/// </summary>
public sealed record ClusterSettings(string Hostname, int Port, string? PublicHostname, IReadOnlyList<string> SeedNodes, IReadOnlyList<string> Roles)
{
    /// <summary>
    /// How long the members that can still see each other wait, once one is unreachable, before the split-brain
    /// resolver downs the side without a majority (a crashed node's singletons start elsewhere only after that).
    /// </summary>
    public TimeSpan StableAfter { get; init; } = TimeSpan.FromSeconds(7);

    /// <summary>
    /// How long heartbeats from a node may pause before it counts as unreachable (the failure detector's
    /// <c>acceptable-heartbeat-pause</c>): with <see cref="StableAfter"/>, it bounds how soon a crashed node's venues move.
    /// </summary>
    public TimeSpan HeartbeatPause { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>The actor system's name; every seed address names it.</summary>
    public const string SystemName = "actortrading";

    /// <summary>A node of its own on a free loopback port.</summary>
    public static readonly ClusterSettings SingleNode = new("127.0.0.1", 0, null, [], []);

    /// <summary>True when the node means to share its cluster with other nodes.</summary>
    public bool JoinsOthers => SeedNodes.Any(seed => !IsSelf(Address.Parse(seed)));

    /// <summary>The settings checked: a bad port, seed or role is a configuration error naming the key.</summary>
    public ClusterSettings Checked()
    {
        if (Port is < 0 or > 65535)
        {
            throw new ExchangeException(new ConfigurationError($"Cluster:Port = {Port} is not a port (0 picks a free one)"));
        }

        if (string.IsNullOrWhiteSpace(Hostname))
        {
            throw new ExchangeException(new ConfigurationError("Cluster:Hostname is empty (127.0.0.1 keeps the node on this machine)"));
        }

        for (var i = 0; i < SeedNodes.Count; i++)
        {
            var seed = SeedNodes[i];
            if (ParseAddress(seed) is not { } address)
            {
                throw new ExchangeException(new ConfigurationError($"Cluster:SeedNodes:{i} = '{seed}' is not a node address (akka.tcp://{SystemName}@host:port)"));
            }

            if (address.System != SystemName || address.Host is null || address.Port is null or 0)
            {
                throw new ExchangeException(new ConfigurationError($"Cluster:SeedNodes:{i} = '{seed}' must name system '{SystemName}', a host and a port (akka.tcp://{SystemName}@host:port)"));
            }
        }

        if (StableAfter <= TimeSpan.Zero)
        {
            throw new ExchangeException(new ConfigurationError($"Cluster:StableAfterSeconds = {StableAfter.TotalSeconds} must be above zero"));
        }

        if (HeartbeatPause < TimeSpan.FromSeconds(1))
        {
            throw new ExchangeException(new ConfigurationError($"Cluster:HeartbeatPauseSeconds = {HeartbeatPause.TotalSeconds} must be at least 1 (heartbeats go every second)"));
        }

        if (Roles.FirstOrDefault(r => string.IsNullOrWhiteSpace(r) || r.Any(char.IsWhiteSpace)) is { } role)
        {
            throw new ExchangeException(new ConfigurationError($"Cluster:Roles has '{role}': a role is one word"));
        }

        return this;
    }

    /// <summary>An <c>akka.tcp://system@host:port</c> address, or null for text that is not one.</summary>
    public static Address? ParseAddress(string text)
    {
        try
        {
            return Address.Parse(text) is { Protocol: "akka.tcp" } address ? address : null;
        }
        catch (Exception e) when (e is UriFormatException or ArgumentException or FormatException)
        {
            return null;
        }
    }

    private bool IsSelf(Address seed) =>
        seed.Port == Port && string.Equals(seed.Host, PublicHostname ?? Hostname, StringComparison.OrdinalIgnoreCase);
}

public static class NodeCluster
{
    /// <summary>True when <paramref name="system"/> is a cluster member (a live node), false for a local one (a replay, a tool).</summary>
    public static bool IsMember(ActorSystem system) => ((ExtendedActorSystem)system).Provider is Akka.Cluster.IClusterActorRefProvider;

    /// <summary>
    /// Starts <paramref name="props"/> as a cluster singleton: its manager as <paramref name="name"/> under
    /// <paramref name="factory"/> (the singleton runs on the oldest node), and returns this node's proxy to it
    /// (<c>{name}-proxy</c>), which buffers while it moves. Stopped with a PoisonPill on hand-over.
    /// </summary>
    public static IActorRef StartSingleton(IActorRefFactory factory, ActorSystem system, string name, Props props)
    {
        var manager = factory.ActorOf(ClusterSingletonManager.Props(props, PoisonPill.Instance, ClusterSingletonManagerSettings.Create(system)), name);
        return factory.ActorOf(ClusterSingletonProxy.Props(manager.Path.ToStringWithoutAddress(), ClusterSingletonProxySettings.Create(system)), name + "-proxy");
    }

    /// <summary>
    /// Makes the node a cluster member: remoting on the configured host and port, the seed nodes and roles, and the
    /// keep-majority split-brain resolver (every node must use the same). A node without seeds joins itself. Leaving
    /// is part of the coordinated shutdown the host runs on stop, so Ctrl+C hands singletons over before the process ends.
    /// </summary>
    public static AkkaConfigurationBuilder WithNodeCluster(this AkkaConfigurationBuilder builder, ClusterSettings settings)
    {
        builder.WithRemoting(new RemoteOptions { HostName = settings.Hostname, Port = settings.Port, PublicHostName = settings.PublicHostname })
            .WithClustering(new ClusterOptions
            {
                Roles = settings.Roles.ToArray(),
                SeedNodes = settings.SeedNodes.ToArray(),
                SplitBrainResolver = SplitBrainResolverOption.Default,
            })
            .AddHocon(
                $"""
                 akka.cluster.split-brain-resolver.stable-after = {settings.StableAfter.TotalMilliseconds:0}ms
                 akka.cluster.failure-detector.acceptable-heartbeat-pause = {settings.HeartbeatPause.TotalMilliseconds:0}ms
                 """,
                HoconAddMode.Prepend);
        if (settings.SeedNodes.Count == 0)
        {
            builder.AddStartup((system, _) =>
            {
                var cluster = Akka.Cluster.Cluster.Get(system);
                cluster.Join(cluster.SelfAddress);
            });
        }

        return builder;
    }
}
