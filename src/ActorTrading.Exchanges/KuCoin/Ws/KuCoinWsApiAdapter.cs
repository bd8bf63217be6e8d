using System.Globalization;
using System.Text;
using System.Text.Json;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Json;
using ActorTrading.Exchanges.KuCoin.Auth;

namespace ActorTrading.Exchanges.KuCoin.Ws;

/// <summary>
/// KuCoin's WebSocket trading API (docs-new 3470133w0 "Add/Cancel Order", protocols §1E): connect to
/// <c>wss://wsapi.kucoin.com/v1/private?apikey&amp;sign&amp;passphrase&amp;timestamp</c> with
/// <c>sign = base64(HMAC(secret, apikey + timestamp))</c>; the server sends a session challenge that the client answers
/// with <c>base64(HMAC(secret, challenge text as received))</c>, then <c>welcome</c>; requests are
/// <c>{"id","op","args"}</c> and each reply carries the request's id.
/// </summary>
public sealed class KuCoinWsApiAdapter(KuCoinCredentials credentials, Uri? endpoint = null, TimeProvider? clock = null) : IRequestReplyAdapter
{
    public static readonly Uri DefaultEndpoint = new("wss://wsapi.kucoin.com/v1/private");

    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public VenueId Venue => KuCoinVenue.Id;

    public MarketKind Market => MarketKind.Futures;

    public bool IsPrivate => true;

    public SendWindow SendWindow { get; } = new(KuCoinVenue.WsSendLimit, KuCoinVenue.WsSendWindow);

    /// <summary>The session challenge is answered first; the welcome that follows opens the session.</summary>
    public FeedReadiness Readiness => FeedReadiness.Welcome;

    /// <summary>Builds the signed connect URL; no REST call is needed, but the timestamp must be fresh on every connect.</summary>
    public Task<FeedEndpoint> ResolveEndpointAsync(IRestExecutor rest, CancellationToken cancellationToken)
    {
        var timestamp = _clock.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var sign = KuCoinSigner.Sign(credentials.Secret, credentials.ApiKey + timestamp);
        var passphrase = KuCoinSigner.SignPassphrase(credentials);
        var baseUri = endpoint ?? DefaultEndpoint;
        var uri = new Uri($"{baseUri}?apikey={Uri.EscapeDataString(credentials.ApiKey)}&sign={Uri.EscapeDataString(sign)}&passphrase={Uri.EscapeDataString(passphrase)}&timestamp={timestamp}");
        return Task.FromResult(new FeedEndpoint(uri, timestamp, TimeSpan.FromSeconds(18), TimeSpan.FromSeconds(10)));
    }

    /// <summary>The trading API has no subscriptions.</summary>
    public IReadOnlyList<OutboundFrame> SubscriptionFrames(IReadOnlyCollection<Subscription> subscriptions, bool subscribe, Func<string> nextId) =>
        subscriptions.Count == 0 ? [] : throw new ExchangeException(new ConfigurationError("the KuCoin trading WebSocket has no subscriptions"));

    public string PingFrame(string id) =>
        $$"""{"id":"{{id}}","op":"ping","timestamp":{{_clock.GetUtcNow().ToUnixTimeMilliseconds()}}}""";

    /// <summary>The session challenge is answered with its HMAC, over the exact text the server sent.</summary>
    public string? AnswerFrame(in ControlEvent serverPing) =>
        serverPing.Kind == ControlKind.Challenge && serverPing.Detail is { } challenge ? KuCoinSigner.Sign(credentials.Secret, challenge) : null;

    /// <summary>A request frame: <c>{"id":…,"op":…,"args":…}</c> with <paramref name="argsJson"/> written as is.</summary>
    public string RequestFrame(string id, string operation, string argsJson) => $$"""{"id":"{{id}}","op":"{{operation}}","args":{{argsJson}}}""";

    public ReplyOutcome ParseReply(string raw)
    {
        try
        {
            var reply = ParseReplyText(raw);
            return new ReplyOutcome(reply.Id, reply.IsSuccess, reply.Code, reply.Message, reply.Data);
        }
        catch (Exception e) when (e is JsonException or FrameFormatException)
        {
            throw new ExchangeException(ProtocolError.From("trading API reply: " + e.Message, Encoding.UTF8.GetBytes(raw)));
        }
    }

