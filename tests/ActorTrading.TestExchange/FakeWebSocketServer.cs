using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json;
using ActorTrading.Simulator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ActorTrading.TestExchange;

/// <summary>A client frame as the server received it.</summary>
public sealed record ClientMessage(int ConnectionId, string Token, DateTimeOffset ReceivedAt, string Text)
{
    public string? Type => Field("type");

    /// <summary>Binance-style requests name a <c>method</c> (<c>SUBSCRIBE</c>, <c>userDataStream.subscribe.signature</c>).</summary>
    public string? Method => Field("method");

    public string? Id => Field("id");

    public string? Topic => Field("topic");

    public string? Field(string name)
    {
        try
        {
            using var doc = JsonDocument.Parse(Text);
            return doc.RootElement.TryGetProperty(name, out var v) ? (v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText()) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>
/// A scriptable KuCoin-style WebSocket server on 127.0.0.1:0 (Kestrel, in-process): sends welcome, answers
/// pings and acks subscriptions (each switchable), refuses chosen tokens, and lets a test push frames, drop
/// sockets or send a shutdown notice.
/// </summary>
public sealed class FakeWebSocketServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<int, Connection> _connections = new();
    private readonly ConcurrentQueue<ClientMessage> _received = new();
    private readonly ConcurrentQueue<string> _tokens = new();
    private readonly ConcurrentQueue<IQueryCollection> _queries = new();
    private readonly ConcurrentQueue<string> _paths = new();
    private int _nextConnectionId;

    private FakeWebSocketServer(WebApplication app)
    {
        _app = app;
    }

    public Uri Uri { get; private set; } = null!;

    public volatile bool AnswerPings = true;
    public volatile bool SendWelcome = true;
    public volatile bool AckSubscriptions = true;

    /// <summary>The server is down: every connection attempt gets 503 (a venue in maintenance, a network cut).</summary>
    public volatile bool RefuseConnections;

    /// <summary>Tokens the server refuses with KuCoin's <c>{"type":"error","code":401}</c>.</summary>
    public ConcurrentDictionary<string, bool> RefusedTokens { get; } = new();

    /// <summary>Frames sent right after a connection opens, given its query string (instead of the KuCoin welcome).</summary>
    public Func<IQueryCollection, IEnumerable<string>>? OnConnected { get; set; }

    /// <summary>Request paths of every connection attempt, in order (Binance routes sockets by path).</summary>
    public IReadOnlyList<string> Paths => _paths.ToArray();

    /// <summary>Sends a frame to the open connections whose request path starts with <paramref name="pathPrefix"/>.</summary>
    public async Task SendToPathAsync(string pathPrefix, string frame)
    {
        foreach (var connection in _connections.Values.Where(c => c.Path.StartsWith(pathPrefix, StringComparison.Ordinal)))
        {
            await connection.SendAsync(frame).ConfigureAwait(false);
        }
    }

    /// <summary>The request path of an open connection (null once it closed).</summary>
    public string? PathOf(int connectionId) => _connections.TryGetValue(connectionId, out var connection) ? connection.Path : null;

    /// <summary>Query strings of every connection attempt, in order.</summary>
    public IReadOnlyList<IQueryCollection> Queries => _queries.ToArray();

    /// <summary>Called for every client frame after the built-in handling, to script answers.</summary>
    public Func<ClientMessage, IEnumerable<string>>? OnClientMessage { get; set; }

    public IReadOnlyCollection<ClientMessage> Received => _received.ToArray();

    /// <summary>Tokens of every connection attempt, in order.</summary>
    public IReadOnlyList<string> Tokens => _tokens.ToArray();

    public int OpenConnections => _connections.Count;

    public static async Task<FakeWebSocketServer> StartAsync()
    {
        var app = LoopbackServer.Create();
        var server = new FakeWebSocketServer(app);
        app.Map("/{**path}", (Func<HttpContext, Task>)server.HandleAsync);
        await app.StartAsync().ConfigureAwait(false);
        server.Uri = new Uri(LoopbackServer.Address(app).ToString().Replace("http://", "ws://", StringComparison.Ordinal));
        return server;
    }

    /// <summary>Sends a frame to every open connection.</summary>
    public async Task SendToAllAsync(string frame)
    {
        foreach (var connection in _connections.Values)
        {
            await connection.SendAsync(frame).ConfigureAwait(false);
        }
    }

    /// <summary>Sends many text frames back to back to every open connection (benchmarks).</summary>
    public async Task SendManyToAllAsync(IReadOnlyList<byte[]> frames)
    {
        foreach (var connection in _connections.Values)
        {
            foreach (var frame in frames)
            {
                await connection.SendAsync(frame, WebSocketMessageType.Text).ConfigureAwait(false);
            }
        }
    }

    public async Task SendBinaryToAllAsync(byte[] frame)
    {
        foreach (var connection in _connections.Values)
        {
            await connection.SendAsync(frame, WebSocketMessageType.Binary).ConfigureAwait(false);
        }
    }

    /// <summary>Sends one text message to every open connection cut into <paramref name="pieces"/> frames.</summary>
    public async Task SendFragmentedToAllAsync(string frame, int pieces)
    {
        foreach (var connection in _connections.Values)
        {
            await connection.Peer.SendFragmentsAsync(System.Text.Encoding.UTF8.GetBytes(frame), WebSocketMessageType.Text, pieces).ConfigureAwait(false);
        }
    }

    /// <summary>Closes every open connection with a close frame carrying the status and reason.</summary>
    public async Task CloseAllAsync(WebSocketCloseStatus status, string description)
    {
        foreach (var connection in _connections.Values)
        {
            await connection.Peer.CloseAsync(status, description).ConfigureAwait(false);
        }
    }

    /// <summary>Aborts every open socket, as a network drop would.</summary>
    public void DropAll()
    {
        foreach (var connection in _connections.Values)
        {
            connection.Socket.Abort();
        }
    }

    /// <summary>KuCoin-style notice that the server is going away.</summary>
    public Task SendShutdownNoticeAsync() => SendToAllAsync("""{"type":"notice","subject":"server.shutdown","data":"maintenance"}""");

    public async ValueTask DisposeAsync()
    {
        DropAll();
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private async Task HandleAsync(HttpContext http)
    {
        if (!http.WebSockets.IsWebSocketRequest || RefuseConnections)
        {
            http.Response.StatusCode = RefuseConnections ? 503 : 400;
            return;
        }

        var token = http.Request.Query["token"].ToString();
        var connectId = http.Request.Query["connectId"].ToString();
        _tokens.Enqueue(token);
        _queries.Enqueue(http.Request.Query);
        _paths.Enqueue(http.Request.Path.Value ?? "/");
        using var socket = await http.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        var connection = new Connection(Interlocked.Increment(ref _nextConnectionId), token, new WebSocketPeer(socket), http.Request.Path.Value ?? "/");

        if (RefusedTokens.ContainsKey(token))
        {
            await connection.SendAsync($$"""{"id":"{{connectId}}","type":"error","code":401,"data":"token is expired"}""").ConfigureAwait(false);
            await CloseQuietly(socket).ConfigureAwait(false);
            return;
        }

        _connections[connection.Id] = connection;
        try
        {
            if (OnConnected is { } onConnected)
            {
                foreach (var frame in onConnected(http.Request.Query))
                {
                    await connection.SendAsync(frame).ConfigureAwait(false);
                }
            }
            else if (SendWelcome)
            {
                await connection.SendAsync($$"""{"id":"{{connectId}}","type":"welcome"}""").ConfigureAwait(false);
            }

            while (await connection.Peer.ReceiveAsync(http.RequestAborted).ConfigureAwait(false) is { } text)
            {
                var message = new ClientMessage(connection.Id, token, DateTimeOffset.UtcNow, text);
                _received.Enqueue(message);
                await RespondAsync(connection, message).ConfigureAwait(false);
            }
        }
        catch (Exception)
        {
            // A dropped or aborted client is normal here.
        }
        finally
        {
            _connections.TryRemove(connection.Id, out _);
        }
    }

    private async Task RespondAsync(Connection connection, ClientMessage message)
    {
        switch (message.Type)
        {
            case "ping" when AnswerPings:
                await connection.SendAsync($$"""{"id":"{{message.Id}}","type":"pong"}""").ConfigureAwait(false);
                break;
            case "subscribe" or "unsubscribe" when AckSubscriptions:
                await connection.SendAsync($$"""{"id":"{{message.Id}}","type":"ack"}""").ConfigureAwait(false);
                break;
        }

        if (OnClientMessage is { } script)
        {
            foreach (var frame in script(message))
            {
                await connection.SendAsync(frame).ConfigureAwait(false);
            }
        }
    }

    private static async Task CloseQuietly(WebSocket socket)
    {
        try
        {
            await socket.CloseAsync(WebSocketCloseStatus.PolicyViolation, "token refused", CancellationToken.None).ConfigureAwait(false);
        }
        catch (WebSocketException)
        {
        }
    }

    private sealed record Connection(int Id, string Token, WebSocketPeer Peer, string Path = "/")
    {
        public WebSocket Socket => Peer.Socket;

        public Task SendAsync(string text) => Peer.SendAsync(text);

        public Task SendAsync(byte[] bytes, WebSocketMessageType type) => Peer.SendAsync(bytes, type);
    }
}
