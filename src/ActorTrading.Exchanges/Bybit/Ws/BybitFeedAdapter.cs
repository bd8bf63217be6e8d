using ActorTrading.Core.Adapters;
using ActorTrading.Core.Ids;
using ActorTrading.Exchanges.Bybit.Auth;

namespace ActorTrading.Exchanges.Bybit.Ws;

/// <summary>
/// A Bybit v5 stream: public <c>/v5/public/{spot|linear}</c>, or with credentials the account's <c>/v5/private</c>,
/// which takes an <c>auth</c> frame (signed with an expiry ten seconds ahead) before its subscriptions; a refused login
/// stops the feed. Ready on open; kept alive by <c>{"op":"ping"}</c> every 20 s. Subscriptions go in batches of at
/// most 10 topics on spot (the venue's limit), 200 on linear, and never more than 21,000 characters of args. Books
/// come from the stream itself (a snapshot on subscribe, deltas after): recovery is to subscribe again.
/// </summary>
public sealed class BybitFeedAdapter : IFeedAdapter
{
    /// <summary>How far ahead a login's signature expires.</summary>
    public static readonly TimeSpan LoginValidity = TimeSpan.FromSeconds(10);

    private readonly Uri _streamBase;
    private readonly BybitCredentials? _credentials;

    /// <param name="market">Spot or linear (futures).</param>
    /// <param name="streamBase">Another stream host (tests, a proxy): its scheme, host and port; paths follow the venue's.</param>
    /// <param name="credentials">The account's: this is then the private stream.</param>
    public BybitFeedAdapter(MarketKind market, Uri? streamBase = null, BybitCredentials? credentials = null)
    {
        Category = BybitVenue.Category(market);
        Market = market;
        _streamBase = streamBase ?? BybitVenue.StreamBase;
        _credentials = credentials;
    }

    public VenueId Venue => BybitVenue.Id;

    public MarketKind Market { get; }

    /// <summary><c>spot</c> or <c>linear</c>.</summary>
    public string Category { get; }

    public bool IsPrivate => _credentials is not null;

    /// <summary>Bybit documents no per-connection message rate; a steady 10 a second keeps bursts of subscriptions polite.</summary>
    public SendWindow SendWindow { get; } = new(10, TimeSpan.FromSeconds(1));

    public FeedReadiness Readiness => FeedReadiness.OnOpen;

    public Task<FeedEndpoint> ResolveEndpointAsync(IRestExecutor rest, CancellationToken cancellationToken)
    {
        var uri = new Uri(_streamBase, IsPrivate ? "/v5/private" : "/v5/public/" + Category);
        return Task.FromResult(new FeedEndpoint(uri, Guid.NewGuid().ToString("N"), BybitVenue.PingInterval, TimeSpan.FromSeconds(10)));
    }

    /// <summary><c>{"req_id":…,"op":"auth","args":[key, expires, signature]}</c> on the private stream; none on a public one.</summary>
    public OutboundFrame? LoginFrame(string id, DateTimeOffset now)
    {
        if (_credentials is null)
        {
            return null;
        }

        var expires = (now + LoginValidity).ToUnixTimeMilliseconds();
        return new OutboundFrame(id, BybitSigner.AuthFrame(_credentials, expires, id), [])
        {
            Secrets = [_credentials.ApiKey, BybitSigner.AuthSignature(_credentials, expires)],
        };
    }

    /// <summary><c>{"req_id":"7","op":"subscribe","args":["orderbook.50.BTCUSDT",…]}</c>, batched within the venue's limits.</summary>
    public IReadOnlyList<OutboundFrame> SubscriptionFrames(IReadOnlyCollection<Subscription> subscriptions, bool subscribe, Func<string> nextId)
    {
        var topics = new List<(string Topic, List<Subscription> For)>();
        foreach (var subscription in subscriptions)
        {
            foreach (var topic in BybitTopics.Of(subscription, Market))
            {
                var known = topics.FindIndex(t => t.Topic == topic);
                if (known >= 0)
                {
                    topics[known].For.Add(subscription);
                }
                else
                {
                    topics.Add((topic, [subscription]));
                }
            }
        }

        var perRequest = Market == MarketKind.Spot ? BybitVenue.SpotArgsPerRequest : BybitVenue.LinearArgsPerRequest;
        var frames = new List<OutboundFrame>();
        var batch = new List<(string Topic, List<Subscription> For)>();
        var characters = 0;
        foreach (var topic in topics)
        {
            if (batch.Count == perRequest || characters + topic.Topic.Length + 3 > BybitVenue.MaxArgsCharacters)
            {
                frames.Add(Frame(batch, subscribe, nextId()));
                (batch, characters) = ([], 0);
            }

            batch.Add(topic);
            characters += topic.Topic.Length + 3;
        }

        if (batch.Count > 0)
        {
            frames.Add(Frame(batch, subscribe, nextId()));
        }

        return frames;
    }

    private static OutboundFrame Frame(List<(string Topic, List<Subscription> For)> batch, bool subscribe, string id) => new(id, JsonText.Object(json =>
    {
        json.WriteString("req_id", id);
        json.WriteString("op", subscribe ? "subscribe" : "unsubscribe");
        json.WriteStartArray("args");
        foreach (var (topic, _) in batch)
        {
            json.WriteStringValue(topic);
        }

        json.WriteEndArray();
    }), batch.SelectMany(b => b.For).Distinct().ToArray());

    /// <summary><c>{"req_id":"12","op":"ping"}</c>: "we recommend that you send the ping heartbeat packet every 20 seconds".</summary>
    public string PingFrame(string id) => $$"""{"req_id":"{{id}}","op":"ping"}""";

    /// <summary>Bybit's server does not ping.</summary>
    public string? AnswerFrame(in ControlEvent serverPing) => null;

    public IFrameParser CreateParser() => new BybitFrameParser(Market);
}
