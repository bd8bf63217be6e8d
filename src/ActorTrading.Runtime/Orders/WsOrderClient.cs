using System.Globalization;
using System.Text.Json;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Runtime.Bus;
using ActorTrading.Runtime.Feeds;
using Akka.Actor;
using Akka.Event;

namespace ActorTrading.Runtime.Orders;

public static class WsOrderProtocol
{
    /// <summary>
    /// Sends one request (e.g. <c>futures.order</c> with the REST body as <paramref name="ArgsJson"/>). The sender gets
    /// exactly one <see cref="Outcome"/>.
    /// </summary>
    public sealed record Send(string Operation, string ArgsJson, string? ClientOid);

    public abstract record Outcome(string RequestId, string? ClientOid);

    public sealed record Accepted(string RequestId, string? ClientOid, JsonElement Data) : Outcome(RequestId, ClientOid);

    /// <summary>The venue refused the request; nothing happened.</summary>
    public sealed record Rejected(string RequestId, string? ClientOid, ExchangeError Error) : Outcome(RequestId, ClientOid);

    /// <summary>
    /// The request may or may not have reached the venue (no reply in time, or the socket died after sending):
    /// resolve by querying the order, typically by its clientOid.
    /// </summary>
    public sealed record Unknown(string RequestId, string? ClientOid, string Reason) : Outcome(RequestId, ClientOid);

    public sealed class GetStatus
    {
        public static readonly GetStatus Instance = new();

        private GetStatus()
        {
        }
    }

    public enum State
    {
        Connecting,
        Authenticating,
        Ready,
        Backoff,
        Stopped,
    }

    public sealed record Status(State State, long Generation, int InFlight, int Queued, string? LastError);
}

public sealed record WsOrderSettings
{
    /// <summary>No reply within this time makes the outcome <see cref="WsOrderProtocol.Unknown"/>.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A request waiting for a session longer than this is rejected unsent, so a caller's timeout never leaves a
    /// request behind that could still go out later.
    /// </summary>
    public TimeSpan QueueTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// No frame for this long (not even the answer to a ping, or a server heartbeat) means a dead connection: reconnect.
    /// Not applied where the socket is kept alive by protocol pings, which are not frames.
    /// </summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(90);

    public TimeSpan BackoffMin { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan BackoffMax { get; init; } = TimeSpan.FromSeconds(30);

    public double Jitter { get; init; } = 0.2;

    /// <summary>Overrides the adapter's per-connection send window.</summary>
    public SendWindow? SendWindow { get; init; }
}

/// <summary>
/// Order entry over a venue's trading WebSocket (KuCoin <c>wsapi</c>, Binance spot's WebSocket API, Kraken's and
/// Crypto.com's account sockets). Connecting → (the venue's pause after connecting) → Authenticating (KuCoin: session
/// challenge answered, welcome received; a venue with a login frame: its ack; Binance: nothing, each request is signed)
/// → Ready; server heartbeats are answered, a connection silent past the idle timeout is dropped, any failure backs off
/// and reconnects with a fresh session, and a refused login stops the client with the venue's reason. Requests made
/// while not Ready wait in line and go out once a session is up; every request sent gets exactly one outcome:
/// accepted, rejected with the venue code, or unknown when no reply came (timeout, or the socket died after sending).
/// Sends share the socket's single writer and its send window.
/// </summary>
public sealed class WsOrderClient : UntypedActor, IWithTimers
{
    private const string HandshakeTimer = "handshake";
    private const string PingTimer = "ping";
    private const string BackoffTimer = "backoff";
    private const string WatchdogTimer = "watchdog";

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly IRequestReplyAdapter _adapter;
    private readonly IRestExecutor _rest;
    private readonly WsOrderSettings _settings;
    private readonly TimeProvider _clock;
    private readonly GenerationGate _gate = new();
    private readonly ReconnectBackoff _backoff;
    private readonly Dictionary<string, (IActorRef ReplyTo, string? ClientOid)> _inFlight = new();
    private readonly Queue<long> _queueOrder = new();
    private readonly Dictionary<long, (WsOrderProtocol.Send Request, IActorRef ReplyTo)> _queued = new();
    private readonly IMarketDataBus _nowhere = new NullBus();
    private readonly SessionSecrets _secrets = new();
    private WsOrderProtocol.State _state = WsOrderProtocol.State.Connecting;
    private FeedSocket? _socket;
    private FeedEndpoint? _endpoint;
    private long _requestIds;
    private long _queuedIds;
    private string? _lastError;
    private string? _loginId;

