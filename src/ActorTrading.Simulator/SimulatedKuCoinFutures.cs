using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ActorTrading.Simulator;

/// <summary>
/// A self-running KuCoin Futures on 127.0.0.1 (<c>run --simulate</c>, and end-to-end specs): one Kestrel server with
/// the token endpoints (<c>POST /api/v1/bullet-public</c>, <c>/bullet-private</c>), the level-2 snapshot
/// (<c>GET /api/v1/level2/snapshot</c>) and the WebSocket feed, which welcomes, answers pings, acknowledges
/// subscriptions and streams trades, tickers, sequenced level-2 deltas consistent with the snapshot, mark/index prices,
/// funding and candles for every subscribed topic.
/// </summary>
public sealed class SimulatedKuCoinFutures : IAsyncDisposable
{
    private const string FeedPath = "/feed";
    private readonly WebApplication _app;
    private readonly Dictionary<string, SimulatedContract> _contracts;
    private readonly ConcurrentDictionary<string, bool> _topics = new();
    private readonly ConcurrentDictionary<int, WebSocketPeer> _connections = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;
    private int _nextConnection;
    private long _tokens;

    private SimulatedKuCoinFutures(WebApplication app, IEnumerable<(string Symbol, decimal Mid, decimal Tick, decimal Multiplier)> contracts, int seed)
    {
        _app = app;
        var random = new Random(seed);
        _contracts = contracts.ToDictionary(c => c.Symbol, c => new SimulatedContract(c.Symbol, c.Mid, c.Tick, new Random(random.Next())) { Multiplier = c.Multiplier });
    }

    /// <summary>The REST base URL to point the venue at (<c>RestBaseUrl</c>).</summary>
    public Uri RestBaseUri { get; private set; } = null!;

    public int OpenConnections => _connections.Count;

    /// <param name="tick">How often every contract moves (default 100 ms).</param>
    /// <param name="seed">The random seed: the same seed gives the same market.</param>
    public static async Task<SimulatedKuCoinFutures> StartAsync(TimeSpan? tick = null, int seed = 42)
    {
        var app = LoopbackServer.Create();
        var venue = new SimulatedKuCoinFutures(app, [("XBTUSDTM", 90000m, 0.1m, 0.001m), ("ETHUSDTM", 3000m, 0.01m, 0.01m)], seed);
        app.MapPost("/api/v1/bullet-public", venue.Bullet);
        app.MapPost("/api/v1/bullet-private", venue.Bullet);
        app.MapGet("/api/v1/level2/snapshot", venue.Snapshot);
        app.MapGet("/api/v1/contracts/active", venue.ActiveContracts);
        app.Map(FeedPath, (Func<HttpContext, Task>)venue.FeedAsync);
        await app.StartAsync().ConfigureAwait(false);
        venue.RestBaseUri = new Uri(LoopbackServer.Address(app), "/");
        venue._loop = Task.Run(() => venue.RunAsync(tick ?? TimeSpan.FromMilliseconds(100)));
        return venue;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        foreach (var connection in _connections.Values)
        {
            connection.Socket.Abort();
        }

        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    private IResult Bullet(HttpContext http)
    {
        var feed = new UriBuilder(RestBaseUri) { Scheme = "ws", Path = FeedPath };
        var token = "sim-token-" + Interlocked.Increment(ref _tokens);
        return Results.Text(
            $$$"""{"code":"200000","data":{"token":"{{{token}}}","instanceServers":[{"endpoint":"{{{feed.Uri}}}","encrypt":false,"protocol":"websocket","pingInterval":18000,"pingTimeout":10000}]}}""",
            "application/json");
    }

    private IResult ActiveContracts() =>
        Results.Text($$"""{"code":"200000","data":[{{string.Join(",", _contracts.Values.Select(c => c.ContractJson()))}}]}""", "application/json");

    private IResult Snapshot(string? symbol) =>
        Results.Text(symbol is not null && _contracts.TryGetValue(symbol, out var contract)
            ? $$"""{"code":"200000","data":{{contract.SnapshotJson()}}}"""
            : """{"code":"100001","msg":"Unsupported symbol"}""", "application/json");

    private async Task FeedAsync(HttpContext http)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        using var socket = await http.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        var connection = new WebSocketPeer(socket);
        var id = Interlocked.Increment(ref _nextConnection);
        _connections[id] = connection;
        try
        {
            await connection.SendAsync($$"""{"id":"{{http.Request.Query["connectId"]}}","type":"welcome"}""").ConfigureAwait(false);
            while (await connection.ReceiveAsync(http.RequestAborted).ConfigureAwait(false) is { } frame)
            {
                if (Answer(frame) is { } answer)
                {
                    await connection.SendAsync(answer).ConfigureAwait(false);
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // A client that drops or aborts is normal for a venue.
        }
        finally
        {
            _connections.TryRemove(id, out _);
        }
    }

    /// <summary>A pong for a ping, an ack for a (un)subscribe (noting its topics); null for anything else.</summary>
    private string? Answer(string frame)
    {
        string? type, id, topic;
        try
        {
            using var document = JsonDocument.Parse(frame);
            var root = document.RootElement;
            type = root.TryGetProperty("type", out var t) ? t.GetString() : null;
            id = root.TryGetProperty("id", out var i) ? i.ToString() : null;
            topic = root.TryGetProperty("topic", out var p) ? p.GetString() : null;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return """{"type":"error","code":400,"data":"malformed frame"}""";
        }

        switch (type)
        {
            case "ping":
                return $$"""{"id":"{{id}}","type":"pong"}""";
            case "subscribe" or "unsubscribe":
                foreach (var one in Topics(topic))
                {
                    if (type == "subscribe")
                    {
                        _topics[one] = true;
                    }
                    else
                    {
                        _topics.TryRemove(one, out _);
                    }
                }

                return $$"""{"id":"{{id}}","type":"ack"}""";
            default:
                return null;
        }
    }

    /// <summary>A KuCoin topic may name several symbols: <c>/contractMarket/level2:XBTUSDTM,ETHUSDTM</c>.</summary>
    private static IEnumerable<string> Topics(string? topic)
    {
        if (topic?.Split(':', 2) is not [var channel, var symbols])
        {
            yield break;
        }

        foreach (var symbol in symbols.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            yield return $"{channel}:{symbol}";
        }
    }

    private async Task RunAsync(TimeSpan tick)
    {
        using var timer = new PeriodicTimer(tick);
        var ticks = 0L;
        while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
        {
            ticks++;
            var now = DateTimeOffset.UtcNow;
            foreach (var contract in _contracts.Values)
            {
                foreach (var (topic, frame) in contract.Step(now, slow: ticks % 10 == 0))
                {
                    if (_topics.ContainsKey(topic))
                    {
                        foreach (var connection in _connections.Values)
                        {
                            await connection.SendAsync(frame).ConfigureAwait(false);
                        }
                    }
                }
            }
        }
    }
}
