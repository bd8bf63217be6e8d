using System.Text.Json;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Runtime.Limits;
using ActorTrading.Runtime.Telemetry;
using Akka.Actor;
using Akka.Event;

namespace ActorTrading.Runtime.Rest;

public static class RestGatewayProtocol
{
    /// <summary>Send a request; the sender gets <see cref="Response"/> or <see cref="Failed"/>.</summary>
    public sealed record Execute(RestRequest Request);

    public sealed record Response(RestRequest Request, JsonElement Data);

    public sealed record Failed(RestRequest Request, ExchangeError Error);

    /// <summary>
    /// Spends a request's charges without sending it: the same call going another way (a trading socket) counts
    /// against the same venue limits. The sender gets <see cref="Reserved"/> once the pools have room, or
    /// <see cref="Failed"/> during an IP ban.
    /// </summary>
    public sealed record Reserve(RestRequest Request);

    public sealed record Reserved(RestRequest Request);
}

/// <summary>
/// The venue's REST door: every request first waits until every pool it spends from has room (the <see cref="RateLimiter"/>), then goes
/// through the resilient <see cref="RestClient"/>; quota headers, 429s and IP bans flow back to the limiter.
/// </summary>
public sealed class RestGateway : ReceiveActor
{
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<long, (RestRequest Request, IActorRef ReplyTo, bool Send)> _waiting = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly RestClient _client;
    private readonly Action<RateLimitObservation> _onObserved;
    private readonly Action<string, TimeSpan> _onThrottled;
    private readonly Action<TimeSpan> _onBanned;
    private long _nextId;

    public RestGateway(RestClient client, IActorRef rateLimiter)
    {
        var self = Self;
        _client = client;
        _onObserved = o => rateLimiter.Tell(new RateLimiterProtocol.Observe(o), self);
        _onThrottled = (pool, wait) => rateLimiter.Tell(new RateLimiterProtocol.Throttled(pool, wait), self);
        client.RateLimitObserved += _onObserved;
        client.Throttled += _onThrottled;
        _onBanned = ban => rateLimiter.Tell(new RateLimiterProtocol.Banned(ban), self);
        client.Banned += _onBanned;

        Receive<RestGatewayProtocol.Execute>(e => Acquire(e.Request, send: true));
        Receive<RestGatewayProtocol.Reserve>(r => Acquire(r.Request, send: false));
        Receive<RateLimiterProtocol.Refused>(r =>
        {
            // The venue banned our IP: this request is not sent, and its caller hears why and for how long.
            if (_waiting.Remove(r.RequestId, out var refused))
            {
                refused.ReplyTo.Tell(new RestGatewayProtocol.Failed(refused.Request, RestClient.BannedFor(r.BanLeft, refused.Request)));
            }
        });
        Receive<RateLimiterProtocol.Granted>(g =>
        {
            if (!_waiting.Remove(g.RequestId, out var pending))
            {
                rateLimiter.Tell(new RateLimiterProtocol.Completed(g.RequestId));
                return;
            }

            var (request, replyTo, send) = pending;
            if (!send)
            {
                // Spent for a call that goes another way (the trading socket): it counts from the grant.
                rateLimiter.Tell(new RateLimiterProtocol.Completed(g.RequestId));
                replyTo.Tell(new RestGatewayProtocol.Reserved(request));
                return;
            }

            // The limiter counts the request's weight from its answer on (it reached the venue by then).
            var completed = new RateLimiterProtocol.Completed(g.RequestId);
            client.SendAsync(request, _stopping.Token).PipeTo(
                replyTo,
                success: data =>
                {
                    rateLimiter.Tell(completed);
                    return new RestGatewayProtocol.Response(request, data);
                },
                failure: ex =>
                {
                    rateLimiter.Tell(completed);
                    var error = ex switch
                    {
                        ExchangeException ee => ee.Error,
                        OperationCanceledException => new NetworkError("request canceled: gateway stopping"),
                        _ => new NetworkError(ex.GetBaseException().Message),
                    };
                    // A request cut off by the node's own stop is no problem worth a warning at every Ctrl+C.
                    if (ex is OperationCanceledException)
                    {
                        _log.Debug("{Method} {Path} failed: {Error}", request.Method, request.Path, error);
                    }
                    else
                    {
                        _log.Warning("{Method} {Path} failed: {Error}", request.Method, request.Path, error);
                    }
                    return new RestGatewayProtocol.Failed(request, error);
                });
        });

        void Acquire(RestRequest request, bool send)
        {
            var id = ++_nextId;
            _waiting[id] = (request, Sender, send);
            rateLimiter.Tell(new RateLimiterProtocol.Acquire(request.Charges, id));
        }
    }

    public static Props Props(RestClient client, IActorRef rateLimiter) =>
        Akka.Actor.Props.Create(() => new RestGateway(client, rateLimiter));

    protected override void PreStart() => Mailboxes.Watch(Self, "rest-gateway");

    protected override void PostStop()
    {
        Mailboxes.Forget(Self);

        // The client outlives a restart of this actor: detach so a new incarnation does not double-report.
        _client.RateLimitObserved -= _onObserved;
        _client.Throttled -= _onThrottled;
        _client.Banned -= _onBanned;
        _stopping.Cancel();
        _stopping.Dispose();
    }
}

/// <summary><see cref="IRestExecutor"/> over the gateway actor, for adapters that need REST (token requests).</summary>
public sealed class GatewayRestExecutor(IActorRef gateway, TimeSpan timeout) : IRestExecutor
{
    public async Task<JsonElement> SendAsync(RestRequest request, CancellationToken cancellationToken)
    {
        object reply;
        try
        {
            reply = await gateway.Ask<object>(new RestGatewayProtocol.Execute(request), timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (AskTimeoutException e)
        {
            throw new ExchangeException(new NetworkError($"{request.Path}: no answer within {timeout.TotalSeconds:0} s", IsTimeout: true), e);
        }

        return reply switch
        {
            RestGatewayProtocol.Response r => r.Data,
            RestGatewayProtocol.Failed f => throw new ExchangeException(f.Error),
            _ => throw new ExchangeException(new ProtocolError("unexpected gateway reply", reply.GetType().Name)),
        };
    }

    /// <summary>Spends <paramref name="request"/>'s charges for a call that goes another way; throws, never sent, when they cannot be.</summary>
    public async Task SpendAsync(RestRequest request)
    {
        object reply;
        try
        {
            reply = await gateway.Ask<object>(new RestGatewayProtocol.Reserve(request), timeout).ConfigureAwait(false);
        }
        catch (AskTimeoutException e)
        {
            throw new ExchangeException(new NetworkError($"{request.Path}: no room in the rate budget within {timeout.TotalSeconds:0} s; not sent", NeverSent: true), e);
        }

        if (reply is RestGatewayProtocol.Failed f)
        {
            throw new ExchangeException(f.Error);
        }
    }
}
