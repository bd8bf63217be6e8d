using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using ActorTrading.Simulator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ActorTrading.TestExchange;

/// <summary>What a <see cref="FaultProxy"/> can do to the traffic it relays.</summary>
public enum FaultKind
{
    /// <summary>Both sides of a socket dropped at once, as a venue's load balancer does.</summary>
    Disconnect,

    /// <summary>Half-open: the socket stays up but nothing moves either way, until <see cref="FaultPlan.StallFor"/> has passed and it is dropped.</summary>
    Stall,

    /// <summary>A frame held back (the ones behind it wait too: a socket never reorders).</summary>
    Delay,

    /// <summary>A frame cut short and sent as if whole.</summary>
    Truncate,

    /// <summary>A frame of random bytes (printable, so a text frame) sent between two real ones.</summary>
    Garbage,

    /// <summary>HTTP 429 with <c>Retry-After</c>.</summary>
    Throttle,

    /// <summary>HTTP 503.</summary>
    ServerError,

    /// <summary>HTTP 418 with <c>Retry-After</c>: the IP ban Binance announces this way.</summary>
    Ban,

    /// <summary>A token endpoint (KuCoin's bullet, a listen key) answering 500.</summary>
    TokenFailure,
}

/// <summary>One fault the proxy injected: what, when, and on which socket (its number) or request path.</summary>
public sealed record InjectedFault(FaultKind Kind, DateTimeOffset At, string Where);

/// <summary>
/// How often a <see cref="FaultProxy"/> injects each fault. Rates are per socket per second (disconnects, stalls);
/// probabilities are per frame (delay, truncate, garbage) or per request (a REST burst starts, a token call fails).
/// </summary>
public sealed record FaultPlan
{
    public double DisconnectsPerSecond { get; init; }

    public double StallsPerSecond { get; init; }

    public TimeSpan StallFor { get; init; } = TimeSpan.FromSeconds(20);

    public double DelayProbability { get; init; }

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    public double TruncateProbability { get; init; }

    public double GarbageProbability { get; init; }

    /// <summary>A request starts a burst of 429, 503 or 418 answers (chosen at random) this often.</summary>
    public double RestBurstProbability { get; init; }

    /// <summary>How many requests in a row a burst answers.</summary>
    public int BurstLength { get; init; } = 3;

    /// <summary>The wait 429 and 418 answers ask for.</summary>
    public TimeSpan RetryAfter { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Which REST kinds a burst may be (a venue that has no IP ban gets none of 418).</summary>
    public IReadOnlyList<FaultKind> RestBurstKinds { get; init; } = [FaultKind.Throttle, FaultKind.ServerError];

    /// <summary>Paths of token endpoints (start of the path), failed with <see cref="TokenFailureProbability"/>.</summary>
    public IReadOnlyList<string> TokenPaths { get; init; } = [];

    public double TokenFailureProbability { get; init; }

    /// <summary>Relays everything as it is.</summary>
    public static FaultPlan None { get; } = new();
}

/// <summary>Where a proxy sends a request: to <paramref name="Upstream"/> if its path is one of <paramref name="Paths"/> (null: any) and it is a socket or not as <paramref name="Sockets"/> says (null: either).</summary>
public sealed record ProxyRoute(Uri Upstream, IReadOnlySet<string>? Paths = null, bool? Sockets = null)
{
    public bool Takes(string path, bool socket) => (Paths is null || Paths.Contains(path)) && (Sockets is null || Sockets == socket);
}

/// <summary>
/// A loopback reverse proxy in front of a venue fake or simulator that injects faults: dropped and half-open sockets,
/// delayed, truncated and garbage frames, bursts of 429/503/418 and failing token endpoints. Seeded: a socket's and a
/// request's faults come from a generator seeded by the run's seed and their number, so a failing run can be replayed.
/// Venue answers that name the upstream (a token endpoint's WebSocket URL) are rewritten to name the proxy, so every
/// connection goes through it. <see cref="Enabled"/> off relays everything untouched (a soak's settling phase). One proxy
/// may front several upstreams (a simulator's market data and a fake's order entry) by <see cref="ProxyRoute"/>s.
/// </summary>
public sealed class FaultProxy : IAsyncDisposable
{
    private static readonly HashSet<string> HopHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Connection", "Transfer-Encoding", "Keep-Alive", "Upgrade", "Content-Length", "Sec-WebSocket-Key", "Sec-WebSocket-Version",
        "Sec-WebSocket-Extensions", "Sec-WebSocket-Accept",
    };