    /// <summary>400001–400007 and 411100 refuse the key, signature, passphrase or IP; 429000 is the pace.</summary>
    public ExchangeError ErrorOf(ReplyOutcome refusal) => refusal.VenueCode switch
    {
        "400001" or "400002" or "400003" or "400004" or "400005" or "400006" or "400007" or "411100" =>
            new AuthenticationError(refusal.Message ?? "trading socket refused the credentials", refusal.VenueCode),
        "429000" => new RateLimitedError($"{refusal.VenueCode} {refusal.Message}", TimeSpan.FromSeconds(1)),
        _ => new ApiError(refusal.VenueCode ?? "unknown", refusal.Message ?? string.Empty, 0),
    };

    public IFrameParser CreateParser() => new Parser();

    /// <summary>A reply to a request: success data, or the venue's code and message.</summary>
    public sealed record Reply(string? Id, string? Op, string Code, string? Message, JsonElement Data)
    {
        public bool IsSuccess => Code == KuCoinVenue.SuccessCode;
    }

    public static Reply ParseReplyText(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        return new Reply(
            root.Field("id").GetNullableString(),
            root.Field("op").GetNullableString(),
            root.Field("code").GetNullableString() ?? throw new FrameFormatException("reply has no code"),
            root.Field("msg").GetNullableString(),
            root.Field("data").ValueKind == JsonValueKind.Undefined ? default : root.GetProperty("data").Clone());
    }

    private sealed class Parser : IFrameParser
    {
        public void Parse(ReadOnlySpan<byte> frame, long receivedTs, IFrameSink sink)
        {
            try
            {
                var reader = new Utf8JsonReader(frame);
                JsonReading.Next(ref reader);
                JsonReading.Expect(ref reader, JsonTokenType.StartObject, "frame");
                string? id = null, op = null, sessionId = null, data = null;
                long pingInterval = 18_000, pingTimeout = 10_000;
                var hasCode = false;
                while (true)
                {
                    JsonReading.Next(ref reader);
                    if (reader.TokenType == JsonTokenType.EndObject)
                    {
                        break;
                    }

                    if (reader.ValueTextEquals("id"u8)) { JsonReading.Next(ref reader); id = JsonReading.ReadString(ref reader, "id"); }
                    else if (reader.ValueTextEquals("op"u8)) { JsonReading.Next(ref reader); op = JsonReading.ReadString(ref reader, "op"); }
                    else if (reader.ValueTextEquals("sessionId"u8)) { JsonReading.Next(ref reader); sessionId = JsonReading.ReadString(ref reader, "sessionId"); }
                    else if (reader.ValueTextEquals("code"u8)) { JsonReading.Next(ref reader); hasCode = true; }
                    else if (reader.ValueTextEquals("pingInterval"u8)) { JsonReading.Next(ref reader); pingInterval = JsonReading.ReadInt64(ref reader, "pingInterval"); }
                    else if (reader.ValueTextEquals("pingTimeout"u8)) { JsonReading.Next(ref reader); pingTimeout = JsonReading.ReadInt64(ref reader, "pingTimeout"); }
                    else if (reader.ValueTextEquals("data"u8))
                    {
                        JsonReading.Next(ref reader);
                        if (reader.TokenType == JsonTokenType.String)
                        {
                            data = reader.GetString();
                        }
                        else
                        {
                            reader.Skip();
                        }
                    }
                    else
                    {
                        JsonReading.Next(ref reader);
                        reader.Skip();
                    }

                    if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                    {
                        reader.Skip();
                    }
                }

                if (op == "pong")
                {
                    sink.OnControl(new ControlEvent(ControlKind.Pong, id));
                }
                else if (hasCode)
                {
                    sink.OnControl(new ControlEvent(ControlKind.Reply, id, Encoding.UTF8.GetString(frame)));
                }
                else if (sessionId is not null && data == "welcome")
                {
                    // The session's keep-alive is ours to run from these: nonsense would spin the pinger or never ping.
                    if (pingInterval is < 100 or > 600_000 || pingTimeout is < 100 or > 600_000)
                    {
                        throw new FrameFormatException($"welcome pingInterval {pingInterval} ms / pingTimeout {pingTimeout} ms out of range (0.1 s to 10 min)");
                    }

                    sink.OnControl(new ControlEvent(ControlKind.Welcome, sessionId, $"{pingInterval},{pingTimeout}"));
                }
                else if (sessionId is not null)
                {
                    sink.OnControl(new ControlEvent(ControlKind.Challenge, sessionId, Encoding.UTF8.GetString(frame)));
                }
                else
                {
                    throw new FrameFormatException("unknown trading API frame");
                }
            }
            catch (Exception e) when (e is FrameFormatException or JsonException or InvalidOperationException)
            {
                sink.OnError(ProtocolError.From(e.Message, frame));
            }
        }
    }
}
