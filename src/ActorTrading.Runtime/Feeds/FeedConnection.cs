using ActorTrading.Core;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Runtime.Bus;
using ActorTrading.Runtime.Capture;
using ActorTrading.Runtime.Telemetry;
using Akka.Actor;
using Akka.Event;

namespace ActorTrading.Runtime.Feeds;

public static class FeedConnectionProtocol
{
    /// <summary>Adds streams at runtime; they are also resubscribed after every reconnect.</summary>
    public sealed record Subscribe(IReadOnlyCollection<Subscription> Subscriptions) : ICrossNodeMessage;

    public sealed record Unsubscribe(IReadOnlyCollection<Subscription> Subscriptions) : ICrossNodeMessage;

    /// <summary>
    /// Unsubscribes and subscribes again the streams this socket carries among <see cref="Subscriptions"/>: a venue whose
    /// stream starts with a snapshot (Bybit's books) sends a fresh one.
    /// </summary>
    public sealed record Resubscribe(IReadOnlyCollection<Subscription> Subscriptions);

    /// <summary>Forces a reconnect (used by tests and operators).</summary>
    public sealed class Reconnect
    {
        public static readonly Reconnect Instance = new();

        private Reconnect()
        {
        }
    }

    public sealed class GetStatus
    {
        public static readonly GetStatus Instance = new();

        private GetStatus()
        {
        }
    }

    public enum State
    {
        Resolving,
        Connecting,
        /// <summary>The socket is open and the venue's answer to its login frame is awaited (venues that take one).</summary>
        Authenticating,
        Subscribing,
        Streaming,
        Backoff,
        Stopped,
    }

    public sealed record Status(
        string Feed, State State, long Generation, int Subscriptions, int PendingSends, int Reconnects, long Frames, DateTimeOffset? LastFrameAt, string? LastError);
}

/// <summary>
/// One venue WebSocket feed as a state machine: Resolving → Connecting → Subscribing → Streaming, and Backoff
/// on any failure. The endpoint is resolved through the adapter on every connect (a fresh token each time); the
/// server's ping interval is honoured and a missing pong or an idle socket forces a reconnect; every wanted
/// subscription is sent again after a reconnect, throttled by the venue's per-connection send window in the
/// socket's single writer (queued, never dropped; pings go first). Authentication failures, and tokens refused too often, stop the feed with a typed error.
/// </summary>
public sealed class FeedConnection : UntypedActor, IWithTimers
{
    private const string BackoffTimer = "backoff";
    private const string PingTimer = "ping";
    private const string PongTimer = "pong-timeout";
    private const string WatchdogTimer = "idle-watchdog";
    private const string SessionTimer = "session-refresh";
    private const string StableTimer = "stable";
    private const string WelcomeTimer = "welcome-timeout";
    private const string MaxAgeTimer = "max-connection-age";
    private const string LoginTimer = "login-timeout";
    private const string AckTimer = "ack-timeout";

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly IFeedAdapter _adapter;
    private readonly IRestExecutor _rest;
    private readonly IMarketDataBus _bus;
    private readonly FeedSettings _settings;
    private readonly TimeProvider _clock;
    private readonly IFrameCapture? _capture;
    private readonly GenerationGate _gate = new();
    private readonly HashSet<Subscription> _wanted;
    // In the order sent: a venue that acks without echoing the request id (Bybit's private stream) acks in that order.
    private readonly OrderedDictionary<string, OutboundFrame> _awaitingAck = new();
    private readonly SendWindow _sendWindow;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ReconnectBackoff _backoff;
    private readonly MarketDataTopic _feedTopic;
    private readonly SessionSecrets _secrets = new();

    private FeedConnectionProtocol.State _state = FeedConnectionProtocol.State.Resolving;
    private FeedSocket? _socket;
    private FeedEndpoint? _endpoint;
    private int _attempts;
    private int _tokenRejections;
    private int _reconnects;
    private long _requestIds;
    private string? _lastError;
    private string? _loginId;

