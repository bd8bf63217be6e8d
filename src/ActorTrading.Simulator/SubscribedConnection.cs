using System.Collections.Concurrent;
using System.Net.WebSockets;

namespace ActorTrading.Simulator;

/// <summary>
/// A client socket of a simulated venue that subscribes by name (Bybit topics, Kraken channels): what it subscribed,
/// and one gate so a subscription's snapshot and the market's frames never interleave on it.
/// </summary>
internal sealed class SubscribedConnection(WebSocketPeer peer)
{
    public WebSocketPeer Peer { get; } = peer;

    public ConcurrentDictionary<string, bool> Subscribed { get; } = new(StringComparer.Ordinal);

    public SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>Sends each frame to the connections that subscribed its name; a client gone mid-send is its own loop's to remove.</summary>
    public static async Task PublishAsync(IEnumerable<SubscribedConnection> connections, IReadOnlyList<(string Name, string Frame)> frames)
    {
        foreach (var connection in connections)
        {
            await connection.Gate.WaitAsync().ConfigureAwait(false);
            try
            {
                foreach (var (name, frame) in frames)
                {
                    if (connection.Subscribed.ContainsKey(name))
                    {
                        await connection.Peer.SendAsync(frame).ConfigureAwait(false);
                    }
                }
            }
            catch (WebSocketException)
            {
                // The client went away mid-send: its loop removes it.
            }
            finally
            {
                connection.Gate.Release();
            }
        }
    }
}
