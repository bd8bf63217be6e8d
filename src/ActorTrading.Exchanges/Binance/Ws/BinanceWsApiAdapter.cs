using System.Globalization;
using System.Text;
using System.Text.Json;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Json;
using ActorTrading.Exchanges.Binance.Auth;

namespace ActorTrading.Exchanges.Binance.Ws;

/// <summary>
/// Spot order entry over the WebSocket API (web-socket-api.md, <c>wss://ws-api.binance.com:443/ws-api/v3</c>): no
/// session to open with an HMAC key, so every request carries <c>apiKey</c>, <c>timestamp</c> (taken when it is sent)
/// and a <c>signature</c> over its parameters sorted by name. Requests are <c>{"id","method","params"}</c>; each reply
/// <c>{"id","status","result"|"error"}</c> names its request. The server pings every 20 s and the socket answers.
/// </summary>
public sealed class BinanceWsApiAdapter(BinanceCredentials credentials, Uri? endpoint = null, TimeProvider? clock = null) : IRequestReplyAdapter
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public VenueId Venue => BinanceVenue.Id;

    public MarketKind Market => MarketKind.Spot;

    public bool IsPrivate => true;

    public SendWindow SendWindow => BinanceVenue.SendWindow(MarketKind.Spot);

    /// <summary>Requests go as soon as the socket is open: there is no welcome.</summary>
    public FeedReadiness Readiness => FeedReadiness.OnOpen;

    public TimeSpan? ProtocolKeepAlive => TimeSpan.FromSeconds(30);

    public Task<FeedEndpoint> ResolveEndpointAsync(IRestExecutor rest, CancellationToken cancellationToken) =>
        Task.FromResult(new FeedEndpoint(endpoint ?? BinanceVenue.SpotWebSocketApi, Guid.NewGuid().ToString("N"), TimeSpan.Zero, TimeSpan.Zero));

    public IReadOnlyList<OutboundFrame> SubscriptionFrames(IReadOnlyCollection<Subscription> subscriptions, bool subscribe, Func<string> nextId) =>
        subscriptions.Count == 0 ? [] : throw new ExchangeException(new ConfigurationError("the Binance order socket has no subscriptions"));

    /// <summary>Never sent: the socket's protocol pings keep it alive.</summary>
    public string PingFrame(string id) => $$"""{"id":"{{id}}","method":"ping"}""";

    public string? AnswerFrame(in ControlEvent serverPing) => null;

    /// <summary>
    /// <paramref name="argsJson"/> holds the request's own parameters (an object of strings and integers); the key,
    /// the send time and the signature over all of them are added here, at the moment the request goes out.
    /// </summary>
    public string RequestFrame(string id, string operation, string argsJson) =>
        SignedRequest(id, operation, argsJson, _clock.GetUtcNow().ToUnixTimeMilliseconds());

    public string SignedRequest(string id, string method, string argsJson, long timestampMs)
    {
        var parameters = new List<KeyValuePair<string, string>>();
        using (var args = JsonDocument.Parse(argsJson))
        {
            foreach (var member in args.RootElement.EnumerateObject())
            {
                parameters.Add(KeyValuePair.Create(member.Name, member.Value.ValueKind == JsonValueKind.String ? member.Value.GetString()! : member.Value.GetRawText()));
            }
        }

        parameters.Add(KeyValuePair.Create("apiKey", credentials.ApiKey));
        parameters.Add(KeyValuePair.Create("timestamp", timestampMs.ToString(CultureInfo.InvariantCulture)));
        var signature = BinanceSigner.SignWebSocketParams(credentials, parameters);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("id", id);
            json.WriteString("method", method);
            json.WriteStartObject("params");
            WriteParameters(json, parameters);
            json.WriteString("signature", signature);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>The order's parameters as <see cref="RequestFrame"/> takes them: the REST request's query, integers as numbers.</summary>
    public static string Args(IReadOnlyList<KeyValuePair<string, string>> query)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            WriteParameters(json, query);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary><c>{"id","status":200,"result":{…}}</c>, or <c>{"id","status":4xx,"error":{"code","msg"}}</c>.</summary>
    public ReplyOutcome ParseReply(string raw)
    {
        try
        {
            using var doc = JsonDocument.Parse(raw);
            var root = doc.RootElement;
            var id = root.Field("id").GetNullableString();
            var status = root.Field("status") is { ValueKind: JsonValueKind.Number } s ? s.GetInt32() : throw new FrameFormatException("reply has no status");
            if (status == 200)
            {
                var result = root.Field("result");
                return new ReplyOutcome(id, true, null, null, result.ValueKind == JsonValueKind.Undefined ? default : result.Clone());
            }

            var error = root.Field("error");
            var code = error.Field("code") is { ValueKind: JsonValueKind.Number } c ? c.GetInt64().ToString(CultureInfo.InvariantCulture) : status.ToString(CultureInfo.InvariantCulture);
            return new ReplyOutcome(id, false, code, error.Field("msg").GetNullableString() ?? $"HTTP-like status {status}", default);
        }
        catch (Exception e) when (e is JsonException or FrameFormatException or InvalidOperationException)
        {
            throw new ExchangeException(ProtocolError.From("order socket reply: " + e.Message, Encoding.UTF8.GetBytes(raw)));
        }
    }

    /// <summary>A refused key or signature (-2014, -2015, -1022, -1002) ends the session's use; -1003 and -1015 are the pace.</summary>
    public ExchangeError ErrorOf(ReplyOutcome refusal) => refusal.VenueCode switch
    {
        { } code when BinanceNames.IsSessionRefusal(code) && code != "-1021" => new AuthenticationError($"{code} {refusal.Message}", code),
        "-1003" or "-1015" => new RateLimitedError($"{refusal.VenueCode} {refusal.Message}", TimeSpan.FromSeconds(10)),
        _ => new ApiError(refusal.VenueCode ?? "unknown", refusal.Message ?? string.Empty, 0),
    };

    public IFrameParser CreateParser() => new ReplyParser();

    /// <summary>Parameters the venue types as integers go as JSON numbers, the rest (decimals included) as strings.</summary>
    private static void WriteParameters(Utf8JsonWriter json, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        foreach (var (name, value) in parameters)
        {
            if (name is "orderId" or "timestamp" or "recvWindow" or "strategyId" or "strategyType")
            {
                json.WriteNumber(name, long.Parse(value, CultureInfo.InvariantCulture));
            }
            else
            {
                json.WriteString(name, value);
            }
        }
    }

    /// <summary>Every frame with an id is a reply (its raw text goes to the order client); anything else is news.</summary>
    private sealed class ReplyParser : IFrameParser
    {
        public void Parse(ReadOnlySpan<byte> frame, long receivedTs, IFrameSink sink)
        {
            var raw = Encoding.UTF8.GetString(frame);
            try
            {
                using var doc = JsonDocument.Parse(raw);
                if (doc.RootElement.ValueKind != JsonValueKind.Object)
                {
                    throw new FrameFormatException("frame is not an object");
                }

                sink.OnControl(doc.RootElement.Field("id").ValueKind == JsonValueKind.Undefined
                    ? new ControlEvent(ControlKind.Notice, null, raw)
                    : new ControlEvent(ControlKind.Reply, doc.RootElement.Field("id").GetNullableString(), raw));
            }
            catch (Exception e) when (e is JsonException or FrameFormatException)
            {
                sink.OnError(ProtocolError.From("order socket frame: " + e.Message, frame));
            }
        }
    }
}
