using System.Collections.Concurrent;
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
/// Binance on loopback: market streams, user-data sockets and the WebSocket API on a <see cref="FakeWebSocketServer"/>
/// (Kestrel, routed by path like the venue), REST on WireMock.Net. It checks what the venue checks: the API key on
/// keyed requests, and the HMAC signature over the query exactly as received (or the WebSocket API's sorted
/// parameters), answering Binance's own error codes when they are wrong.
/// </summary>
public sealed class FakeBinanceVenue : IAsyncDisposable
{
    /// <summary>The example key pair of Binance's docs.</summary>
    public const string ApiKey = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A";

    public const string Secret = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";

    private readonly ConcurrentQueue<string> _issuedKeys = new();
    private readonly ConcurrentQueue<string> _signedQueries = new();
    private readonly ConcurrentDictionary<string, Func<IReadOnlyDictionary<string, string>, (int Status, string Body)>> _webSocketApi = new(StringComparer.Ordinal);
    private string? _activeKey;
    private int _keys;
    private int _keepAlives;

    private FakeBinanceVenue(FakeWebSocketServer ws)
    {
        Ws = ws;
        Rest = WireMockServer.Start(new WireMockServerSettings { Urls = ["http://127.0.0.1:0"] });
        ws.SendWelcome = false;
        ws.AckSubscriptions = false;
        ws.OnClientMessage = Answer;
        Rest.Given(Request.Create().WithPath("/fapi/v1/listenKey").UsingPost()).RespondWith(Response.Create().WithCallback(CreateListenKey));
        Rest.Given(Request.Create().WithPath("/fapi/v1/listenKey").UsingPut()).RespondWith(Response.Create().WithCallback(KeepListenKey));
        ServeExchangeInfo(futures: false, FakeInstruments.BinanceSpotDefaults, priority: 100);
        ServeExchangeInfo(futures: true, FakeInstruments.BinanceFuturesDefaults, priority: 100);
    }

    public FakeWebSocketServer Ws { get; }

    public WireMockServer Rest { get; }

    public Uri RestUri => new(Rest.Url!);

    /// <summary>The stream host as the adapters take it (scheme, host, port).</summary>
    public Uri StreamBase => new(Ws.Uri.GetLeftPart(UriPartial.Authority));

    /// <summary>Listen keys handed out, in order.</summary>
    public IReadOnlyList<string> IssuedListenKeys => _issuedKeys.ToArray();

    public int ListenKeyKeepAlives => Volatile.Read(ref _keepAlives);

    /// <summary>Signed REST queries that passed the signature check, as received.</summary>
    public IReadOnlyList<string> SignedQueries => _signedQueries.ToArray();

    public static async Task<FakeBinanceVenue> StartAsync() => new(await FakeWebSocketServer.StartAsync().ConfigureAwait(false));

    /// <summary>The active listen key lapses: the venue says so on the user-data sockets, and the next POST makes a new one.</summary>
    public async Task ExpireListenKeyAsync()
    {
        var key = Interlocked.Exchange(ref _activeKey, null);
        await Ws.SendToPathAsync("/private/ws/", $$"""{"e":"listenKeyExpired","E":1700000000000,"listenKey":"{{key}}"}""").ConfigureAwait(false);
    }

    /// <summary>Serves the depth snapshot of a symbol (<c>/api/v3/depth</c> or <c>/fapi/v1/depth</c>) exactly as given.</summary>
    public FakeBinanceVenue ServeDepth(string path, string symbol, string body)
    {
        Rest.Given(Request.Create().WithPath(path).WithParam("symbol", symbol).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithHeader("X-MBX-USED-WEIGHT-1M", "50").WithBody(body));
        return this;
    }