    public FeedConnection(IFeedAdapter adapter, IRestExecutor rest, IMarketDataBus bus, FeedSettings settings,
        IEnumerable<Subscription> subscriptions, TimeProvider clock, IFrameCapture? capture)
    {
        _adapter = adapter;
        _rest = rest;
        _bus = bus;
        _settings = settings;
        _clock = clock;
        _capture = capture;
        _wanted = new HashSet<Subscription>(subscriptions);
        _sendWindow = settings.SendWindow ?? adapter.SendWindow;
        _feedTopic = MarketDataTopic.ForFeed(adapter.Venue, adapter.Market, settings.Name);
        _backoff = new ReconnectBackoff(settings.BackoffMin, settings.BackoffMax, settings.Jitter);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IFeedAdapter adapter, IRestExecutor rest, IMarketDataBus bus, FeedSettings settings,
        IEnumerable<Subscription> subscriptions, TimeProvider? clock = null, IFrameCapture? capture = null) =>
        Akka.Actor.Props.Create(() => new FeedConnection(adapter, rest, bus, settings, subscriptions.ToArray(), clock ?? TimeProvider.System, capture));

    protected override void PreStart()
    {
        Mailboxes.Watch(Self, "feed");
        StartResolving(_gate.Next());
    }

    protected override void PostStop()
    {
        Mailboxes.Forget(Self);
        _gate.Next();
        _stopping.Cancel();
        _stopping.Dispose();
        _ = _socket?.DisposeAsync().AsTask();
    }

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case EndpointResolved r when r.Generation == _gate.Current:
                _endpoint = r.Endpoint;
                _secrets.Begin(r.Endpoint);
                Connect(r.Endpoint);
                break;
            case SocketOpened o when o.Generation == _gate.Current:
                _socket = o.Socket;
                _socket.Start();
                _state = FeedConnectionProtocol.State.Subscribing;
                if (_adapter.ProtocolKeepAlive is null)
                {
                    Timers.StartPeriodicTimer(WatchdogTimer, new CheckIdle(o.Generation), Quarter(_settings.IdleTimeout));
                }

                if (_adapter.SessionRefreshInterval is { } refresh)
                {
                    Timers.StartPeriodicTimer(SessionTimer, new RefreshSession(o.Generation), refresh);
                }

                Timers.StartSingleTimer(MaxAgeTimer, new MaxAgeReached(o.Generation), _settings.MaxConnectionAge);
                if (_adapter.Readiness == FeedReadiness.OnOpen && _adapter.ReadyDelay > TimeSpan.Zero)
                {
                    Timers.StartSingleTimer(WelcomeTimer, new PauseElapsed(o.Generation), _adapter.ReadyDelay);
                }
                else if (_adapter.Readiness == FeedReadiness.OnOpen)
                {
                    OnReady();   // a venue that sends no welcome is never reconnected for want of one
                }
                else
                {
                    Timers.StartSingleTimer(WelcomeTimer, new WelcomeTimeout(o.Generation), _settings.WelcomeTimeout);
                }

