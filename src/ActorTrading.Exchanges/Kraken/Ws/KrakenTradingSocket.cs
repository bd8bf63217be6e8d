using System.Globalization;
using System.Text;
using System.Text.Json;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;

namespace ActorTrading.Exchanges.Kraken.Ws;

/// <summary>
/// Kraken's order entry over WebSocket v2 (<c>Orders.Route ws</c>): requests <c>add_order</c>, <c>cancel_order</c> and
/// <c>amend_order</c> on the account's socket (<c>wss://ws-auth.kraken.com/v2</c>), each carrying the connection's token
/// (fetched by <c>GetWebSocketsToken</c> on every connect) and an integer <c>req_id</c> the reply echoes:
/// <c>{"method":"add_order","req_id":7,"result":{"order_id":"…","cl_ord_id":"…"},"success":true}</c>, or
/// <c>"success":false</c> with the venue's <c>error</c> text.
/// </summary>
public sealed class KrakenTradingSocket(Uri? streamOverride = null) : IRequestReplyAdapter
{
    private readonly KrakenFeedAdapter _socket = new(streamOverride, isPrivate: true);

    public VenueId Venue => KrakenVenue.Id;

    public MarketKind Market => MarketKind.Spot;

    public bool IsPrivate => true;

    public SendWindow SendWindow => _socket.SendWindow;

    public FeedReadiness Readiness => FeedReadiness.OnOpen;

    public Task<FeedEndpoint> ResolveEndpointAsync(IRestExecutor rest, CancellationToken cancellationToken) => _socket.ResolveEndpointAsync(rest, cancellationToken);

    /// <summary>The socket takes no subscriptions: its orders' states come by the private stream's <c>executions</c>.</summary>
    public IReadOnlyList<OutboundFrame> SubscriptionFrames(IReadOnlyCollection<Subscription> subscriptions, bool subscribe, Func<string> nextId) => [];

    public string PingFrame(string id) => _socket.PingFrame(id);

    public string? AnswerFrame(in ControlEvent serverPing) => null;

    public IFrameParser CreateParser() => _socket.CreateParser();

    /// <summary><c>{"method":"add_order","params":{…args, "token":"…"},"req_id":7}</c>.</summary>
    public string RequestFrame(string id, string operation, string argsJson)
    {
        var token = _socket.Token ?? throw new ExchangeException(new AuthenticationError("the Kraken order socket has no token: it was not connected"));
        using var args = JsonDocument.Parse(argsJson);
        return JsonText.Object(json =>
        {
            json.WriteString("method", operation);
            json.WriteStartObject("params");
            foreach (var property in args.RootElement.EnumerateObject())
            {
                property.WriteTo(json);
            }

            json.WriteString("token", token);
            json.WriteEndObject();
            json.WriteNumber("req_id", long.Parse(id, NumberStyles.None, CultureInfo.InvariantCulture));
        });
    }

    public ReplyOutcome ParseReply(string raw)
    {
        try
        {
            using var document = JsonDocument.Parse(raw);
            var root = document.RootElement;
            var id = root.TryGetProperty("req_id", out var r) && r.ValueKind == JsonValueKind.Number ? r.GetInt64().ToString(CultureInfo.InvariantCulture) : null;
            var success = root.TryGetProperty("success", out var s) && s.ValueKind == JsonValueKind.True;
            var error = root.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
            var data = root.TryGetProperty("result", out var result) ? result.Clone() : default;
            return new ReplyOutcome(id, success, success ? null : Code(error ?? "refused"), error, data);
        }
        catch (JsonException e)
        {
            throw new ExchangeException(ProtocolError.From("order socket reply is not JSON: " + e.Message, Encoding.UTF8.GetBytes(raw)));
        }
    }

    /// <summary>The same meanings as REST's: a refused key or token ends the session, a refused pace waits, the rest is the venue's refusal.</summary>
    public ExchangeError ErrorOf(ReplyOutcome refusal)
    {
        var text = refusal.Message ?? refusal.VenueCode ?? "refused";
        if (KrakenFrameParser.IsTokenError(text))
        {
            return new AuthenticationError(text, refusal.VenueCode);
        }

        return new Rest.KrakenRestAdapter(KrakenVenue.RestBase).ErrorOf(text, 0, null) switch
        {
            ApiError api => api with { HttpStatus = 0 },
            var typed => typed,
        };
    }

    private static string Code(string error)
    {
        var first = error.IndexOf(':');
        var second = first < 0 ? -1 : error.IndexOf(':', first + 1);
        return second < 0 ? error : error[..second];
    }
}
