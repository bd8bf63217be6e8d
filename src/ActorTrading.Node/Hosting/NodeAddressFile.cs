using Akka.Actor;
using Akka.Event;
using Microsoft.Extensions.Hosting;

namespace ActorTrading.Node.Hosting;

/// <summary>
/// Writes the node's cluster address to a file once the node is Up, and removes it when the node stops (unless
/// another node on the same files has written its own since): how <c>actortrading status</c> finds a running node.
/// </summary>
public sealed class NodeAddressFile(ActorSystem system, string path) : IHostedService
{
    private string? _written;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var cluster = Akka.Cluster.Cluster.Get(system);
        cluster.RegisterOnMemberUp(() =>
        {
            try
            {
                var full = Path.GetFullPath(path);
                Directory.CreateDirectory(Path.GetDirectoryName(full)!);
                var address = cluster.SelfAddress.ToString();
                File.WriteAllText(full, address + "\n");
                _written = address;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                system.Log.Warning("cannot write the node's address to {0}: {1} (status needs --node then)", path, e.Message);
            }
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (_written is { } address && File.Exists(path) && File.ReadAllText(path).Trim() == address)
            {
                File.Delete(path);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            system.Log.Warning("cannot remove {0}: {1}", path, e.Message);
        }

        return Task.CompletedTask;
    }

    /// <summary>The address a running node wrote at <paramref name="path"/>, or null when none did.</summary>
    public static string? Read(string path) =>
        File.Exists(path) && File.ReadAllText(path).Trim() is { Length: > 0 } address ? address : null;
}