    public WsOrderClient(IRequestReplyAdapter adapter, WsOrderSettings settings, TimeProvider clock, IRestExecutor? rest = null)
    {
        _adapter = adapter;
        _rest = rest ?? NoRest.Instance;
        _settings = settings;
        _clock = clock;
        _backoff = new ReconnectBackoff(settings.BackoffMin, settings.BackoffMax, settings.Jitter);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>The client of one trading socket; <paramref name="rest"/> is the venue's REST for sockets whose endpoint needs it (Kraken's token).</summary>
    public static Props Props(IRequestReplyAdapter adapter, WsOrderSettings? settings = null, TimeProvider? clock = null, IRestExecutor? rest = null) =>
        Akka.Actor.Props.Create(() => new WsOrderClient(adapter, settings ?? new WsOrderSettings(), clock ?? TimeProvider.System, rest));

    protected override void PreStart() => Connect(_gate.Next());

    protected override void PostStop()
    {
        _gate.Next();
        FailInFlight("order client stopped");
        RejectQueued(new NetworkError("order client stopped before sending"));

        _ = _socket?.DisposeAsync().AsTask();
    }

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case WsOrderProtocol.Send send:
                if (_state == WsOrderProtocol.State.Stopped)
                {
                    Sender.Tell(new WsOrderProtocol.Rejected("-", send.ClientOid, new AuthenticationError(_lastError ?? "order client stopped")));
                }
                else if (_state == WsOrderProtocol.State.Ready)
                {
                    Transmit(send, Sender);
                }
                else
                {
                    var queuedId = ++_queuedIds;
                    _queued[queuedId] = (send, Sender);
                    _queueOrder.Enqueue(queuedId);
                    Timers.StartSingleTimer(QueueTimerKey(queuedId), new QueueExpired(queuedId), _settings.QueueTimeout);
                }

                break;
            case QueueExpired q when _queued.Remove(q.QueuedId, out var expired):
                expired.ReplyTo.Tell(new WsOrderProtocol.Rejected("-", expired.Request.ClientOid,
                    new NetworkError($"not sent: no trading session within {_settings.QueueTimeout.TotalSeconds:0.##} s ({_lastError ?? "connecting"})")));
                break;
            case Opened o when o.Generation == _gate.Current:
                _secrets.Begin(o.Endpoint);
                _socket = o.Socket;
                _endpoint = o.Endpoint;
                _socket.Start();
                _state = WsOrderProtocol.State.Authenticating;
                if (_adapter.ProtocolKeepAlive is null)
                {
                    Timers.StartPeriodicTimer(WatchdogTimer, new CheckIdle(o.Generation), _settings.IdleTimeout / 4);
                }

                if (_adapter.Readiness == FeedReadiness.OnOpen && _adapter.ReadyDelay > TimeSpan.Zero)
                {
                    // The venue counts its limits from the second the connection opened (Crypto.com): wait before the first request.
                    Timers.StartSingleTimer(HandshakeTimer, new PauseElapsed(o.Generation), _adapter.ReadyDelay);
                }
                else if (_adapter.Readiness == FeedReadiness.OnOpen)
                {
                    OnSessionOpen(sessionId: null, pingMs: null);   // no welcome to wait for (Binance signs each request)
                }
                else
                {
                    Timers.StartSingleTimer(HandshakeTimer, new HandshakeTimeout(o.Generation), _settings.HandshakeTimeout);
                }

