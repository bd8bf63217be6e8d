using System.Collections.Concurrent;
using System.Globalization;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace ActorTrading.TestExchange;

/// <summary>
/// Crypto.com Exchange v1 on loopback: market data and user streams on a <see cref="FakeWebSocketServer"/>
/// (<c>/exchange/v1/market</c>, <c>/exchange/v1/user</c>), REST on WireMock.Net. It checks what the venue checks: a
/// <c>public/auth</c> signed over method, id, key and nonce (its own HMAC, written from the docs' procedure) before any
/// user subscription; every private REST call's <c>sig</c> over the sorted parameters. It sends heartbeats and closes a
/// connection whose answer (<c>public/respond-heartbeat</c> with the same id) does not come within the deadline, as the
/// venue does; a book subscription is followed by the snapshot <see cref="BookSnapshot"/> gives. A private method served
/// by <see cref="ServeSigned"/> is answered over REST and on a logged-in user socket alike (the user API).
/// </summary>
public sealed class FakeCryptoComVenue : IAsyncDisposable
{
    public const string ApiKey = "cdc-fake-key";

    public const string Secret = "cdc-fake-secret";

    private readonly ConcurrentQueue<(int Connection, string Method, string[] Channels, DateTimeOffset At)> _requests = new();
    private readonly ConcurrentQueue<DateTimeOffset> _opened = new();
    private readonly ConcurrentDictionary<long, bool> _answered = new();
    private readonly ConcurrentDictionary<int, bool> _authenticated = new();
    private readonly ConcurrentQueue<(string Method, string Params)> _signed = new();
    private readonly ConcurrentQueue<(string Method, string Params)> _socketCalls = new();
    private readonly ConcurrentDictionary<string, Func<JsonElement, string>> _private = new(StringComparer.Ordinal);

    private FakeCryptoComVenue(FakeWebSocketServer ws)
    {
        Ws = ws;
        Rest = WireMockServer.Start(new WireMockServerSettings { Urls = ["http://127.0.0.1:0"] });
        ws.SendWelcome = false;
        ws.AckSubscriptions = false;
        ws.AnswerPings = false;
        ws.OnConnected = _ =>
        {
            _opened.Enqueue(DateTimeOffset.UtcNow);
            return [];
        };
        ws.OnClientMessage = Answer;
        Rest.Given(Request.Create().WithPath("/exchange/v1/public/get-instruments").UsingGet()).RespondWith(Response.Create().WithCallback(_ => WireMockAnswers.Json(200, """
            {"id":1,"method":"public/get-instruments","code":0,"result":{"data":[
            {"symbol":"BTC_USDT","inst_type":"CCY_PAIR","display_name":"BTC/USDT","base_ccy":"BTC","quote_ccy":"USDT","quote_decimals":"2","quantity_decimals":"5","price_tick_size":"0.01","qty_tick_size":"0.00001","max_leverage":"1","tradable":true},
            {"symbol":"BTCUSD-PERP","inst_type":"PERPETUAL_SWAP","display_name":"BTCUSD Perpetual","base_ccy":"BTC","quote_ccy":"USD","quote_decimals":"1","quantity_decimals":"4","price_tick_size":"0.1","qty_tick_size":"0.0001","max_leverage":"100","tradable":true}]}}
            """)));
        Rest.Given(Request.Create().WithPath("/exchange/v1/public/get-tickers").UsingGet()).RespondWith(Response.Create().WithCallback(_ => WireMockAnswers.Json(200,
            $$$"""{"id":1,"method":"public/get-tickers","code":0,"result":{"data":[{"i":"BTC_USDT","b":"60000","bs":"1","k":"60001","ks":"2","a":"60000.5","t":{{{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}}}}]}}""")));
    }

    public FakeWebSocketServer Ws { get; }

    public WireMockServer Rest { get; }

    public Uri RestUri => new(Rest.Url!);

    /// <summary>The stream host as the adapters take it (scheme, host, port).</summary>
    public Uri StreamBase => new(Ws.Uri.GetLeftPart(UriPartial.Authority));

    /// <summary>The snapshot frame sent after a book channel is subscribed (null: none).</summary>
    public Func<string, string?>? BookSnapshot { get; set; }