    /// <summary>Serves <c>exchangeInfo</c> of a market with these symbols (the defaults answer otherwise).</summary>
    public FakeBinanceVenue ServeExchangeInfo(bool futures, IEnumerable<FakeInstruments.BinanceSymbol> symbols, int priority = 0)
    {
        Rest.Given(Request.Create().WithPath(futures ? "/fapi/v1/exchangeInfo" : "/api/v3/exchangeInfo").UsingGet()).AtPriority(priority)
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(FakeInstruments.Binance(futures, symbols)));
        return this;
    }

    /// <summary>Answers a signed endpoint: the callback runs only for requests whose key and signature are right.</summary>
    public FakeBinanceVenue ServeSigned(string path, string method, Func<IReadOnlyDictionary<string, string>, (int Status, string Body)> answer)
    {
        Rest.Given(Request.Create().WithPath(path).UsingMethod(method)).RespondWith(Response.Create().WithCallback(request =>
        {
            if (Refusal(request) is { } refused)
            {
                return refused;
            }

            var raw = (request.RawQuery ?? string.Empty).TrimStart('?');
            _signedQueries.Enqueue(raw);
            var parameters = raw.Split('&', StringSplitOptions.RemoveEmptyEntries)
                .Select(p => p.Split('=', 2))
                .ToDictionary(p => Uri.UnescapeDataString(p[0]), p => p.Length > 1 ? Uri.UnescapeDataString(p[1]) : string.Empty);
            var (status, body) = answer(parameters);
            return Json(status, body);
        }));
        return this;
    }

    public static string Sign(string payload) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes(payload)));

    public async ValueTask DisposeAsync()
    {
        Rest.Stop();
        await Ws.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>The error a signed request earns, or null: the key in <c>X-MBX-APIKEY</c>, then the signature over the query before <c>&amp;signature=</c>.</summary>
    private static ResponseMessage? Refusal(IRequestMessage request)
    {
        if (!KeyIsRight(request))
        {
            return Json(401, """{"code":-2015,"msg":"Invalid API-key, IP, or permissions for action."}""");
        }

        var raw = (request.RawQuery ?? string.Empty).TrimStart('?');
        var at = raw.LastIndexOf("&signature=", StringComparison.Ordinal);
        if (at < 0 || !string.Equals(Sign(raw[..at]), raw[(at + "&signature=".Length)..], StringComparison.OrdinalIgnoreCase))
        {
            return Json(400, """{"code":-1022,"msg":"Signature for this request is not valid."}""");
        }

        return null;
    }

    private static bool KeyIsRight(IRequestMessage request) =>
        request.Headers is { } headers && headers.TryGetValue("X-MBX-APIKEY", out var key) && key.Contains(ApiKey);

    private ResponseMessage CreateListenKey(IRequestMessage request)
    {
        if (!KeyIsRight(request))
        {
            return Json(401, """{"code":-2015,"msg":"Invalid API-key, IP, or permissions for action."}""");
        }

        // "Doing a POST on an account with an active listenKey will return the currently active listenKey".
        var key = Volatile.Read(ref _activeKey);
        if (key is null)
        {
            key = $"listen-key-{Interlocked.Increment(ref _keys)}-pqia91ma19a5s61cv6a81va65sdf19v8a";
            _issuedKeys.Enqueue(key);
            Volatile.Write(ref _activeKey, key);
        }

        return Json(200, $$"""{"listenKey":"{{key}}"}""");
    }

    private ResponseMessage KeepListenKey(IRequestMessage request)
    {
        if (!KeyIsRight(request))
        {
            return Json(401, """{"code":-2015,"msg":"Invalid API-key, IP, or permissions for action."}""");
        }

        if (Volatile.Read(ref _activeKey) is null)
        {
            return Json(400, """{"code":-1125,"msg":"This listenKey does not exist."}""");
        }

        Interlocked.Increment(ref _keepAlives);
        return Json(200, "{}");
    }

    /// <summary>
    /// A signed WebSocket API method (<c>order.place</c>, <c>order.cancel</c>…): after the key and signature checks its
    /// parameters (as text) go to <paramref name="answer"/>, whose status and body (a result, or Binance's
    /// <c>{"code","msg"}</c>) become the reply.
    /// </summary>
    public FakeBinanceVenue ServeWebSocketApi(string method, Func<IReadOnlyDictionary<string, string>, (int Status, string Body)> answer)
    {
        _webSocketApi[method] = answer;
        return this;
    }

    /// <summary>Market streams acknowledge subscriptions; the WebSocket API checks every signed request's signature.</summary>
    private IEnumerable<string> Answer(ClientMessage message)
    {
        var id = JsonSerializer.Serialize(message.Id);
        switch (message.Method)
        {
            case "SUBSCRIBE" or "UNSUBSCRIBE":
                yield return $$"""{"result":null,"id":{{id}}}""";
                break;
            case "userDataStream.subscribe.signature":
                yield return SignedWebSocketRequest(message.Text, id, _ => (200, """{"subscriptionId":0}"""));
                break;
            case "userDataStream.unsubscribe":
                yield return $$$"""{"id":{{{id}}},"status":200,"result":{}}""";
                break;
            case { } method when _webSocketApi.TryGetValue(method, out var answer):
                yield return SignedWebSocketRequest(message.Text, id, answer);
                break;
        }
    }

    private static string SignedWebSocketRequest(string text, string id, Func<IReadOnlyDictionary<string, string>, (int Status, string Body)> answer)
    {
        using var doc = JsonDocument.Parse(text);
        var parameters = doc.RootElement.GetProperty("params").EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText(), StringComparer.Ordinal);
        if (parameters.GetValueOrDefault("apiKey") != ApiKey)
        {
            return $$$"""{"id":{{{id}}},"status":401,"error":{"code":-2015,"msg":"Invalid API-key, IP, or permissions for action."}}""";
        }

        // The payload is every parameter but the signature, sorted by name (web-socket-api.md "SIGNED request security").
        var payload = string.Join('&', parameters.Where(p => p.Key != "signature").OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
        if (!string.Equals(Sign(payload), parameters.GetValueOrDefault("signature"), StringComparison.OrdinalIgnoreCase))
        {
            return $$$"""{"id":{{{id}}},"status":400,"error":{"code":-1022,"msg":"Signature for this request is not valid."}}""";
        }

        var (status, body) = answer(parameters);
        return status == 200 ? $$$"""{"id":{{{id}}},"status":200,"result":{{{body}}}}""" : $$$"""{"id":{{{id}}},"status":{{{status}}},"error":{{{body}}}}""";
    }

    private static ResponseMessage Json(int status, string body) => WireMockAnswers.Json(status, body);
}
