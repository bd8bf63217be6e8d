using ActorTrading.Core.Errors;
using ActorTrading.Node.Hosting;
using ActorTrading.Runtime.Hosting;
using Akka.Actor;
using Akka.Configuration;

namespace ActorTrading.Node.Cli;

/// <summary>
/// A command's line to a running node: a short-lived remote actor system (never a cluster member, never a writer on
/// the journal) that finds the node by address: <c>--node</c>, or the one <c>run</c> wrote to <c>Node.AddressFile</c>.
/// </summary>
public sealed class NodeClient : IAsyncDisposable
{
    public static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(5);

    private NodeClient(ActorSystem system, string address, Address parsed)
    {
        System = system;
        Address = address;
        Root = new RootActorPath(parsed);
    }

    public ActorSystem System { get; }

    public string Address { get; }

    private RootActorPath Root { get; }

    /// <summary>Connects to the node at <paramref name="address"/> (an error when it is not a node address).</summary>
    public static NodeClient Connect(string address, string name)
    {
        if (ClusterSettings.ParseAddress(address) is not { Host: not null, Port: > 0 } parsed)
        {
            throw new ExchangeException(new ConfigurationError($"--node '{address}' is not a node address (akka.tcp://{ClusterSettings.SystemName}@host:port)"));
        }

        var config = ConfigurationFactory.ParseString("""
            akka {
              loglevel = OFF
              actor.provider = remote
              remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }
            }
            """).WithFallback(ConfigurationFactory.ParseString(File.ReadAllText(NodeHost.Locate("hocon.conf"))));
        return new NodeClient(ActorSystem.Create(name, config), address, parsed);
    }

    /// <summary>The address of the node running on these settings (from its address file), or null when none runs.</summary>
    public static string? RunningNode(string? configPath, CliEnvironment environment) => NodeAddressFile.Read(AddressFile(configPath, environment));

    /// <summary>The node of <c>--node</c>, else the running one; an error naming the address file when there is none.</summary>
    public static string Target(string? node, string? configPath, CliEnvironment environment) =>
        node ?? RunningNode(configPath, environment)
        ?? throw new ExchangeException(new ConfigurationError(
            $"no running node found: {Path.GetFullPath(AddressFile(configPath, environment))} does not exist (start one with `run`, or pass --node akka.tcp://actortrading@host:port)"));

    /// <summary>The actor at <paramref name="path"/> under the node's <c>/user</c>, or an error when the node does not answer.</summary>
    public async Task<IActorRef> ResolveAsync(string path, CancellationToken ct)
    {
        try
        {
            return await System.ActorSelection(Root / "user" / path).ResolveOne(AnswerTimeout, ct).ConfigureAwait(false);
        }
        catch (ActorNotFoundException)
        {
            throw NoAnswer();
        }
    }

    /// <summary>Asks the actor at <paramref name="path"/> under the node's <c>/user</c>.</summary>
    public async Task<T> AskAsync<T>(string path, object question, CancellationToken ct)
    {
        try
        {
            return await System.ActorSelection(Root / "user" / path).Ask<T>(question, AnswerTimeout, ct).ConfigureAwait(false);
        }
        catch (AskTimeoutException)
        {
            throw NoAnswer();
        }
    }

    private ExchangeException NoAnswer() =>
        new(new NetworkError($"no node answered at {Address} within {AnswerTimeout.TotalSeconds:0} s (is it running? `run` writes its address to {NodeOptions.DefaultAddressFile})", IsTimeout: true));

    private static string AddressFile(string? configPath, CliEnvironment environment)
    {
        var configuration = NodeHost.LoadConfiguration(configPath, environment.ConfigOverrides);
        return (NodeHost.Section<NodeOptions>(configuration, "Node") ?? new NodeOptions()).AddressFile;
    }

    public async ValueTask DisposeAsync() => await System.Terminate().ConfigureAwait(false);
}