    private readonly WebApplication _app;
    private readonly IReadOnlyList<ProxyRoute> _routes;
    private readonly int _seed;
    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false });
    private const int RecentKept = 1000;
    private readonly ConcurrentQueue<InjectedFault> _recent = new();
    private readonly int[] _counts = new int[Enum.GetValues<FaultKind>().Length];
    private readonly ConcurrentDictionary<int, RelayedSocket> _sockets = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _restGate = new();
    private readonly Random _restRandom;
    private (FaultKind Kind, int Left)? _burst;
    private int _socketCount;

    private FaultProxy(WebApplication app, IReadOnlyList<ProxyRoute> routes, FaultPlan plan, int seed)
    {
        (_app, _routes, Plan, _seed) = (app, routes, plan, seed);
        _restRandom = new Random(SeedFor(seed, "rest"));
    }

    /// <summary>Where to point the venue's REST and stream settings instead of the upstream.</summary>
    public Uri Address { get; private set; } = null!;

    public FaultPlan Plan { get; set; }

    /// <summary>Off: everything is relayed untouched (sockets already stalled stay so until dropped).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The latest faults injected (a thousand at most: a long soak injects hundreds of thousands), oldest first.</summary>
    public IReadOnlyList<InjectedFault> Injected => _recent.ToArray();

    /// <summary>How many faults were injected in all.</summary>
    public int InjectedCount => _counts.Sum();

    /// <summary>Sockets relayed now.</summary>
    public int OpenSockets => _sockets.Count;

    /// <summary>Sockets held half-open now (a stall lasts its whole <see cref="FaultPlan.StallFor"/>, faults on or off).</summary>
    public int StalledSockets => _sockets.Values.Count(s => s.IsStalled);

    public static Task<FaultProxy> StartAsync(Uri upstream, FaultPlan plan, int seed) => StartAsync([new ProxyRoute(upstream)], plan, seed);

    /// <summary>A proxy that sends each request to the first of <paramref name="routes"/> that takes it.</summary>
    public static async Task<FaultProxy> StartAsync(IReadOnlyList<ProxyRoute> routes, FaultPlan plan, int seed)
    {
        var app = LoopbackServer.Create();
        var proxy = new FaultProxy(app, routes, plan, seed);
        app.Run(proxy.HandleAsync);
        await app.StartAsync().ConfigureAwait(false);
        proxy.Address = LoopbackServer.Address(app);
        return proxy;
    }

    /// <summary>
    /// A generator's seed from the run's and what it drives (<c>rest</c>, <c>socket 3</c>): the same in every process
    /// (unlike <see cref="HashCode"/>), so a run's seed replays its faults anywhere.
    /// </summary>
    public static int SeedFor(int seed, string what)
    {
        var hash = unchecked((uint)seed * 2654435761u);
        foreach (var c in what)
        {
            hash = unchecked((hash ^ c) * 16777619u);
        }

        return (int)(hash & 0x7fffffff);
    }

    /// <summary>Drops every relayed socket now (a venue-wide outage), counted as disconnects.</summary>
    public void DropAll()
    {
        foreach (var socket in _sockets.Values)
        {
            Record(FaultKind.Disconnect, $"socket {socket.Number}");
            socket.Abort();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        foreach (var socket in _sockets.Values)
        {
            socket.Abort();
        }

        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _http.Dispose();
        _stopping.Dispose();
    }

    private Task HandleAsync(HttpContext http) =>
        http.WebSockets.IsWebSocketRequest ? RelaySocketAsync(http) : RelayRequestAsync(http);

    private void Record(FaultKind kind, string where)
    {
        Interlocked.Increment(ref _counts[(int)kind]);
        _recent.Enqueue(new InjectedFault(kind, DateTimeOffset.UtcNow, where));
        while (_recent.Count > RecentKept)
        {
            _recent.TryDequeue(out _);
        }
    }

    private Uri? UpstreamFor(HttpRequest request, bool socket)
    {
        var path = request.Path.Value ?? "/";
        if (_routes.FirstOrDefault(r => r.Takes(path, socket)) is not { Upstream: var upstream })
        {
            return null;
        }

        var scheme = !socket ? upstream.Scheme : upstream.Scheme is "https" or "wss" ? "wss" : "ws";
        return new UriBuilder(upstream) { Scheme = scheme, Path = path, Query = request.QueryString.Value?.TrimStart('?') ?? string.Empty }.Uri;
    }

    /// <summary>The upstreams' own addresses in an answer, as the node must see them: the proxy's.</summary>
    private string Rewrite(string text) =>
        _routes.Aggregate(text, (answer, route) => answer.Replace(route.Upstream.Authority, Address.Authority, StringComparison.Ordinal));

    private async Task RelayRequestAsync(HttpContext http)
    {
        if (RestFault(http.Request) is { } fault)
        {
            Record(fault, http.Request.Path.Value ?? "/");
            http.Response.StatusCode = fault switch
            {
                FaultKind.Throttle => StatusCodes.Status429TooManyRequests,
                FaultKind.Ban => 418,
                FaultKind.TokenFailure => StatusCodes.Status500InternalServerError,
                _ => StatusCodes.Status503ServiceUnavailable,
            };
            if (fault is FaultKind.Throttle or FaultKind.Ban)
            {
                http.Response.Headers.RetryAfter = ((int)Math.Ceiling(Plan.RetryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            await http.Response.WriteAsync($"fault injected: {fault}").ConfigureAwait(false);
            return;
        }

        if (UpstreamFor(http.Request, socket: false) is not { } target)
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        using var request = new HttpRequestMessage(new HttpMethod(http.Request.Method), target);
        var body = new MemoryStream();
        await http.Request.Body.CopyToAsync(body, http.RequestAborted).ConfigureAwait(false);
        if (body.Length > 0 || !HttpMethods.IsGet(http.Request.Method))
        {
            request.Content = new ByteArrayContent(body.ToArray());
        }

        foreach (var (name, values) in http.Request.Headers)
        {
            if (!HopHeaders.Contains(name) && !request.Headers.TryAddWithoutValidation(name, values.ToArray()))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, values.ToArray());
            }
        }

        using var response = await _http.SendAsync(request, http.RequestAborted).ConfigureAwait(false);
        http.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (!HopHeaders.Contains(name))
            {
                http.Response.Headers[name] = values.ToArray();
            }
        }

        var answer = Rewrite(await response.Content.ReadAsStringAsync(http.RequestAborted).ConfigureAwait(false));
        await http.Response.WriteAsync(answer, http.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>The fault this request gets, if any: a failing token endpoint, or the next answer of a burst.</summary>
    private FaultKind? RestFault(HttpRequest request)
    {
        if (!Enabled)
        {
            return null;
        }

        lock (_restGate)
        {
            var path = request.Path.Value ?? "/";
            if (Plan.TokenPaths.Any(t => path.StartsWith(t, StringComparison.Ordinal)))
            {
                return _restRandom.NextDouble() < Plan.TokenFailureProbability ? FaultKind.TokenFailure : null;
            }

            if (_burst is null && Plan.RestBurstKinds.Count > 0 && _restRandom.NextDouble() < Plan.RestBurstProbability)
            {
                _burst = (Plan.RestBurstKinds[_restRandom.Next(Plan.RestBurstKinds.Count)], Plan.BurstLength);
            }

            if (_burst is not { } burst)
            {
                return null;
            }

            _burst = burst.Left > 1 ? (burst.Kind, burst.Left - 1) : null;
            return burst.Kind;
        }
    }

    private async Task RelaySocketAsync(HttpContext http)
    {
        if (UpstreamFor(http.Request, socket: true) is not { } target)
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var number = Interlocked.Increment(ref _socketCount);
        using var upstream = new ClientWebSocket();
        try
        {
            await upstream.ConnectAsync(target, http.RequestAborted).ConfigureAwait(false);
        }
        catch (WebSocketException)
        {
            http.Response.StatusCode = StatusCodes.Status502BadGateway;
            return;
        }

        using var downstream = await http.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        var socket = new RelayedSocket(this, number, downstream, upstream, new Random(SeedFor(_seed, $"socket {number}")));
        _sockets[number] = socket;
        try
        {
            await socket.RunAsync(_stopping.Token).ConfigureAwait(false);
        }
        finally
        {
            _sockets.TryRemove(number, out _);
        }
    }

    /// <summary>One socket relayed both ways, with its own seeded faults.</summary>
    private sealed class RelayedSocket(FaultProxy proxy, int number, WebSocket downstream, WebSocket upstream, Random random)
    {
        private readonly CancellationTokenSource _cut = new();
        private volatile bool _stalled;

        public int Number => number;

        public bool IsStalled => _stalled;

        public void Abort()
        {
            downstream.Abort();
            upstream.Abort();
            _cut.Cancel();
        }

        public async Task RunAsync(CancellationToken stopping)
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, _cut.Token);
            var ct = linked.Token;
            var pumps = new[] { PumpAsync(upstream, downstream, toNode: true, ct), PumpAsync(downstream, upstream, toNode: false, ct) };
            var relays = pumps.Append(SocketFaultsAsync(ct)).ToArray();
            var first = await Task.WhenAny(relays).ConfigureAwait(false);
            if (pumps.Contains(first) && first.IsCompletedSuccessfully)
            {
                // One side closed: its close went on to the other side; give that side a moment to answer it.
                await Task.WhenAny(Task.WhenAll(pumps), Task.Delay(TimeSpan.FromSeconds(2), CancellationToken.None)).ConfigureAwait(false);
            }

            Abort();
            try
            {
                await Task.WhenAll(relays).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException)
            {
            }
        }

        /// <summary>Disconnects and stalls at random times (exponential gaps at the plan's rates).</summary>
        private async Task SocketFaultsAsync(CancellationToken ct)
        {
            while (!ct.IsCancellationRequested)
            {
                var plan = proxy.Plan;
                var rate = plan.DisconnectsPerSecond + plan.StallsPerSecond;
                if (rate <= 0)
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), ct).ConfigureAwait(false);
                    continue;
                }

                TimeSpan wait;
                bool stall;
                lock (random)
                {
                    wait = TimeSpan.FromSeconds(-Math.Log(1 - random.NextDouble()) / rate);
                    stall = random.NextDouble() * rate < plan.StallsPerSecond;
                }

                await Task.Delay(wait, ct).ConfigureAwait(false);
                if (!proxy.Enabled)
                {
                    continue;
                }

                if (stall)
                {
                    proxy.Record(FaultKind.Stall, $"socket {number}");
                    _stalled = true;
                    await Task.Delay(plan.StallFor, ct).ConfigureAwait(false);
                }
                else
                {
                    proxy.Record(FaultKind.Disconnect, $"socket {number}");
                }

                return;   // ends the relay: both sides are dropped
            }
        }

        private async Task PumpAsync(WebSocket from, WebSocket to, bool toNode, CancellationToken ct)
        {
            var buffer = new byte[64 * 1024];
            var message = new MemoryStream();
            while (!ct.IsCancellationRequested)
            {
                var result = await from.ReceiveAsync(buffer, ct).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    if (to.State is WebSocketState.Open or WebSocketState.CloseReceived)
                    {
                        await to.CloseOutputAsync(from.CloseStatus ?? WebSocketCloseStatus.NormalClosure, from.CloseStatusDescription, ct).ConfigureAwait(false);
                    }

                    return;
                }

                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage)
                {
                    continue;
                }

                var frame = message.ToArray();
                message.SetLength(0);
                while (_stalled)
                {
                    await Task.Delay(50, ct).ConfigureAwait(false);   // half-open: swallowed until the drop
                }

                if (toNode && proxy.Enabled)
                {
                    await SendToNodeWithFaultsAsync(to, frame, result.MessageType, ct).ConfigureAwait(false);
                }
                else
                {
                    await to.SendAsync(frame, result.MessageType, true, ct).ConfigureAwait(false);
                }
            }
        }

        private async Task SendToNodeWithFaultsAsync(WebSocket to, byte[] frame, WebSocketMessageType type, CancellationToken ct)
        {
            var plan = proxy.Plan;
            double delayDraw, truncateDraw, garbageDraw;
            int delayMs, cut, garbageLength;
            lock (random)
            {
                (delayDraw, truncateDraw, garbageDraw) = (random.NextDouble(), random.NextDouble(), random.NextDouble());
                delayMs = random.Next(1, Math.Max(2, (int)plan.MaxDelay.TotalMilliseconds));
                cut = random.Next(1, Math.Max(2, frame.Length));
                garbageLength = random.Next(1, 64);
            }

            if (garbageDraw < plan.GarbageProbability)
            {
                proxy.Record(FaultKind.Garbage, $"socket {number}");
                var garbage = new byte[garbageLength];
                lock (random)
                {
                    for (var i = 0; i < garbage.Length; i++)
                    {
                        garbage[i] = (byte)random.Next(0x21, 0x7f);
                    }
                }

                await to.SendAsync(garbage, WebSocketMessageType.Text, true, ct).ConfigureAwait(false);
            }

            if (delayDraw < plan.DelayProbability)
            {
                proxy.Record(FaultKind.Delay, $"socket {number}");
                await Task.Delay(delayMs, ct).ConfigureAwait(false);
            }

            if (truncateDraw < plan.TruncateProbability && frame.Length > 1)
            {
                proxy.Record(FaultKind.Truncate, $"socket {number}");
                frame = frame[..cut];
            }

            await to.SendAsync(frame, type, true, ct).ConfigureAwait(false);
        }
    }

    /// <summary>The injected faults counted by kind (every kind listed, zero where none was).</summary>
    public IReadOnlyDictionary<FaultKind, int> CountByKind() => Enum.GetValues<FaultKind>().ToDictionary(k => k, k => Volatile.Read(ref _counts[(int)k]));

    /// <summary>Text for a log line: the kinds injected, e.g. <c>Disconnect=3 Garbage=12</c>.</summary>
    public override string ToString() =>
        new StringBuilder().AppendJoin(' ', CountByKind().Where(c => c.Value > 0).Select(c => $"{c.Key}={c.Value}")).ToString();
}