                break;
            case PauseElapsed p when p.Generation == _gate.Current:
                OnSessionOpen(sessionId: null, pingMs: null);
                break;
            case CheckIdle i when i.Generation == _gate.Current && _socket is not null && _clock.GetUtcNow() - _socket.LastFrameAt > _settings.IdleTimeout:
                Reconnect($"idle: no frame for {_settings.IdleTimeout.TotalSeconds:0.##} s");
                break;
            case ConnectFailed f when f.Generation == _gate.Current:
                Reconnect(f.Reason);
                break;
            case FeedControl c when c.Generation == _gate.Current:
                OnControl(_secrets.Scrub(c.Control));
                break;
            case FeedFrameError e when e.Generation == _gate.Current:
                _log.Warning("order socket: {Error}", _secrets.Scrub(e.Error));
                break;
            case FeedSocketClosed c when c.Generation == _gate.Current:
                Reconnect("socket closed: " + _secrets.Scrub(c.Reason));
                break;
            case HandshakeTimeout h when h.Generation == _gate.Current:
                Reconnect(_loginId is null ? "no session welcome from the server" : "no answer to the login");
                break;
            case RequestTimeout t when _inFlight.Remove(t.RequestId, out var waiting):
                waiting.ReplyTo.Tell(new WsOrderProtocol.Unknown(t.RequestId, waiting.ClientOid, $"no reply within {_settings.RequestTimeout.TotalSeconds:0.##} s"));
                break;
            case SendPing p when p.Generation == _gate.Current:
                _socket?.SendKeepAlive(_adapter.PingFrame("ping-" + NextId()));
                break;
            case BackoffElapsed b when b.Generation == _gate.Current:
                Connect(b.Generation);
                break;
            case WsOrderProtocol.GetStatus:
                Sender.Tell(new WsOrderProtocol.Status(_state, _gate.Current, _inFlight.Count, _queued.Count, _lastError));
                break;
            case Opened stale:
                _ = stale.Socket.DisposeAsync().AsTask();
                break;
            case ConnectFailed or FeedControl or FeedFrameError or FeedSocketClosed or HandshakeTimeout or RequestTimeout or SendPing or BackoffElapsed or QueueExpired or PauseElapsed
                or CheckIdle:
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void Connect(long generation)
    {
        _state = WsOrderProtocol.State.Connecting;
        var self = Self;
        var window = _settings.SendWindow ?? _adapter.SendWindow;
        var context = new FeedSocketContext(self, _adapter, _nowhere, _gate, _clock, window, KeepAliveReserve: 2, MaxFrameBytes: 1024 * 1024, Capture: null, FeedName: "orders");
        ConnectAsync(generation, context).PipeTo(self);
    }

    private async Task<object> ConnectAsync(long generation, FeedSocketContext context)
    {
        FeedEndpoint endpoint;
        try
        {
            endpoint = await _adapter.ResolveEndpointAsync(_rest, CancellationToken.None).ConfigureAwait(false);
        }
        catch (ExchangeException e)
        {
            return new ConnectFailed(generation, e.Error.ToString());
        }

        var socket = new FeedSocket(generation, context);
        try
        {
            await socket.ConnectAsync(endpoint.Uri, _settings.ConnectTimeout).ConfigureAwait(false);
            return new Opened(generation, socket, endpoint);
        }
        catch (Exception e)
        {
            await socket.DisposeAsync().ConfigureAwait(false);
            return new ConnectFailed(generation, Secrets.Scrub($"connect to {endpoint.Redacted}: {e.GetBaseException().Message}", endpoint.Secrets));
        }
    }