                break;
            case PauseElapsed p when p.Generation == _gate.Current:
                OnReady();
                break;
            case RefreshSession r when r.Generation == _gate.Current:
                var generation = r.Generation;
                _adapter.RefreshSessionAsync(_rest, _stopping.Token).PipeTo(Self,
                    success: () => new SessionRefreshed(generation, null),
                    failure: ex => new SessionRefreshed(generation, ToError(ex, "session refresh")));
                break;
            case SessionRefreshed { Error: { } refreshError } f when f.Generation == _gate.Current:
                Reconnect($"session refresh failed: {_secrets.Scrub(refreshError)}");
                break;
            case SessionRefreshed:
                break;
            case MaxAgeReached m when m.Generation == _gate.Current:
                Reconnect($"connection age reached {Describe(_settings.MaxConnectionAge)}: renewing token");
                break;
            case AttemptFailed f when f.Generation == _gate.Current:
                OnAttemptFailed(f.Error);
                break;
            case FeedControl c when c.Generation == _gate.Current:
                OnControl(_secrets.Scrub(c.Control));
                break;
            case FeedFrameError e when e.Generation == _gate.Current:
                var error = _secrets.Scrub(e.Error);
                _log.Warning("{Venue} {Feed}: {Error}", _adapter.Venue, _settings.Name, error);
                NodeTelemetry.FeedErrors.Add(1, NodeTelemetry.Tag("venue", $"{_adapter.Venue}.{_adapter.Market.ToWire()}"), NodeTelemetry.Tag("feed", _settings.Name),
                    NodeTelemetry.Tag("code", error.Code));
                _bus.Publish(_feedTopic, new FeedError(_adapter.Venue, _adapter.Market, _settings.Name, Now, error));
                break;
            case FeedSocketClosed c when c.Generation == _gate.Current && _state == FeedConnectionProtocol.State.Authenticating:
                // A venue that hangs up on a login refused it: counted like a refused token, so wrong keys stop the feed.
                OnLoginRefused($"the venue closed the socket in answer to the login: {_secrets.Scrub(c.Reason)}");
                break;
            case FeedSocketClosed c when c.Generation == _gate.Current:
                Reconnect($"socket closed: {_secrets.Scrub(c.Reason)}");
                break;
            case SendPing p when p.Generation == _gate.Current:
                SendPingFrame();
                break;
            case PongTimeout p when p.Generation == _gate.Current:
                Reconnect($"no pong within {_endpoint?.PingTimeout.TotalSeconds} s");
                break;
            case WelcomeTimeout w when w.Generation == _gate.Current:
                Reconnect("no welcome from server");
                break;
            case LoginTimeout l when l.Generation == _gate.Current:
                Reconnect($"no answer to the login within {Describe(_settings.LoginTimeout)}");
                break;
            case CheckIdle i when i.Generation == _gate.Current && _socket is not null:
                if (_clock.GetUtcNow() - _socket.LastFrameAt > _settings.IdleTimeout)
                {
                    Reconnect($"idle: no frame for {_settings.IdleTimeout.TotalSeconds} s");
                }

                break;
            case AckTimeout a when a.Generation == _gate.Current && _awaitingAck.Count > 0:
                Reconnect($"no answer to {_awaitingAck.Count} subscription request(s) within {_settings.AckTimeout.TotalSeconds:0.#} s (first: {_awaitingAck.GetAt(0).Key})");
                break;
            case Stable s when s.Generation == _gate.Current:
                _backoff.Reset();
                break;
            case BackoffElapsed b when b.Generation == _gate.Current:
                StartResolving(b.Generation);
                break;
            case FeedConnectionProtocol.Subscribe s:
                ChangeSubscriptions(s.Subscriptions, subscribe: true);
                break;
            case FeedConnectionProtocol.Unsubscribe u:
                ChangeSubscriptions(u.Subscriptions, subscribe: false);
                break;
            case FeedConnectionProtocol.Resubscribe r:
                SubscribeAgain(r.Subscriptions);
                break;
            case FeedConnectionProtocol.Reconnect:
                Reconnect("reconnect requested");
                break;
            case FeedConnectionProtocol.GetStatus:
                Sender.Tell(new FeedConnectionProtocol.Status(_settings.Name, _state, _gate.Current, _wanted.Count, _socket?.PendingSends ?? 0,
                    _reconnects, _socket?.Frames ?? 0, _socket?.LastFrameAt, _lastError));
                break;
            case EndpointResolved or SocketOpened or AttemptFailed or FeedControl or FeedFrameError or FeedSocketClosed
                or SendPing or PongTimeout or AckTimeout or WelcomeTimeout or LoginTimeout or CheckIdle or Stable or BackoffElapsed or MaxAgeReached or RefreshSession or PauseElapsed:
                // A late message from an earlier connection generation: ignored by design.
                if (message is SocketOpened stale)
                {
                    _ = stale.Socket.DisposeAsync().AsTask();
                }

                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private long Now => _clock.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Starts connection <paramref name="generation"/>; the gate already moved to it, so the old socket's frames are void.</summary>
    private void StartResolving(long generation)
    {
        _state = FeedConnectionProtocol.State.Resolving;
        _bus.Publish(_feedTopic, new FeedConnecting(_adapter.Venue, _adapter.Market, _settings.Name, Now, ++_attempts));
        _adapter.ResolveEndpointAsync(_rest, _stopping.Token).PipeTo(
            Self,
            success: endpoint => new EndpointResolved(generation, endpoint),
            failure: ex => new AttemptFailed(generation, ToError(ex, "resolving endpoint")));
    }

