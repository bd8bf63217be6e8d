using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace ActorTrading.TestExchange;

/// <summary>
/// Bybit v5 on loopback: the public and private streams on a <see cref="FakeWebSocketServer"/> (routed by path like
/// the venue: <c>/v5/public/{spot|linear}</c>, <c>/v5/private</c>), REST on WireMock.Net. It checks what the venue
/// checks: the <c>auth</c> frame's key, expiry and signature before any private subscription, and each signed request's
/// <c>X-BAPI-*</c> headers with the HMAC over the query or the body exactly as received, answering Bybit's own codes
/// (10003, 10004) when they are wrong. Subscriptions are answered as the docs show them (the private stream's without
/// the request id); a book topic's subscription is followed by the snapshot <see cref="BookSnapshot"/> gives.
/// </summary>
public sealed class FakeBybitVenue : IAsyncDisposable
{
    public const string ApiKey = "XXXXXXXXXX-fake-key";

    public const string Secret = "XXXXXXXXXX-fake-secret";

    private readonly ConcurrentDictionary<int, bool> _authenticated = new();
    private readonly ConcurrentQueue<(int Connection, string Op, string[] Topics)> _requests = new();
    private readonly ConcurrentQueue<string> _signedPayloads = new();

    private FakeBybitVenue(FakeWebSocketServer ws)
    {
        Ws = ws;
        Rest = WireMockServer.Start(new WireMockServerSettings { Urls = ["http://127.0.0.1:0"] });
        ws.SendWelcome = false;
        ws.AckSubscriptions = false;
        ws.AnswerPings = false;
        ws.OnClientMessage = Answer;
        Rest.Given(Request.Create().WithPath("/v5/market/time").UsingGet()).AtPriority(100).RespondWith(Response.Create().WithCallback(_ =>
        {
            var now = DateTimeOffset.UtcNow;
            return Json(200, Envelope($$"""{"timeSecond":"{{now.ToUnixTimeSeconds()}}","timeNano":"{{now.ToUnixTimeMilliseconds() * 1_000_000}}"}"""));
        }));
        foreach (var category in new[] { "spot", "linear" })
        {
            Rest.Given(Request.Create().WithPath("/v5/market/instruments-info").WithParam("category", category).UsingGet()).AtPriority(100)
                .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody(Envelope(Instruments(category, "BTCUSDT", "ETHUSDT"))));
        }
    }

    public FakeWebSocketServer Ws { get; }

    public WireMockServer Rest { get; }

    public Uri RestUri => new(Rest.Url!);

    /// <summary>The stream host as the adapters take it (scheme, host, port).</summary>
    public Uri StreamBase => new(Ws.Uri.GetLeftPart(UriPartial.Authority));

    /// <summary>The snapshot frame sent after a book topic is subscribed (null: none).</summary>
    public Func<string, string?>? BookSnapshot { get; set; }

    /// <summary>Whether <c>auth</c> frames are accepted (a key the venue revoked: refused).</summary>
    public volatile bool AcceptLogins = true;

    /// <summary>Every subscribe and unsubscribe, in order: the connection, the op and its topics.</summary>
    public IReadOnlyList<(int Connection, string Op, string[] Topics)> Requests => _requests.ToArray();

    /// <summary>What signed requests signed (query or body), for those whose signature held.</summary>
    public IReadOnlyList<string> SignedPayloads => _signedPayloads.ToArray();

    public static async Task<FakeBybitVenue> StartAsync() => new(await FakeWebSocketServer.StartAsync().ConfigureAwait(false));

    public static string Sign(string payload) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes(payload)));

    /// <summary>The envelope around a result.</summary>
    public static string Envelope(string result, int code = 0, string message = "OK") =>
        $$"""{"retCode":{{code}},"retMsg":"{{message}}","result":{{result}},"retExtInfo":{},"time":{{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}}}""";

    /// <summary>An instruments-info result for these symbols: tick 0.1, quantity step 0.001 from 0.001, notional at least 5.</summary>
    public static string Instruments(string category, params string[] symbols) =>
        $$"""{"category":"{{category}}","list":[{{string.Join(",", symbols.Select(s => category == "spot"
            ? $$$"""{"symbol":"{{{s}}}","baseCoin":"{{{s[..^4]}}}","quoteCoin":"USDT","status":"Trading","lotSizeFilter":{"basePrecision":"0.001","quotePrecision":"0.01","minOrderQty":"0.001","maxOrderQty":"100","minOrderAmt":"5","maxOrderAmt":"1000000"},"priceFilter":{"tickSize":"0.1"}}"""
            : $$$"""{"symbol":"{{{s}}}","contractType":"LinearPerpetual","status":"Trading","baseCoin":"{{{s[..^4]}}}","quoteCoin":"USDT","settleCoin":"USDT","leverageFilter":{"minLeverage":"1","maxLeverage":"100.00","leverageStep":"0.01"},"priceFilter":{"minPrice":"0.10","maxPrice":"1999999.80","tickSize":"0.10"},"lotSizeFilter":{"maxOrderQty":"1190.000","minOrderQty":"0.001","qtyStep":"0.001","minNotionalValue":"5"}}"""))}}],"nextPageCursor":""}""";

    /// <summary>Answers a signed endpoint: the callback runs only for requests whose key and signature hold, with the query's or the JSON body's parameters.</summary>
    public FakeBybitVenue ServeSigned(string path, string method, Func<IReadOnlyDictionary<string, string>, string> answer)
    {
        Rest.Given(Request.Create().WithPath(path).UsingMethod(method)).RespondWith(Response.Create().WithCallback(request =>
        {
            var payload = method == "GET" ? (request.RawQuery ?? string.Empty).TrimStart('?') : request.Body ?? string.Empty;
            var header = (string name) => request.Headers is { } h && h.TryGetValue(name, out var values) ? values.FirstOrDefault() : null;
            if (header("X-BAPI-API-KEY") != ApiKey)
            {
                return Json(401, Envelope("{}", 10003, "API key is invalid."));
            }

            if (header("X-BAPI-SIGN") != Sign(header("X-BAPI-TIMESTAMP") + ApiKey + header("X-BAPI-RECV-WINDOW") + payload))
            {
                return Json(200, Envelope("{}", 10004, "error sign! origin_string[" + payload + "]"));
            }

            _signedPayloads.Enqueue(payload);
            return Json(200, answer(method == "GET" ? QueryParameters(payload) : BodyParameters(payload)));
        }));
        return this;
    }

    /// <summary>Sends a frame to the private stream's sockets.</summary>
    public Task PushPrivateAsync(string frame) => Ws.SendToPathAsync("/v5/private", frame);

    public async ValueTask DisposeAsync()
    {
        Rest.Stop();
        await Ws.DisposeAsync().ConfigureAwait(false);
    }

    private IEnumerable<string> Answer(ClientMessage message)
    {
        using var document = JsonDocument.Parse(message.Text);
        var root = document.RootElement;
        var op = root.TryGetProperty("op", out var o) ? o.GetString() : null;
        var id = root.TryGetProperty("req_id", out var r) ? r.GetString() : "";
        var args = root.TryGetProperty("args", out var a) ? a : default;
        var isPrivate = Ws.PathOf(message.ConnectionId) == "/v5/private";
        switch (op)
        {
            case "ping":
                return [isPrivate
                    ? $$"""{"req_id":"{{id}}","op":"pong","args":["{{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}}"],"conn_id":"c{{message.ConnectionId}}"}"""
                    : $$"""{"success":true,"ret_msg":"pong","conn_id":"c{{message.ConnectionId}}","req_id":"{{id}}","op":"ping"}"""];
            case "auth":
                var key = args[0].GetString();
                var expires = args[1].GetInt64();
                var valid = AcceptLogins && key == ApiKey && expires > DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()
                    && args[2].GetString() == Sign("GET/realtime" + expires.ToString(CultureInfo.InvariantCulture));
                if (valid)
                {
                    _authenticated[message.ConnectionId] = true;
                    return [$$"""{"success":true,"ret_msg":"","op":"auth","conn_id":"c{{message.ConnectionId}}"}"""];
                }

                return [$$"""{"success":false,"ret_msg":"Params Error","op":"auth","conn_id":"c{{message.ConnectionId}}","req_id":"{{id}}"}"""];
            case "subscribe" or "unsubscribe":
                var topics = args.EnumerateArray().Select(a => a.GetString()!).ToArray();
                _requests.Enqueue((message.ConnectionId, op, topics));
                if (isPrivate && !_authenticated.ContainsKey(message.ConnectionId))
                {
                    return [$$"""{"success":false,"ret_msg":"Request not authorized","conn_id":"c{{message.ConnectionId}}","req_id":"{{id}}","op":"{{op}}"}"""];
                }

                // The private stream's answer carries no request id, as the docs show it.
                var ack = isPrivate
                    ? $$"""{"success":true,"ret_msg":"","op":"{{op}}","conn_id":"c{{message.ConnectionId}}"}"""
                    : $$"""{"success":true,"ret_msg":"","conn_id":"c{{message.ConnectionId}}","req_id":"{{id}}","op":"{{op}}"}""";
                var snapshots = op == "subscribe" && BookSnapshot is { } snapshot
                    ? topics.Where(t => t.StartsWith("orderbook.", StringComparison.Ordinal)).Select(snapshot).OfType<string>()
                    : [];
                return [ack, .. snapshots];
            default:
                return [$$"""{"success":false,"ret_msg":"error:handler not found","conn_id":"c{{message.ConnectionId}}","req_id":"{{id}}","op":"{{op}}"}"""];
        }
    }

    private static IReadOnlyDictionary<string, string> QueryParameters(string query) =>
        query.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2))
            .ToDictionary(p => Uri.UnescapeDataString(p[0]), p => p.Length > 1 ? Uri.UnescapeDataString(p[1]) : string.Empty);

    private static IReadOnlyDictionary<string, string> BodyParameters(string body)
    {
        using var document = JsonDocument.Parse(body);
        return document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText());
    }

    private static ResponseMessage Json(int status, string body) => WireMockAnswers.Json(status, body);
}
