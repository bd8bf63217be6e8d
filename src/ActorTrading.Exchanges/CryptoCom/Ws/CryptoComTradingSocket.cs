using System.Globalization;
using System.Text;
using System.Text.Json;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Exchanges.CryptoCom.Auth;
using ActorTrading.Exchanges.CryptoCom.Rest;

namespace ActorTrading.Exchanges.CryptoCom.Ws;

/// <summary>
/// Crypto.com's order entry over the user socket (<c>Orders.Route ws</c>): the same <c>/exchange/v1/user</c> connection
/// as the account's stream, logged in once by <c>public/auth</c>; then each request is the REST method with its params
/// unsigned (<c>{"id":7,"method":"private/create-order","params":{…},"nonce":…}</c>) and the reply echoes the id:
/// <c>{"id":7,"method":"private/create-order","code":0,"result":{"client_oid","order_id"}}</c>, or the refusal's code
/// and message. The server's heartbeats are answered; the client sends no pings.
/// </summary>
public sealed class CryptoComTradingSocket(MarketKind market, CryptoComCredentials credentials, Uri? streamBase = null) : IRequestReplyAdapter
{
    private readonly CryptoComFeedAdapter _socket = new(market, streamBase, credentials);

    public VenueId Venue => CryptoComVenue.Id;

    public MarketKind Market => _socket.Market;

    public bool IsPrivate => true;

    public SendWindow SendWindow => _socket.SendWindow;

    public FeedReadiness Readiness => FeedReadiness.OnOpen;

    public TimeSpan ReadyDelay => _socket.ReadyDelay;

    public Task<FeedEndpoint> ResolveEndpointAsync(IRestExecutor rest, CancellationToken cancellationToken) => _socket.ResolveEndpointAsync(rest, cancellationToken);

    /// <summary><c>public/auth</c>, its id the number in the client's login id (<c>login-3</c> → 3): the venue's ids are integers.</summary>
    public OutboundFrame? LoginFrame(string id, DateTimeOffset now) => _socket.LoginFrame(id[(id.LastIndexOf('-') + 1)..], now);

    /// <summary>The socket takes no subscriptions: its orders' states come by the user stream's <c>user.order</c>.</summary>
    public IReadOnlyList<OutboundFrame> SubscriptionFrames(IReadOnlyCollection<Subscription> subscriptions, bool subscribe, Func<string> nextId) => [];

    public string PingFrame(string id) => _socket.PingFrame(id);

    public string? AnswerFrame(in ControlEvent serverPing) => _socket.AnswerFrame(serverPing);

    public IFrameParser CreateParser() => _socket.CreateParser();

    /// <summary><c>{"id":7,"method":"private/create-order","params":{…},"nonce":…}</c>: the session is authenticated, so no signature.</summary>
    public string RequestFrame(string id, string operation, string argsJson)
    {
        using var args = JsonDocument.Parse(argsJson);
        return JsonText.Object(json =>
        {
            json.WriteNumber("id", long.Parse(id, NumberStyles.None, CultureInfo.InvariantCulture));
            json.WriteString("method", operation);
            json.WritePropertyName("params");
            args.RootElement.WriteTo(json);
            json.WriteNumber("nonce", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        });
    }

    /// <summary><c>{"id","method","code","result"|"message"}</c>: id and code as numbers or strings, code 0 the success.</summary>
    public ReplyOutcome ParseReply(string raw)
    {
        try
        {
            using var document = JsonDocument.Parse(raw);
            var root = document.RootElement;
            var id = root.TryGetProperty("id", out var i) ? Text(i) : null;
            var code = root.TryGetProperty("code", out var c) ? Text(c) : null;
            if (code is null)
            {
                throw new ExchangeException(ProtocolError.From("order socket reply has no code", Encoding.UTF8.GetBytes(raw)));
            }

            var message = root.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            var success = code == "0";
            var data = success && root.TryGetProperty("result", out var result) ? result.Clone() : default;
            return new ReplyOutcome(id, success, success ? null : code, message, data);
        }
        catch (JsonException e)
        {
            throw new ExchangeException(ProtocolError.From("order socket reply is not JSON: " + e.Message, Encoding.UTF8.GetBytes(raw)));
        }
    }

    /// <summary>The same meanings as REST's: 40101/40103 end the session, 42901 waits, the rest is the venue's refusal.</summary>
    public ExchangeError ErrorOf(ReplyOutcome refusal) => CryptoComRestAdapter.ErrorOf(refusal.VenueCode ?? "unknown", refusal.Message ?? string.Empty, 0, null);

    private static string? Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.String => value.GetString(),
        _ => null,
    };
}