    private void Connect(FeedEndpoint endpoint)
    {
        var generation = _gate.Current;
        _state = FeedConnectionProtocol.State.Connecting;
        _log.Info("{Venue} {Feed}: connecting to {Endpoint} (generation {Generation})", _adapter.Venue, _settings.Name, endpoint.Redacted, generation);
        var socket = new FeedSocket(generation, new FeedSocketContext(Self, _adapter, _bus, _gate, _clock, _sendWindow, _settings.PingReserve, _settings.MaxFrameBytes, _capture, _settings.Name));
        socket.ConnectAsync(endpoint.Uri, _settings.ConnectTimeout).PipeTo(
            Self,
            success: () => new SocketOpened(generation, socket),
            failure: ex =>
            {
                _ = socket.DisposeAsync().AsTask();
                return new AttemptFailed(generation, new NetworkError(Secrets.Scrub($"connect to {endpoint.Redacted}: {ex.GetBaseException().Message}", endpoint.Secrets)));
            });
    }

    /// <summary>The connection is ready: keep it alive, log in where the venue wants it, then subscribe.</summary>
    private void OnReady()
    {
        StartPinging();
        OutboundFrame? login;
        try
        {
            // The id is taken only by a login that is sent: request ids stay 1, 2, … for venues without one.
            login = _adapter.LoginFrame((_requestIds + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), _clock.GetUtcNow());
        }
        catch (ExchangeException e)
        {
            StopWith(e.Error);   // no credentials to sign with: retrying cannot help
            return;
        }

        if (login is null)
        {
            SubscribeWanted();
            return;
        }

        // Nothing is subscribed before the venue accepts the login: it would refuse the private streams.
        _requestIds++;
        _state = FeedConnectionProtocol.State.Authenticating;
        _loginId = login.Id;
        foreach (var secret in login.Secrets)
        {
            _secrets.Add(secret);
        }

        _socket?.Send(login.Text);
        Timers.StartSingleTimer(LoginTimer, new LoginTimeout(_gate.Current), _settings.LoginTimeout);
    }

    /// <summary>The connection takes subscriptions now: subscribe everything wanted, stream once acked.</summary>
    private void SubscribeWanted()
    {
        _state = FeedConnectionProtocol.State.Subscribing;
        SendSubscriptionFrames(_wanted, subscribe: true);
        EnterStreamingWhenAcked();
    }

    private bool AnswersLogin(in ControlEvent control) =>
        _state == FeedConnectionProtocol.State.Authenticating && (control.Id is null || control.Id == _loginId);

    private void OnLoginRefused(string reason)
    {
        if (++_tokenRejections >= _settings.MaxTokenRejections)
        {
            StopWith(new AuthenticationError($"login refused {_tokenRejections} times in a row: {reason}"));
        }
        else
        {
            Reconnect($"login refused: {reason}");
        }
    }