    /// <summary>Heartbeat answers are lost on the way (the connection is then closed at the deadline).</summary>
    public volatile bool LoseHeartbeatAnswers;

    /// <summary>Whether <c>public/auth</c> is accepted (a key the venue revoked: refused).</summary>
    public volatile bool AcceptLogins = true;

    /// <summary>Every request, in order: the connection, the method, its channels and when it came.</summary>
    public IReadOnlyList<(int Connection, string Method, string[] Channels, DateTimeOffset At)> Requests => _requests.ToArray();

    /// <summary>When each connection opened, in order.</summary>
    public IReadOnlyList<DateTimeOffset> Opened => _opened.ToArray();

    /// <summary>Heartbeat ids answered with the same id.</summary>
    public IReadOnlyCollection<long> AnsweredHeartbeats => _answered.Keys.ToArray();

    public static async Task<FakeCryptoComVenue> StartAsync() => new(await FakeWebSocketServer.StartAsync().ConfigureAwait(false));

    /// <summary>The docs' signature: hex(HMAC-SHA256(secret, method + id + api_key + sorted key/values + nonce)), lists and objects flattened.</summary>
    public static string Sign(string method, long id, JsonElement? parameters, long nonce)
    {
        var text = new StringBuilder(method).Append(id.ToString(CultureInfo.InvariantCulture)).Append(ApiKey);
        if (parameters is { ValueKind: JsonValueKind.Object } p)
        {
            Flatten(text, p);
        }

        text.Append(nonce.ToString(CultureInfo.InvariantCulture));
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>Sends a heartbeat to every connection on <paramref name="path"/>; a connection that does not answer it within <paramref name="deadline"/> is closed.</summary>
    public async Task HeartbeatAsync(string path, long id, TimeSpan deadline)
    {
        await Ws.SendToPathAsync(path, $$"""{"id":{{id}},"method":"public/heartbeat","code":0}""").ConfigureAwait(false);
        _ = Task.Run(async () =>
        {
            await Task.Delay(deadline).ConfigureAwait(false);
            if (!_answered.ContainsKey(id))
            {
                // "Normal disconnection by server, usually when the heartbeat isn't handled properly."
                await Ws.CloseAllAsync(WebSocketCloseStatus.NormalClosure, "heartbeat not answered").ConfigureAwait(false);
            }
        });
    }

    /// <summary>Private REST calls whose key and signature held: the method and the parameters as received.</summary>
    public IReadOnlyList<(string Method, string Params)> Signed => _signed.ToArray();

    /// <summary>Private methods called on a logged-in user socket: the method and the params as received.</summary>
    public IReadOnlyList<(string Method, string Params)> SocketCalls => _socketCalls.ToArray();

    /// <summary>
    /// Answers a private method: the callback runs only for a body whose key and signature hold (else 40101), or on a
    /// user socket that logged in, with its parameters, and gives the result's JSON (or a whole refusal
    /// <c>{"code":…,"message":…}</c>).
    /// </summary>
    public FakeCryptoComVenue ServeSigned(string method, Func<JsonElement, string> answer)
    {
        _private[method] = answer;
        Rest.Given(Request.Create().WithPath("/exchange/v1/" + method).UsingPost()).RespondWith(Response.Create().WithCallback(request =>
        {
            using var body = JsonDocument.Parse(request.Body ?? "{}");
            var root = body.RootElement;
            var id = root.GetProperty("id").GetInt64();
            var parameters = root.TryGetProperty("params", out var p) ? p : default;
            var valid = root.GetProperty("api_key").GetString() == ApiKey
                && root.GetProperty("sig").GetString() == Sign(method, id, parameters.ValueKind == JsonValueKind.Object ? parameters : null, root.GetProperty("nonce").GetInt64());
            if (!valid)
            {
                return WireMockAnswers.Json(401, $$"""{"id":{{id}},"method":"{{method}}","code":40101,"message":"UNAUTHORIZED"}""");
            }

            _signed.Enqueue((method, parameters.GetRawText()));
            return WireMockAnswers.Json(200, Envelope(id, method, answer(parameters)));
        }));
        return this;
    }

    /// <summary>The callback's answer in the venue's envelope: a result, or a refusal with the request's id and method.</summary>
    private static string Envelope(long id, string method, string answer) => answer.StartsWith("""{"code":""", StringComparison.Ordinal)
        ? $$"""{"id":{{id}},"method":"{{method}}",{{answer[1..]}}"""
        : $$"""{"id":{{id}},"method":"{{method}}","code":0,"result":{{answer}}}""";

    /// <summary>Sends a frame to the user sockets.</summary>
    public Task PushUserAsync(string frame) => Ws.SendToPathAsync("/exchange/v1/user", frame);

    /// <summary>Sends a frame to the market data sockets.</summary>
    public Task PushMarketAsync(string frame) => Ws.SendToPathAsync("/exchange/v1/market", frame);

    public async ValueTask DisposeAsync()
    {
        Rest.Stop();
        await Ws.DisposeAsync().ConfigureAwait(false);
    }

    private IEnumerable<string> Answer(ClientMessage message)
    {
        using var document = JsonDocument.Parse(message.Text);
        var root = document.RootElement;
        var method = root.GetProperty("method").GetString()!;
        var id = root.GetProperty("id").GetInt64();
        var channels = root.TryGetProperty("params", out var p) && p.TryGetProperty("channels", out var c) ? c.EnumerateArray().Select(x => x.GetString()!).ToArray() : [];
        _requests.Enqueue((message.ConnectionId, method, channels, message.ReceivedAt));
        var isUser = Ws.PathOf(message.ConnectionId) == "/exchange/v1/user";
        switch (method)
        {
            case "public/respond-heartbeat":
                if (!LoseHeartbeatAnswers)
                {
                    _answered[id] = true;
                }

                return [];
            case "public/auth":
                var nonce = root.GetProperty("nonce").GetInt64();
                var valid = AcceptLogins && root.GetProperty("api_key").GetString() == ApiKey && root.GetProperty("sig").GetString() == Sign(method, id, null, nonce);
                if (valid)
                {
                    _authenticated[message.ConnectionId] = true;
                }

                return [valid ? $$"""{"id":{{id}},"method":"public/auth","code":0}""" : $$"""{"id":{{id}},"method":"public/auth","code":40101,"message":"UNAUTHORIZED"}"""];
            case "subscribe" or "unsubscribe":
                if (isUser && !_authenticated.ContainsKey(message.ConnectionId))
                {
                    return [$$"""{"id":{{id}},"method":"{{method}}","code":40101,"message":"UNAUTHORIZED"}"""];
                }

                var ack = $$"""{"id":{{id}},"method":"{{method}}","code":0}""";
                var snapshots = method == "subscribe" && BookSnapshot is { } snapshot
                    ? channels.Where(ch => ch.StartsWith("book.", StringComparison.Ordinal)).Select(snapshot).OfType<string>()
                    : [];
                return [ack, .. snapshots];
            case var call when isUser && _private.TryGetValue(call, out var handle):
                if (!_authenticated.ContainsKey(message.ConnectionId))
                {
                    return [$$"""{"id":{{id}},"method":"{{method}}","code":40101,"message":"UNAUTHORIZED"}"""];
                }

                var parameters = root.TryGetProperty("params", out var given) ? given : JsonDocument.Parse("{}").RootElement;
                _socketCalls.Enqueue((method, parameters.GetRawText()));
                return [Envelope(id, method, handle(parameters))];
            default:
                return [$$"""{"id":{{id}},"method":"{{method}}","code":40002,"message":"METHOD_NOT_FOUND"}"""];
        }
    }

    private static void Flatten(StringBuilder text, JsonElement obj)
    {
        foreach (var property in obj.EnumerateObject().OrderBy(x => x.Name, StringComparer.Ordinal))
        {
            text.Append(property.Name);
            Value(text, property.Value);
        }
    }

    private static void Value(StringBuilder text, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Array:
                foreach (var item in value.EnumerateArray())
                {
                    Value(text, item);
                }

                break;
            case JsonValueKind.Object:
                Flatten(text, value);
                break;
            case JsonValueKind.Null:
                text.Append("null");
                break;
            case JsonValueKind.String:
                text.Append(value.GetString());
                break;
            default:
                text.Append(value.GetRawText());
                break;
        }
    }
}