    private void OnControl(ControlEvent control)
    {
        switch (control.Kind)
        {
            case ControlKind.Challenge or ControlKind.Ping when _adapter.AnswerFrame(control) is { } answer:
                _secrets.Add(answer);
                _socket?.SendKeepAlive(answer);
                break;
            case ControlKind.Welcome when _state == WsOrderProtocol.State.Authenticating && _loginId is null:
                Timers.Cancel(HandshakeTimer);
                OnSessionOpen(control.Id, control.Detail?.Split(',') is [var ms, ..] && long.TryParse(ms, CultureInfo.InvariantCulture, out var pingMs) ? pingMs : null);
                break;
            case ControlKind.Ack when _loginId is not null && control.Id == _loginId:
                Timers.Cancel(HandshakeTimer);
                _loginId = null;
                OnReady("logged in");
                break;
            case ControlKind.Error or ControlKind.TokenRejected when _loginId is not null && (control.Id is null || control.Id == _loginId):
                StopWith(new AuthenticationError($"login refused: {control.Detail}"));   // the same keys would be refused again
                break;
            case ControlKind.Reply when control.Detail is { } raw:
                OnReply(raw);
                break;
            case ControlKind.Pong:
                break;
            default:
                _log.Info("order socket: {Kind} {Detail}", control.Kind, control.Detail);
                break;
        }
    }

    /// <summary>
    /// The socket is open for the session: keep it alive by ping frames at the welcome's or the endpoint's interval
    /// (none where the socket pings itself, or the server sends heartbeats to answer), then log in where the venue takes
    /// a login frame (Crypto.com's <c>public/auth</c>), else take requests.
    /// </summary>
    private void OnSessionOpen(string? sessionId, long? pingMs)
    {
        var pingInterval = pingMs is { } ms ? TimeSpan.FromMilliseconds(ms) : _endpoint?.PingInterval ?? TimeSpan.Zero;
        if (_adapter.ProtocolKeepAlive is null && pingInterval > TimeSpan.Zero)
        {
            Timers.StartPeriodicTimer(PingTimer, new SendPing(_gate.Current), pingInterval);
        }

        OutboundFrame? login;
        try
        {
            login = _adapter.LoginFrame("login-" + (_requestIds + 1).ToString(CultureInfo.InvariantCulture), _clock.GetUtcNow());
        }
        catch (ExchangeException e)
        {
            StopWith(e.Error);
            return;
        }

        if (login is null)
        {
            OnReady(sessionId ?? "none");
            return;
        }

        _requestIds++;
        _loginId = login.Id;
        foreach (var secret in login.Secrets)
        {
            _secrets.Add(secret);
        }

        _socket?.Send(login.Text);
        Timers.StartSingleTimer(HandshakeTimer, new HandshakeTimeout(_gate.Current), _settings.HandshakeTimeout);
    }

    /// <summary>The session takes requests: send what waited.</summary>
    private void OnReady(string session)
    {
        _state = WsOrderProtocol.State.Ready;
        _backoff.Reset();
        _lastError = null;
        _log.Info("order socket ready (session {Session}), {Queued} queued requests", session, _queued.Count);
        while (_queueOrder.TryDequeue(out var queuedId))
        {
            if (_queued.Remove(queuedId, out var waiting))
            {
                Timers.Cancel(QueueTimerKey(queuedId));
                Transmit(waiting.Request, waiting.ReplyTo);
            }
        }
    }

    private void OnReply(string raw)
    {
        ReplyOutcome reply;
        try
        {
            reply = _adapter.ParseReply(raw);
        }
        catch (ExchangeException e)
        {
            _log.Warning("order socket: {Error}", e.Error);
            return;
        }

        if (reply.RequestId is null || !_inFlight.Remove(reply.RequestId, out var waiting))
        {
            // A reply to no request of ours: the connection itself was refused (bad key, signature, IP).
            if (!reply.IsSuccess && _adapter.ErrorOf(reply) is AuthenticationError refused)
            {
                StopWith(refused);
            }
            else if (!reply.IsSuccess)
            {
                _log.Warning("order socket: unsolicited error {Code} {Message}", reply.VenueCode, reply.Message);
            }

            return;
        }

        Timers.Cancel(RequestTimerKey(reply.RequestId));
        waiting.ReplyTo.Tell(reply.IsSuccess
            ? new WsOrderProtocol.Accepted(reply.RequestId, waiting.ClientOid, reply.Data)
            : new WsOrderProtocol.Rejected(reply.RequestId, waiting.ClientOid, _adapter.ErrorOf(reply)));
    }