    private void OnControl(ControlEvent control)
    {
        switch (control.Kind)
        {
            case ControlKind.Welcome:
                Timers.Cancel(WelcomeTimer);
                OnReady();
                break;
            case ControlKind.Ack when AnswersLogin(control):
                Timers.Cancel(LoginTimer);
                _loginId = null;
                _log.Info("{Venue} {Feed}: logged in (generation {Generation})", _adapter.Venue, _settings.Name, _gate.Current);
                SubscribeWanted();
                break;
            case ControlKind.Error or ControlKind.TokenRejected when AnswersLogin(control):
                // The venue read the login and said no: the keys (or the clock) are wrong, and a retry signs the same way.
                StopWith(new AuthenticationError($"login refused: {control.Detail}"));
                break;
            case ControlKind.Ack:
                if (control.Id is not null)
                {
                    _awaitingAck.Remove(control.Id);
                }
                else if (_awaitingAck.Count > 0)
                {
                    _awaitingAck.RemoveAt(0);
                }

                EnterStreamingWhenAcked();
                break;
            case ControlKind.Pong:
                Timers.Cancel(PongTimer);
                break;
            case ControlKind.Ping or ControlKind.Challenge:
                if (_adapter.AnswerFrame(control) is { } answer)
                {
                    _secrets.Add(answer);
                    _socket?.SendKeepAlive(answer);
                }

                break;
            case ControlKind.Reply:
                break;
            case ControlKind.Shutdown:
                Reconnect($"server notice: {control.Detail}");
                break;
            case ControlKind.TokenRejected:
                if (++_tokenRejections >= _settings.MaxTokenRejections)
                {
                    StopWith(new AuthenticationError($"token refused {_tokenRejections} times in a row: {control.Detail}"));
                }
                else
                {
                    Reconnect($"token refused: {control.Detail}");
                }

                break;
            case ControlKind.Error:
                OnRequestRefused(control);
                break;
            case ControlKind.Notice:
                _log.Info("{Venue} {Feed}: notice {Detail}", _adapter.Venue, _settings.Name, control.Detail);
                break;
        }
    }

    private void OnRequestRefused(ControlEvent control)
    {
        if (control.Id is not null && _awaitingAck.Remove(control.Id, out var frame))
        {
            // A refused subscription would be refused again after every reconnect: forget it and say so.
            foreach (var subscription in frame.Subscriptions)
            {
                _wanted.Remove(subscription);
            }

            var error = new ApiError("subscription-refused", $"{string.Join(", ", frame.Subscriptions)}: {control.Detail}", 0);
            _log.Error("{Venue} {Feed}: {Error}", _adapter.Venue, _settings.Name, error);
            _bus.Publish(_feedTopic, new FeedError(_adapter.Venue, _adapter.Market, _settings.Name, Now, error));
            EnterStreamingWhenAcked();
            return;
        }

        _log.Warning("{Venue} {Feed}: server error {Detail}", _adapter.Venue, _settings.Name, control.Detail);
    }

    private void EnterStreamingWhenAcked()
    {
        ArmAckTimer();
        if (_state != FeedConnectionProtocol.State.Subscribing || _awaitingAck.Count > 0)
        {
            return;
        }

        // Only a session that got as far as streaming proves the credentials: a venue that refuses them in answer to
        // the first request (Binance's signed user-data subscription) must count against the limit, not reset it.
        _state = FeedConnectionProtocol.State.Streaming;
        _tokenRejections = 0;
        _lastError = null;
        _log.Info("{Venue} {Feed}: streaming {Count} subscriptions (generation {Generation})", _adapter.Venue, _settings.Name, _wanted.Count, _gate.Current);
        _bus.Publish(_feedTopic, new FeedStreaming(_adapter.Venue, _adapter.Market, _settings.Name, Now, _gate.Current));
        Timers.StartSingleTimer(StableTimer, new Stable(_gate.Current), _settings.StableAfter);
    }

