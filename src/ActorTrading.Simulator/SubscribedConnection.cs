using System.Collections.Concurrent;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;

namespace ActorTrading.Simulator;

/// <summary>
/// A client socket of a simulated venue that subscribes by name (Bybit topics, Kraken and Crypto.com channels): what it
/// subscribed, and one gate so a subscription's snapshot and the market's frames never interleave on it.
/// </summary>
internal sealed class SubscribedConnection(int id, WebSocketPeer peer)
{
    /// <summary>The venue's number for the connection, counted from 1.</summary>
    public int Id { get; } = id;

    public WebSocketPeer Peer { get; } = peer;

    public ConcurrentDictionary<string, bool> Subscribed { get; } = new(StringComparer.Ordinal);

    public SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>Sends <paramref name="frame"/> under the connection's gate (between the market's frames, never inside them).</summary>
    public async Task SendAsync(string frame)
    {
        await Gate.WaitAsync().ConfigureAwait(false);
        try
        {
            await Peer.SendAsync(frame).ConfigureAwait(false);
        }
        finally
        {
            Gate.Release();
        }
    }
}

/// <summary>A simulated venue's stream sockets: accepts them, hands each request to the venue, and publishes the market's frames by name.</summary>
internal sealed class SubscribedConnections
{
    private readonly ConcurrentDictionary<int, SubscribedConnection> _connections = new();
    private int _next;

    public IEnumerable<SubscribedConnection> All => _connections.Values;

    public IEnumerable<WebSocket> Sockets => _connections.Values.Select(c => c.Peer.Socket);

    /// <summary>
    /// Serves one client for as long as it stays: <paramref name="opened"/> first (a greeting), then every message it
    /// sends to <paramref name="answer"/>. A client that drops or aborts is normal for a venue.
    /// </summary>
    public async Task ServeAsync(HttpContext http, Func<SubscribedConnection, string, Task> answer, Func<SubscribedConnection, Task>? opened = null)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        using var socket = await http.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        var connection = new SubscribedConnection(Interlocked.Increment(ref _next), new WebSocketPeer(socket));
        _connections[connection.Id] = connection;
        try
        {
            if (opened is not null)
            {
                await opened(connection).ConfigureAwait(false);
            }

            while (await connection.Peer.ReceiveAsync(http.RequestAborted).ConfigureAwait(false) is { } frame)
            {
                await answer(connection, frame).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The client went away.
        }
        finally
        {
            _connections.TryRemove(connection.Id, out _);
        }
    }

    /// <summary>Sends each frame to the connections that subscribed its name; a client gone mid-send is its own loop's to remove.</summary>
    public async Task PublishAsync(IReadOnlyList<(string Name, string Frame)> frames)
    {
        foreach (var connection in _connections.Values)
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
