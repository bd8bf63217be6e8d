using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Runtime.Bus;
using ActorTrading.Runtime.Capture;
using ActorTrading.Runtime.Limits;
using ActorTrading.Runtime.Telemetry;
using Akka.Actor;

namespace ActorTrading.Runtime.Feeds;

/// <summary>
/// One WebSocket connection of a feed, for one generation. A single reader task parses frames with the adapter
/// and publishes data straight to the bus (no actor hop on the hot path); control frames, errors and the end of
/// the socket are told to the owning actor tagged with the generation. A single writer task sends, because
/// <see cref="ClientWebSocket"/> allows only one send at a time; it is also where the venue's send window is
/// enforced, on the time each frame really goes out: frames wait in line, never dropped, and keep-alive frames
/// jump the line into slots the other frames leave free.
/// </summary>
internal sealed class FeedSocket : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly Channel<(string Text, bool KeepAlive)> _inbox =
        Channel.CreateUnbounded<(string, bool)>(new UnboundedChannelOptions { SingleReader = true });

    // Owned by the writer task only.
    private readonly Queue<string> _keepAlives = new();
    private readonly Queue<string> _queued = new();
    private readonly SlidingWindowLimiter _window;
    private int _pending;
    private readonly CancellationTokenSource _cts = new();
    private readonly long _generation;
    private int _started;
    private readonly FeedSocketContext _context;
    private long _lastFrameTicks;
    private long _frames;

    public FeedSocket(long generation, FeedSocketContext context)
    {
        _generation = generation;
        _context = context;
        _window = new SlidingWindowLimiter(context.SendWindow.Limit, context.SendWindow.Window);
        _lastFrameTicks = context.Clock.GetUtcNow().UtcTicks;
    }

    public long Generation => _generation;

    /// <summary>When the last frame of any kind arrived (for the idle watchdog).</summary>
    public DateTimeOffset LastFrameAt => new(Interlocked.Read(ref _lastFrameTicks), TimeSpan.Zero);

    public long Frames => Interlocked.Read(ref _frames);

    /// <summary>Frames queued behind the send window.</summary>
    public int PendingSends => Volatile.Read(ref _pending);

    public async Task ConnectAsync(Uri uri, TimeSpan timeout)
    {
        using var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(_cts.Token);
        connectTimeout.CancelAfter(timeout);
        // Venues that keep sockets alive by protocol pings get them (and a dead peer is found by the missing pong);
        // the others by their own ping frames.
        if (_context.Adapter.ProtocolKeepAlive is { } keepAlive)
        {
            _socket.Options.KeepAliveInterval = keepAlive;
            _socket.Options.KeepAliveTimeout = keepAlive;
        }
        else
        {
            _socket.Options.KeepAliveInterval = TimeSpan.Zero;
        }
        await _socket.ConnectAsync(uri, connectTimeout.Token).ConfigureAwait(false);
        _lastFrameTicks = _context.Clock.GetUtcNow().UtcTicks;
    }

    /// <summary>
    /// Starts the reader and writer. The owning actor calls this when it adopts the socket, not when the connect
    /// completes: a frame read earlier (a welcome, a session challenge) could reach the actor before it knows the
    /// socket and would be answered into nothing.
    /// </summary>
    public void Start()
    {
        if (Interlocked.Exchange(ref _started, 1) == 1)
        {
            return;
        }

        _ = Task.Run(ReceiveLoopAsync);
        _ = Task.Run(SendLoopAsync);
    }

    /// <summary>Queues a text frame; the writer sends frames in order, one at a time, within the send window.</summary>
    public void Send(string text)
    {
        Interlocked.Increment(ref _pending);
        _inbox.Writer.TryWrite((text, false));
    }

    /// <summary>Queues a keep-alive frame ahead of everything else; it may use the slots kept free for it.</summary>
    public void SendKeepAlive(string text) => _inbox.Writer.TryWrite((text, true));

    public async ValueTask DisposeAsync()
    {
        _inbox.Writer.TryComplete();
        if (!_cts.IsCancellationRequested)
        {
            await _cts.CancelAsync().ConfigureAwait(false);
        }

        _socket.Abort();
        _socket.Dispose();
        _cts.Dispose();
    }

    private async Task SendLoopAsync()
    {
        var ct = _cts.Token;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                while (_inbox.Reader.TryRead(out var item))
                {
                    (item.KeepAlive ? _keepAlives : _queued).Enqueue(item.Text);
                }

                var now = _context.Clock.GetUtcNow();
                if (_keepAlives.Count > 0)
                {
                    if (_window.TryAcquire(now))
                    {
                        await SendTextAsync(_keepAlives.Dequeue(), ct).ConfigureAwait(false);
                        continue;
                    }
                }
                else if (_queued.Count > 0 && _window.TryAcquire(now, _context.KeepAliveReserve))
                {
                    await SendTextAsync(_queued.Dequeue(), ct).ConfigureAwait(false);
                    Interlocked.Decrement(ref _pending);
                    continue;
                }

                if (_keepAlives.Count == 0 && _queued.Count == 0)
                {
                    if (!await _inbox.Reader.WaitToReadAsync(ct).ConfigureAwait(false))
                    {
                        return;
                    }

                    continue;
                }

                // Window full: sleep until a slot frees, but wake early when a keep-alive is queued.
                var wait = _window.WaitTime(now, _keepAlives.Count > 0 ? 0 : _context.KeepAliveReserve);
                using var wake = CancellationTokenSource.CreateLinkedTokenSource(ct);
                await Task.WhenAny(
                    Task.Delay(wait, _context.Clock, wake.Token),
                    _inbox.Reader.WaitToReadAsync(wake.Token).AsTask()).ConfigureAwait(false);
                await wake.CancelAsync().ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
        }
        catch (Exception e)
        {
            _context.Owner.Tell(new FeedSocketClosed(_generation, "send failed: " + e.Message));
        }
    }

    private Task SendTextAsync(string text, CancellationToken ct) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, ct);

    private async Task ReceiveLoopAsync()
    {
        var parser = _context.Adapter.CreateParser();
        var sink = new Sink(this);
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        var length = 0;
        string reason = "closed by server";
        try
        {
            while (!_cts.IsCancellationRequested)
            {
                if (length == buffer.Length)
                {
                    if (buffer.Length >= _context.MaxFrameBytes)
                    {
                        throw new WebSocketException($"frame larger than {_context.MaxFrameBytes} bytes");
                    }

                    buffer = PooledBytes.Grow(buffer, length);
                }

                var result = await _socket.ReceiveAsync(buffer.AsMemory(length), _cts.Token).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    reason = $"closed by server ({_socket.CloseStatus} {_socket.CloseStatusDescription})";
                    break;
                }

                length += result.Count;
                if (length > _context.MaxFrameBytes)
                {
                    throw new WebSocketException($"frame larger than {_context.MaxFrameBytes} bytes");
                }

                if (!result.EndOfMessage)
                {
                    continue;
                }

                var now = _context.Clock.GetUtcNow();
                Interlocked.Exchange(ref _lastFrameTicks, now.UtcTicks);
                Interlocked.Increment(ref _frames);
                var frame = buffer.AsSpan(0, length);
                length = 0;

                if (result.MessageType == WebSocketMessageType.Binary)
                {
                    sink.OnError(ProtocolError.From("unexpected binary frame", frame));
                    continue;
                }

                _context.Capture?.Frame(_context.Adapter.Venue, _context.Adapter.Market, _context.FeedName, _generation, now.ToUnixTimeMilliseconds(), frame);
                parser.Parse(frame, now.ToUnixTimeMilliseconds(), sink);
            }
        }
        catch (OperationCanceledException)
        {
            return;
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            reason = e.Message;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        _context.Owner.Tell(new FeedSocketClosed(_generation, reason));
    }

    /// <summary>Routes parser output: data to the bus, everything else to the actor. Frames of an old generation are dropped.</summary>
    private sealed class Sink(FeedSocket socket) : IFrameSink
    {
        private readonly FeedSocketContext _context = socket._context;
        private readonly KeyValuePair<string, object?> _venue = NodeTelemetry.Tag("venue", $"{socket._context.Adapter.Venue}.{socket._context.Adapter.Market.ToWire()}");
        private readonly KeyValuePair<string, object?> _feed = NodeTelemetry.Tag("feed", socket._context.FeedName);

        public void OnData(DataMessage message)
        {
            if (_context.Gate.IsCurrent(socket._generation))
            {
                _context.Bus.Publish(message);
                NodeTelemetry.FeedMessages.Add(1, _venue, _feed, NodeTelemetry.Tag("channel", message.Channel.ToWire()));
            }
        }

        public void OnControl(in ControlEvent control) =>
            _context.Owner.Tell(new FeedControl(socket._generation, control));

        public void OnError(ExchangeError error) =>
            _context.Owner.Tell(new FeedFrameError(socket._generation, error));
    }
}

/// <summary>The current connection generation, read by socket threads to discard late frames.</summary>
internal sealed class GenerationGate
{
    private long _current;

    public long Current => Volatile.Read(ref _current);

    public long Next() => Interlocked.Increment(ref _current);

    public bool IsCurrent(long generation) => Volatile.Read(ref _current) == generation;
}

/// <summary>What a socket needs from its owner.</summary>
internal sealed record FeedSocketContext(
    IActorRef Owner,
    IFeedAdapter Adapter,
    IMarketDataBus Bus,
    GenerationGate Gate,
    TimeProvider Clock,
    SendWindow SendWindow,
    int KeepAliveReserve,
    int MaxFrameBytes,
    IFrameCapture? Capture,
    string FeedName);

internal sealed record FeedControl(long Generation, ControlEvent Control);

internal sealed record FeedFrameError(long Generation, ExchangeError Error);

internal sealed record FeedSocketClosed(long Generation, string Reason);