    private void ChangeSubscriptions(IReadOnlyCollection<Subscription> subscriptions, bool subscribe)
    {
        var changed = subscriptions.Where(s => subscribe ? _wanted.Add(s) : _wanted.Remove(s)).ToArray();
        if (changed.Length > 0 && _state is FeedConnectionProtocol.State.Subscribing or FeedConnectionProtocol.State.Streaming && _socket is not null)
        {
            SendSubscriptionFrames(changed, subscribe);
        }
    }

    /// <summary>
    /// Unsubscribe then subscribe the wanted ones on a live socket. The unsubscribe's answer is not awaited (a venue may
    /// refuse it for a stream it already dropped); the subscribe's is, as any other. Not live: the next connect subscribes.
    /// </summary>
    private void SubscribeAgain(IReadOnlyCollection<Subscription> subscriptions)
    {
        var carried = subscriptions.Where(_wanted.Contains).ToArray();
        if (carried.Length == 0 || _socket is null || _state is not (FeedConnectionProtocol.State.Subscribing or FeedConnectionProtocol.State.Streaming))
        {
            return;
        }

        _log.Info("{Venue} {Feed}: subscribing again to {Streams}", _adapter.Venue, _settings.Name, string.Join(", ", carried.Select(c => c.ToString())));
        try
        {
            foreach (var frame in _adapter.SubscriptionFrames(carried, subscribe: false, NextRequestId))
            {
                _socket.Send(frame.Text);
            }
        }
        catch (ExchangeException e)
        {
            _log.Error("{Venue} {Feed}: cannot unsubscribe: {Error}", _adapter.Venue, _settings.Name, e.Error);
            return;
        }

        SendSubscriptionFrames(carried, subscribe: true);
    }

    private void SendSubscriptionFrames(IReadOnlyCollection<Subscription> subscriptions, bool subscribe)
    {
        IReadOnlyList<OutboundFrame> frames;
        try
        {
            frames = _adapter.SubscriptionFrames(subscriptions, subscribe, NextRequestId);
        }
        catch (ExchangeException e)
        {
            _log.Error("{Venue} {Feed}: cannot subscribe: {Error}", _adapter.Venue, _settings.Name, e.Error);
            _bus.Publish(_feedTopic, new FeedError(_adapter.Venue, _adapter.Market, _settings.Name, Now, e.Error));
            foreach (var subscription in subscriptions)
            {
                _wanted.Remove(subscription);
            }

            return;
        }

        foreach (var frame in frames)
        {
            _awaitingAck[frame.Id] = frame;
            _socket?.Send(frame.Text);
        }

        ArmAckTimer();
    }

    /// <summary>
    /// While requests wait for their answers, the venue must answer one within <see cref="FeedSettings.AckTimeout"/> of
    /// the last: a lost or mangled answer would otherwise leave the feed subscribing forever.
    /// </summary>
    private void ArmAckTimer()
    {
        if (_awaitingAck.Count > 0)
        {
            Timers.StartSingleTimer(AckTimer, new AckTimeout(_gate.Current), _settings.AckTimeout);
        }
        else
        {
            Timers.Cancel(AckTimer);
        }
    }

    private void StartPinging()
    {
        if (_endpoint is { PingInterval.Ticks: > 0 } endpoint)
        {
            Timers.StartPeriodicTimer(PingTimer, new SendPing(_gate.Current), endpoint.PingInterval);
        }
    }

    private void SendPingFrame()
    {
        if (_socket is null || _endpoint is null)
        {
            return;
        }

        _socket.SendKeepAlive(_adapter.PingFrame(NextRequestId()));
        if (!Timers.IsTimerActive(PongTimer) && _endpoint.PingTimeout > TimeSpan.Zero)
        {
            Timers.StartSingleTimer(PongTimer, new PongTimeout(_gate.Current), _endpoint.PingTimeout);
        }
    }