    private void Transmit(WsOrderProtocol.Send request, IActorRef replyTo)
    {
        var id = NextId();
        _inFlight[id] = (replyTo, request.ClientOid);
        _socket!.Send(_adapter.RequestFrame(id, request.Operation, request.ArgsJson));
        Timers.StartSingleTimer(RequestTimerKey(id), new RequestTimeout(id), _settings.RequestTimeout);
    }

    private void Reconnect(string reason)
    {
        if (_state == WsOrderProtocol.State.Stopped)
        {
            return;
        }

        var generation = _gate.Next();
        CloseSocket();
        FailInFlight("connection lost before the reply: " + reason);
        _lastError = reason;
        _state = WsOrderProtocol.State.Backoff;
        var delay = _backoff.Next();
        _log.Warning("order socket: {Reason}; reconnecting in {Delay} ms", reason, (int)delay.TotalMilliseconds);
        Timers.StartSingleTimer(BackoffTimer, new BackoffElapsed(generation), delay);
    }

    private void StopWith(ExchangeError error)
    {
        _gate.Next();
        CloseSocket();
        _state = WsOrderProtocol.State.Stopped;
        _lastError = error.ToString();
        _log.Error("order socket: stopping, will not reconnect: {Error}", error);
        FailInFlight(error.ToString());
        RejectQueued(error);
    }

    private void RejectQueued(ExchangeError error)
    {
        foreach (var (queuedId, (request, replyTo)) in _queued)
        {
            Timers.Cancel(QueueTimerKey(queuedId));
            replyTo.Tell(new WsOrderProtocol.Rejected("-", request.ClientOid, error));
        }

        _queued.Clear();
        _queueOrder.Clear();
    }

    private void FailInFlight(string reason)
    {
        foreach (var (id, waiting) in _inFlight)
        {
            Timers.Cancel(RequestTimerKey(id));
            waiting.ReplyTo.Tell(new WsOrderProtocol.Unknown(id, waiting.ClientOid, reason));
        }

        _inFlight.Clear();
    }

    private void CloseSocket()
    {
        _loginId = null;
        _endpoint = null;
        Timers.Cancel(HandshakeTimer);
        Timers.Cancel(PingTimer);
        Timers.Cancel(WatchdogTimer);
        if (_socket is not null)
        {
            _ = _socket.DisposeAsync().AsTask();
            _socket = null;
        }
    }

    private string NextId() => (++_requestIds).ToString(CultureInfo.InvariantCulture);

    private static string RequestTimerKey(string id) => "request-" + id;

    private static string QueueTimerKey(long queuedId) => "queued-" + queuedId.ToString(CultureInfo.InvariantCulture);

    private sealed record Opened(long Generation, FeedSocket Socket, FeedEndpoint Endpoint);

    private sealed record ConnectFailed(long Generation, string Reason);

    private sealed record HandshakeTimeout(long Generation);

    private sealed record RequestTimeout(string RequestId);

    private sealed record QueueExpired(long QueuedId);

    private sealed record SendPing(long Generation);

    private sealed record BackoffElapsed(long Generation);

    private sealed record PauseElapsed(long Generation);

    private sealed record CheckIdle(long Generation);

    /// <summary>The trading socket carries no market data.</summary>
    private sealed class NullBus : IMarketDataBus
    {
        public void Publish(Core.Market.DataMessage message)
        {
        }

        public void Publish(in MarketDataTopic topic, object message)
        {
        }

        public void Subscribe(IActorRef subscriber, TopicFilter filter)
        {
        }

        public void Unsubscribe(IActorRef subscriber, TopicFilter? filter = null)
        {
        }
    }

    /// <summary>The trading socket signs its own URL and needs no REST.</summary>
    private sealed class NoRest : IRestExecutor
    {
        public static readonly NoRest Instance = new();

        public Task<JsonElement> SendAsync(RestRequest request, CancellationToken cancellationToken) =>
            throw new ExchangeException(new ConfigurationError("the trading socket makes no REST calls"));
    }
}
