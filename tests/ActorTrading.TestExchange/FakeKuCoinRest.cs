using System.Collections.Concurrent;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace ActorTrading.TestExchange;

/// <summary>
/// KuCoin REST on WireMock.Net (loopback): <c>POST /api/v1/bullet-public</c> hands out a fresh token per call
/// pointing at a <see cref="FakeWebSocketServer"/>; the instrument lists of both markets answer with
/// <see cref="FakeInstruments"/>' defaults unless a test serves its own; other endpoints are stubbed per test.
/// </summary>
public sealed class FakeKuCoinRest : IDisposable
{
    private readonly ConcurrentQueue<string> _issuedTokens = new();
    private int _tokens;

    public FakeKuCoinRest()
    {
        Server = WireMockServer.Start(new WireMockServerSettings { Urls = ["http://127.0.0.1:0"] });
        Fallback("/api/v1/contracts/active", FakeInstruments.KuCoinFutures(FakeInstruments.KuCoinFuturesDefaults));
        Fallback("/api/v2/symbols", FakeInstruments.KuCoinSpot(FakeInstruments.KuCoinSpotDefaults));
    }

    public WireMockServer Server { get; }

    public Uri BaseUri => new(Server.Url!);

    public IReadOnlyList<string> IssuedTokens => _issuedTokens.ToArray();

    /// <summary>The WebSocket server the next tokens name (a venue may move its sockets to another host).</summary>
    public Uri? WsUri { get; set; }

    /// <summary>Answers given, in order, before any token is issued: token-endpoint failures and malformed answers.</summary>
    public ConcurrentQueue<(int Status, string Body)> BulletAnswersFirst { get; } = new();

    /// <summary>Serves bullet-public (or bullet-private) with tokens <c>token-1</c>, <c>token-2</c>, … for the given WS server.</summary>
    public FakeKuCoinRest ServeBullet(Uri wsUri, int pingIntervalMs = 18000, int pingTimeoutMs = 10000, bool isPrivate = false)
    {
        WsUri = wsUri;
        Server.Given(Request.Create().WithPath(isPrivate ? "/api/v1/bullet-private" : "/api/v1/bullet-public").UsingPost())
            .RespondWith(Response.Create().WithCallback(_ =>
            {
                if (BulletAnswersFirst.TryDequeue(out var scripted))
                {
                    return Json(scripted.Status, scripted.Body);
                }

                var token = "token-" + Interlocked.Increment(ref _tokens);
                _issuedTokens.Enqueue(token);
                return Json(200, $$$"""{"code":"200000","data":{"token":"{{{token}}}","instanceServers":[{"endpoint":"{{{WsUri}}}","encrypt":false,"protocol":"websocket","pingInterval":{{{pingIntervalMs}}},"pingTimeout":{{{pingTimeoutMs}}}}]}}""");
            }));
        return this;
    }

    /// <summary>Answers <c>GET path</c> with a JSON body and status.</summary>
    public FakeKuCoinRest ServeJson(string path, string body, int status = 200, IDictionary<string, string>? headers = null)
    {
        var response = Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body);
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            response = response.WithHeader(name, value);
        }

        Server.Given(Request.Create().WithPath(path)).RespondWith(response);
        return this;
    }

    public void Dispose() => Server.Stop();

    /// <summary>An answer a test's own mapping of the same path overrides (WireMock picks the lowest priority number).</summary>
    private void Fallback(string path, string body) =>
        Server.Given(Request.Create().WithPath(path).UsingGet()).AtPriority(100)
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(body));

    private static WireMock.ResponseMessage Json(int status, string body) => new()
    {
        StatusCode = status,
        BodyData = new WireMock.Util.BodyData { BodyAsString = body, DetectedBodyType = WireMock.Types.BodyType.String },
        Headers = new Dictionary<string, WireMock.Types.WireMockList<string>> { ["Content-Type"] = new("application/json") },
    };
}