    private void OnAttemptFailed(ExchangeError error)
    {
        if (error is AuthenticationError && !_adapter.IsPrivate)
        {
            // Public data needs no key: the venue refusing us (401, an IP ban) is its call for now, not our keys.
            Reconnect($"the venue refused the public feed: {error}; public data needs no key, so asking again in {Describe(_settings.RefusedRetryDelay)}",
                _settings.RefusedRetryDelay);
            return;
        }

        if (error is AuthenticationError or ConfigurationError)
        {
            StopWith(error);
            return;
        }

        Reconnect(error.ToString());
    }

    /// <summary>
    /// Drops the current socket and schedules the next attempt after a jittered, growing delay (or the given one).
    /// </summary>
    private void Reconnect(string reason, TimeSpan? after = null)
    {
        if (_state == FeedConnectionProtocol.State.Stopped)
        {
            return;
        }

        var wasStreaming = _state == FeedConnectionProtocol.State.Streaming;
        var generation = _gate.Next();
        CloseSocket();
        _reconnects++;
        _lastError = reason;
        var delay = after ?? _backoff.Next();
        _state = FeedConnectionProtocol.State.Backoff;
        _log.Warning("{Venue} {Feed}: {Reason}; reconnecting in {Delay} ms{Streaming}", _adapter.Venue, _settings.Name, reason,
            (int)delay.TotalMilliseconds, wasStreaming ? string.Empty : " (was not streaming)");
        _bus.Publish(_feedTopic, new FeedBackoff(_adapter.Venue, _adapter.Market, _settings.Name, Now, reason, delay));
        Timers.StartSingleTimer(BackoffTimer, new BackoffElapsed(generation), delay);
    }

    private void StopWith(ExchangeError error)
    {
        _gate.Next();
        CloseSocket();
        _state = FeedConnectionProtocol.State.Stopped;
        _lastError = error.ToString();
        _log.Error("{Venue} {Feed}: stopping, will not reconnect: {Error}", _adapter.Venue, _settings.Name, error);
        var stopped = new FeedStopped(_adapter.Venue, _adapter.Market, _settings.Name, Now, error);
        _bus.Publish(_feedTopic, stopped);
        Context.Parent.Tell(stopped);
        Context.Stop(Self);
    }

    private void CloseSocket()
    {
        foreach (var timer in new[] { PingTimer, PongTimer, WatchdogTimer, StableTimer, WelcomeTimer, LoginTimer, AckTimer, MaxAgeTimer, SessionTimer })
        {
            Timers.Cancel(timer);
        }

        _awaitingAck.Clear();
        _loginId = null;
        if (_socket is not null)
        {
            _ = _socket.DisposeAsync().AsTask();
            _socket = null;
        }
    }

    private string NextRequestId() => (++_requestIds).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Describe(TimeSpan span) =>
        span >= TimeSpan.FromHours(1) ? $"{span.TotalHours:0.##} h" : $"{span.TotalSeconds:0.##} s";

    private static TimeSpan Quarter(TimeSpan span) => TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond * 50, span.Ticks / 4));

    private static ExchangeError ToError(Exception ex, string during) => ex switch
    {
        ExchangeException e => e.Error,
        _ => new NetworkError($"{during}: {ex.GetBaseException().Message}"),
    };

    private sealed record EndpointResolved(long Generation, FeedEndpoint Endpoint);

    private sealed record SocketOpened(long Generation, FeedSocket Socket);

    private sealed record AttemptFailed(long Generation, ExchangeError Error);

    private sealed record SendPing(long Generation);

    private sealed record PongTimeout(long Generation);

    private sealed record AckTimeout(long Generation);

    private sealed record WelcomeTimeout(long Generation);

    /// <summary>The pause the venue asks for after a socket opens has passed: requests may go.</summary>
    private sealed record PauseElapsed(long Generation);

    private sealed record LoginTimeout(long Generation);

    private sealed record CheckIdle(long Generation);

    private sealed record Stable(long Generation);

    private sealed record BackoffElapsed(long Generation);

    private sealed record MaxAgeReached(long Generation);

    private sealed record RefreshSession(long Generation);

    private sealed record SessionRefreshed(long Generation, ExchangeError? Error);
}
