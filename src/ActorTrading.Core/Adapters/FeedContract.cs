using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;

namespace ActorTrading.Core.Adapters;

/// <summary>One stream a feed carries: a channel for a symbol (plus the candle interval where it applies).</summary>
public sealed record Subscription(DataChannel Channel, Symbol Symbol, string? Interval = null)
{
    public override string ToString() =>
        Interval is null ? $"{Channel.ToWire()}:{Symbol}" : $"{Channel.ToWire()}:{Symbol}:{Interval}";
}

/// <summary>
/// Where and how to connect, resolved anew on every connect (KuCoin: a fresh bullet token each time).
/// <see cref="PathSecrets"/> are parts of the path that are credentials (a Binance listen key in <c>/ws/&lt;key&gt;</c>).
/// </summary>
public sealed record FeedEndpoint(Uri Uri, string ConnectId, TimeSpan PingInterval, TimeSpan PingTimeout, IReadOnlyList<string>? PathSecrets = null)
{
    /// <summary>The URI without its query and with path secrets masked, for logs: the query may hold a token.</summary>
    public string Redacted => Errors.Secrets.Scrub(Uri.GetLeftPart(UriPartial.Path), PathSecrets ?? []);

    /// <summary>The query's values (a token, a key, a signature) and the path secrets: never to appear in anything the node prints.</summary>
    public IReadOnlyList<string> Secrets => Uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
        .Select(pair => Uri.UnescapeDataString(pair[(pair.IndexOf('=') + 1)..]))
        .Concat(PathSecrets ?? [])
        .Where(value => value.Length >= Errors.Secrets.MinLength)
        .ToArray();

    public override string ToString() => $"{Redacted} (ping {PingInterval.TotalSeconds}s/{PingTimeout.TotalSeconds}s)";
}

/// <summary>
/// A frame to send, with the request id the venue echoes in its ack. <see cref="Secrets"/> are the parts of
/// <see cref="Text"/> that are credentials (a key, a signature): scrubbed from anything the venue sends back.
/// </summary>
public sealed record OutboundFrame(string Id, string Text, IReadOnlyList<Subscription> Subscriptions)
{
    public IReadOnlyList<string> Secrets { get; init; } = [];
}

public enum ControlKind
{
    /// <summary>The server accepted the connection; subscriptions may be sent.</summary>
    Welcome,
    /// <summary>A subscribe/unsubscribe request was accepted.</summary>
    Ack,
    Pong,
    /// <summary>The server pinged us and expects an answer (see <see cref="IFeedAdapter.AnswerFrame"/>).</summary>
    Ping,
    /// <summary>The server announced maintenance or that it will close the connection.</summary>
    Shutdown,
    /// <summary>Informational notice that needs no action.</summary>
    Notice,
    /// <summary>The server refused a request (unknown topic, bad parameters).</summary>
    Error,
    /// <summary>The connection token was refused or expired; reconnect with a fresh one.</summary>
    TokenRejected,
    /// <summary>The server wants a signed answer before the session starts (see <see cref="IFeedAdapter.AnswerFrame"/>).</summary>
    Challenge,
    /// <summary>The answer to one of our requests; <see cref="ControlEvent.Detail"/> holds the raw reply.</summary>
    Reply,
}

/// <summary>A non-data frame: <see cref="Id"/> is the request or connection id it refers to.</summary>
public readonly record struct ControlEvent(ControlKind Kind, string? Id, string? Detail = null);

/// <summary>Receives what a parser found in one frame.</summary>
public interface IFrameSink
{
    void OnData(DataMessage message);

    void OnControl(in ControlEvent control);

    void OnError(ExchangeError error);
}

/// <summary>Turns raw frames into normalized messages. One instance per connection: it may keep per-stream state.</summary>
public interface IFrameParser
{
    void Parse(ReadOnlySpan<byte> frame, long receivedTs, IFrameSink sink);
}

/// <summary>
/// The venue-specific half of a feed: everything the generic <c>FeedConnection</c> actor needs to know,
/// and nothing about actors. Pure and synchronous except endpoint resolution, which may need REST.
/// </summary>
public interface IFeedAdapter
{
    VenueId Venue { get; }

    MarketKind Market { get; }

    /// <summary>
    /// Whether connecting takes the account's credentials. A refused token then means the keys, and the feed stops;
    /// a public feed refused the same way keeps trying, slowly (public data needs no key: the refusal will pass).
    /// </summary>
    bool IsPrivate { get; }

    /// <summary>Client messages allowed per window on one connection (subscriptions and pings count).</summary>
    SendWindow SendWindow { get; }

    /// <summary>When a new connection is ready for subscriptions: after the server's welcome, or as soon as it opens.</summary>
    FeedReadiness Readiness { get; }

    /// <summary>
    /// A pause after the socket opens before anything is sent on it (Crypto.com: a second, as its limits count from the
    /// calendar second the connection opened); none by default.
    /// </summary>
    TimeSpan ReadyDelay => TimeSpan.Zero;

    /// <summary>Resolves the connection URL; called on every connect.</summary>
    Task<FeedEndpoint> ResolveEndpointAsync(IRestExecutor rest, CancellationToken cancellationToken);

    /// <summary>Subscribe (or unsubscribe) frames for the given streams, batched as the venue allows.</summary>
    IReadOnlyList<OutboundFrame> SubscriptionFrames(IReadOnlyCollection<Subscription> subscriptions, bool subscribe, Func<string> nextId);

    /// <summary>
    /// The frame that authenticates a new socket before it takes subscriptions (Bybit <c>auth</c>, Crypto.com
    /// <c>public/auth</c>), signed at <paramref name="now"/>; null when the venue needs none or authenticates otherwise
    /// (a token in the URL, a signed subscription). Sent once the socket is ready; the venue's ack (a
    /// <see cref="ControlKind.Ack"/> with the frame's id) opens the session, its refusal (an <see cref="ControlKind.Error"/>
    /// or <see cref="ControlKind.TokenRejected"/> with that id) stops the feed: keys do not get better by retrying.
    /// </summary>
    OutboundFrame? LoginFrame(string id, DateTimeOffset now) => null;

    /// <summary>The client keep-alive frame, sent every <see cref="FeedEndpoint.PingInterval"/>.</summary>
    string PingFrame(string id);

    /// <summary>The answer to a server <see cref="ControlKind.Ping"/>, or null when the venue expects none.</summary>
    string? AnswerFrame(in ControlEvent serverPing);

    IFrameParser CreateParser();

    /// <summary>
    /// Which of the venue's sockets carries a subscription: empty when one socket carries everything; Binance USDⓈ-M
    /// serves depth and book tickers on its <c>public</c> path and the rest on <c>market</c>.
    /// </summary>
    string RouteOf(Subscription subscription) => string.Empty;

    /// <summary>This adapter for the sockets of one route (the endpoint follows the route).</summary>
    IFeedAdapter ForRoute(string route) => this;

    /// <summary>Streams one socket may carry; beyond it the supervisor opens another socket on the route (Binance: 1,024).</summary>
    int MaxStreamsPerConnection => int.MaxValue;

    /// <summary>
    /// Keep-alive at the WebSocket protocol level: the client pings this often and drops the socket when no pong comes
    /// within as long. For venues whose sockets may rightly stay quiet (Binance user data, an idle symbol) this replaces
    /// the idle watchdog; null keeps the watchdog and the venue's own ping frames.
    /// </summary>
    TimeSpan? ProtocolKeepAlive => null;

    /// <summary>How often the session behind the endpoint must be renewed by REST (Binance USDⓈ-M listen key: 30 min), or null.</summary>
    TimeSpan? SessionRefreshInterval => null;

    /// <summary>Renews the session (<see cref="SessionRefreshInterval"/>); a failure makes the feed connect anew with a fresh session.</summary>
    Task RefreshSessionAsync(IRestExecutor rest, CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>When a venue's socket is ready for subscriptions.</summary>
public enum FeedReadiness
{
    /// <summary>After the server's welcome frame (KuCoin); none within the welcome timeout is a failed connection.</summary>
    Welcome,

    /// <summary>As soon as the socket is open: the venue sends no welcome (Binance), so none is waited for.</summary>
    OnOpen,
}

/// <summary>At most <see cref="Limit"/> client messages in any <see cref="Window"/>.</summary>
public sealed record SendWindow(int Limit, TimeSpan Window);

/// <summary>Implemented by adapters of venues whose delta books start from a REST snapshot.</summary>
public interface IBookSnapshotProvider
{
    Task<OrderBookUpdate> FetchBookSnapshotAsync(Symbol symbol, IRestExecutor rest, long receivedTs, CancellationToken cancellationToken);
}

/// <summary>The outcome a venue gave to one request on a request/reply socket.</summary>
public sealed record ReplyOutcome(string? RequestId, bool IsSuccess, string? VenueCode, string? Message, System.Text.Json.JsonElement Data);

/// <summary>A socket that carries requests and their replies (order entry) rather than subscriptions.</summary>
public interface IRequestReplyAdapter : IFeedAdapter
{
    /// <summary>The frame for a request; the venue echoes <paramref name="id"/> in its reply.</summary>
    string RequestFrame(string id, string operation, string argsJson);

    /// <summary>Reads a <see cref="ControlKind.Reply"/>'s raw text.</summary>
    ReplyOutcome ParseReply(string raw);

    /// <summary>
    /// What a refusal means: <see cref="AuthenticationError"/> when the venue refused the credentials (an unsolicited
    /// one ends the session for good), <see cref="RateLimitedError"/> when it refused the pace, otherwise the venue's
    /// <see cref="ApiError"/>.
    /// </summary>
    ExchangeError ErrorOf(ReplyOutcome refusal) => new ApiError(refusal.VenueCode ?? "unknown", refusal.Message ?? string.Empty, 0);
}
