using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Market;
using ActorTrading.Exchanges.KuCoin.Auth;
using ActorTrading.Exchanges.KuCoin.Rest;
using ActorTrading.Exchanges.KuCoin.Ws;
using ActorTrading.Runtime.Bus;
using ActorTrading.Runtime.Feeds;
using ActorTrading.Runtime.Orders;
using ActorTrading.TestExchange;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Xunit;
using Xunit.Abstractions;

namespace ActorTrading.Runtime.Tests;

public sealed class WsOrderClientSpecs(ITestOutputHelper output) : TestKit(output: output)
{
    private static readonly KuCoinCredentials Credentials = TradingSocketVenue.Credentials;

    private sealed class FixedClock(long unixMs) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => DateTimeOffset.FromUnixTimeMilliseconds(unixMs);
    }

    private static Task<FakeWebSocketServer> TradingVenue(Func<JsonElement, string?> reply) => TradingSocketVenue.StartAsync(reply);

    private static string Ok(JsonElement request) =>
        $$$"""{"id":"{{{request.GetProperty("id").GetString()}}}","op":"futures.order","code":"200000","data":{"orderId":"234125150956625920","clientOid":"{{{request.GetProperty("args").GetProperty("clientOid").GetString()}}}"},"inTime":1695190491421,"outTime":1695190491420,"rateLimit":{"limit":1600,"reset":15244,"remaining":1528}}""";

    private static WsOrderProtocol.Send Order(string clientOid) => new("futures.order",
        JsonSerializer.Serialize(new FuturesOrderRequest { ClientOid = clientOid, Side = Side.Buy, Symbol = "XBTUSDTM", Price = 0.1m, Size = 1, Leverage = 3 }, KuCoinJsonContext.Default.FuturesOrderRequest),
        clientOid);

    private IActorRef Client(FakeWebSocketServer ws, WsOrderSettings? settings = null) =>
        Sys.ActorOf(WsOrderClient.Props(new KuCoinWsApiAdapter(Credentials, ws.Uri), settings ?? new WsOrderSettings { BackoffMin = TimeSpan.FromMilliseconds(50), Jitter = 0 }));

    [Fact]
    public async Task The_connect_url_is_signed_as_the_docs_say()
    {
        var endpoint = await new KuCoinWsApiAdapter(Credentials, clock: new FixedClock(1234567890000)).ResolveEndpointAsync(null!, default);
        var query = System.Web.HttpUtility.ParseQueryString(endpoint.Uri.Query);
        Assert.Equal("test_api_key", query["apikey"]);
        Assert.Equal("1234567890000", query["timestamp"]);
        Assert.Equal("OTooeybVI6VKuhfT8bh6Mw4nBkyIxoN732dfLu5ymOQ=", query["sign"]);
        Assert.Equal("Ikr9KjwgA4urCb5Az1TNKgQELW10z84iOq+wsZsRRz0=", query["passphrase"]);
        Assert.Equal("wss://wsapi.kucoin.com/v1/private", endpoint.Redacted);
    }

    [Fact]
    public async Task Answers_the_session_challenge_and_matches_replies_to_requests()
    {
        await using var ws = await TradingVenue(Ok);
        var client = Client(ws);
        var first = client.Ask<WsOrderProtocol.Outcome>(Order("c-1"), TimeSpan.FromSeconds(10));
        var second = client.Ask<WsOrderProtocol.Outcome>(Order("c-2"), TimeSpan.FromSeconds(10));

        var a = Assert.IsType<WsOrderProtocol.Accepted>(await first);
        var b = Assert.IsType<WsOrderProtocol.Accepted>(await second);
        Assert.Equal(("c-1", "234125150956625920"), (a.ClientOid, a.Data.GetProperty("orderId").GetString()));
        Assert.Equal("c-2", b.Data.GetProperty("clientOid").GetString());

        var answer = ws.Received.First();
        Assert.Equal(Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(TradingSocketVenue.Secret), Encoding.UTF8.GetBytes(TradingSocketVenue.Challenge))), answer.Text);
        var request = ws.Received.First(m => m.Text.Contains("c-1", StringComparison.Ordinal));
        Assert.Equal("""{"id":"1","op":"futures.order","args":{"clientOid":"c-1","side":"buy","symbol":"XBTUSDTM","leverage":3,"type":"limit","price":"0.1","size":1}}""", request.Text);
    }

    [Fact]
    public async Task A_socket_reads_nothing_until_its_owner_adopts_it()
    {
        // The challenge arrives on connect; were it read before the owner knew the socket, the answer would be lost.
        await using var ws = await TradingVenue(_ => null);
        var owner = CreateTestProbe();
        var gate = new GenerationGate();
        var generation = gate.Next();
        var adapter = new KuCoinWsApiAdapter(Credentials, ws.Uri);
        await using var socket = new FeedSocket(generation,
            new FeedSocketContext(owner, adapter, new LocalMarketDataBus(Sys), gate, TimeProvider.System, adapter.SendWindow, 2, 1 << 20, null, "orders"));
        await socket.ConnectAsync(ws.Uri, TimeSpan.FromSeconds(5));
        await owner.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(300));

        socket.Start();
        var control = await owner.ExpectMsgAsync<FeedControl>(TimeSpan.FromSeconds(5));
        Assert.Equal((generation, ControlKind.Challenge), (control.Generation, control.Control.Kind));
    }

    [Fact]
    public async Task A_rejection_carries_the_venue_code()
    {
        await using var ws = await TradingVenue(r =>
            $$"""{"id":"{{r.GetProperty("id").GetString()}}","op":"futures.order","code":"4001002","msg":"Please check the param of your request","inTime":1,"outTime":1}""");
        var outcome = await Client(ws).Ask<WsOrderProtocol.Outcome>(Order("c-9"), TimeSpan.FromSeconds(10));
        var rejected = Assert.IsType<WsOrderProtocol.Rejected>(outcome);
        Assert.Equal(new ApiError("4001002", "Please check the param of your request", 0), rejected.Error);
        Assert.Equal("c-9", rejected.ClientOid);
    }

    [Fact]
    public async Task No_reply_in_time_is_unknown_not_failed()
    {
        await using var ws = await TradingVenue(_ => null);
        var outcome = await Client(ws, new WsOrderSettings { RequestTimeout = TimeSpan.FromMilliseconds(300) })
            .Ask<WsOrderProtocol.Outcome>(Order("c-5"), TimeSpan.FromSeconds(10));
        var unknown = Assert.IsType<WsOrderProtocol.Unknown>(outcome);
        Assert.Equal(("c-5", "no reply within 0.3 s"), (unknown.ClientOid, unknown.Reason));
    }

    [Fact]
    public async Task A_drop_makes_in_flight_requests_unknown_and_later_ones_go_out_on_a_fresh_session()
    {
        var answer = true;
        await using var ws = await TradingVenue(r => answer ? Ok(r) : null);
        var client = Client(ws);
        Assert.IsType<WsOrderProtocol.Accepted>(await client.Ask<WsOrderProtocol.Outcome>(Order("before"), TimeSpan.FromSeconds(10)));

        answer = false;
        var inFlight = client.Ask<WsOrderProtocol.Outcome>(Order("in-flight"), TimeSpan.FromSeconds(10));
        await AwaitConditionAsync(() => Task.FromResult(ws.Received.Any(m => m.Text.Contains("in-flight", StringComparison.Ordinal))), TimeSpan.FromSeconds(5));
        ws.DropAll();
        var lost = Assert.IsType<WsOrderProtocol.Unknown>(await inFlight);
        Assert.StartsWith("connection lost before the reply", lost.Reason);

        answer = true;
        Assert.IsType<WsOrderProtocol.Accepted>(await client.Ask<WsOrderProtocol.Outcome>(Order("after"), TimeSpan.FromSeconds(10)));
        Assert.Equal(2, ws.Queries.Count);
        Assert.NotEqual(ws.Queries[0]["timestamp"], ws.Queries[1]["timestamp"]);
    }

    [Fact]
    public async Task A_request_that_waits_too_long_for_a_session_is_rejected_unsent()
    {
        // The server never sends a challenge: no session, so the request must not linger and go out later.
        await using var ws = await FakeWebSocketServer.StartAsync();
        var client = Client(ws, new WsOrderSettings { QueueTimeout = TimeSpan.FromMilliseconds(300), HandshakeTimeout = TimeSpan.FromSeconds(30) });
        var outcome = await client.Ask<WsOrderProtocol.Outcome>(Order("late"), TimeSpan.FromSeconds(10));
        var rejected = Assert.IsType<WsOrderProtocol.Rejected>(outcome);
        Assert.Equal(("late", "network: not sent: no trading session within 0.3 s (connecting)"), (rejected.ClientOid, rejected.Error.ToString()));
        var status = await client.Ask<WsOrderProtocol.Status>(WsOrderProtocol.GetStatus.Instance, TimeSpan.FromSeconds(3));
        Assert.Equal((WsOrderProtocol.State.Authenticating, 0), (status.State, status.Queued));
        Assert.DoesNotContain(ws.Received, m => m.Text.Contains("late", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Refused_credentials_stop_the_client_and_reject_what_waits()
    {
        await using var ws = await FakeWebSocketServer.StartAsync();
        ws.OnConnected = _ => ["""{"code":"400003","msg":"KC-API-KEY not exists.","inTime":1741589088843,"outTime":1741589088848}"""];
        var client = Client(ws);
        var outcome = await client.Ask<WsOrderProtocol.Outcome>(Order("c-1"), TimeSpan.FromSeconds(10));
        Assert.Equal(new AuthenticationError("KC-API-KEY not exists.", "400003"), Assert.IsType<WsOrderProtocol.Rejected>(outcome).Error);
        var status = await client.Ask<WsOrderProtocol.Status>(WsOrderProtocol.GetStatus.Instance, TimeSpan.FromSeconds(3));
        Assert.Equal(WsOrderProtocol.State.Stopped, status.State);
        await Task.Delay(300);
        Assert.Single(ws.Queries);
    }

    [Fact]
    public async Task A_socket_that_takes_a_login_sends_requests_only_after_its_ack_and_a_refused_login_stops_with_the_reason()
    {
        await using var ws = await FakeWebSocketServer.StartAsync();
        ws.SendWelcome = false;
        var refuse = false;
        ws.OnClientMessage = m => m.Type switch
        {
            "login" when refuse => [$$"""{"id":"{{m.Id}}","type":"error","data":"invalid signature {{LoginSocket.Key}}"}"""],
            "login" => [$$"""{"id":"{{m.Id}}","type":"ack"}"""],
            "order" => [$$$"""{"id":"{{{m.Id}}}","type":"reply","code":"ok","data":{"orderId":"o-9"}}"""],
            _ => [],
        };

        var client = Sys.ActorOf(WsOrderClient.Props(new LoginSocket(ws.Uri), new WsOrderSettings { BackoffMin = TimeSpan.FromMilliseconds(50), Jitter = 0 }));
        var accepted = Assert.IsType<WsOrderProtocol.Accepted>(await client.Ask<WsOrderProtocol.Outcome>(new WsOrderProtocol.Send("order", """{"size":1}""", "c-1"), TimeSpan.FromSeconds(10)));
        Assert.Equal("o-9", accepted.Data.GetProperty("orderId").GetString());
        Assert.Equal(["login", "order"], ws.Received.OrderBy(m => m.ReceivedAt).Select(m => m.Type));

        refuse = true;
        var refusing = Sys.ActorOf(WsOrderClient.Props(new LoginSocket(ws.Uri), new WsOrderSettings { BackoffMin = TimeSpan.FromMilliseconds(50), Jitter = 0 }));
        var rejected = Assert.IsType<WsOrderProtocol.Rejected>(await refusing.Ask<WsOrderProtocol.Outcome>(new WsOrderProtocol.Send("order", """{"size":2}""", "c-2"), TimeSpan.FromSeconds(10)));
        Assert.Equal("authentication: login refused: invalid signature [redacted]", rejected.Error.ToString());
        Assert.Single(ws.Received, m => m.Type == "order");   // the first client's only
    }

    /// <summary>A request/reply socket that logs in first (as Bybit's trade socket does), in a minimal protocol of its own.</summary>
    private sealed class LoginSocket(Uri endpoint) : IRequestReplyAdapter
    {
        public const string Key = "key-0123456789";

        public Core.Ids.VenueId Venue => new("test");

        public Core.Ids.MarketKind Market => Core.Ids.MarketKind.Spot;

        public bool IsPrivate => true;

        public SendWindow SendWindow => new(100, TimeSpan.FromSeconds(1));

        public FeedReadiness Readiness => FeedReadiness.OnOpen;

        public TimeSpan? ProtocolKeepAlive => TimeSpan.FromSeconds(30);

        public Task<FeedEndpoint> ResolveEndpointAsync(IRestExecutor rest, CancellationToken cancellationToken) =>
            Task.FromResult(new FeedEndpoint(endpoint, "c", TimeSpan.Zero, TimeSpan.Zero));

        public OutboundFrame? LoginFrame(string id, DateTimeOffset now) =>
            new(id, $$"""{"id":"{{id}}","type":"login","key":"{{Key}}"}""", []) { Secrets = [Key] };

        public IReadOnlyList<OutboundFrame> SubscriptionFrames(IReadOnlyCollection<Subscription> subscriptions, bool subscribe, Func<string> nextId) => [];

        public string PingFrame(string id) => $$"""{"id":"{{id}}","type":"ping"}""";

        public string? AnswerFrame(in ControlEvent serverPing) => null;

        public string RequestFrame(string id, string operation, string argsJson) => $$"""{"id":"{{id}}","type":"{{operation}}","args":{{argsJson}}}""";

        public ReplyOutcome ParseReply(string raw)
        {
            using var doc = JsonDocument.Parse(raw);
            var root = doc.RootElement;
            return new ReplyOutcome(root.GetProperty("id").GetString(), root.GetProperty("code").GetString() == "ok", null, null, root.GetProperty("data").Clone());
        }

        public IFrameParser CreateParser() => new Parser();

        private sealed class Parser : IFrameParser
        {
            public void Parse(ReadOnlySpan<byte> frame, long receivedTs, IFrameSink sink)
            {
                var raw = Encoding.UTF8.GetString(frame);
                using var doc = JsonDocument.Parse(raw);
                var id = doc.RootElement.GetProperty("id").GetString();
                sink.OnControl(doc.RootElement.GetProperty("type").GetString() switch
                {
                    "ack" => new ControlEvent(ControlKind.Ack, id),
                    "error" => new ControlEvent(ControlKind.Error, id, doc.RootElement.GetProperty("data").GetString()),
                    _ => new ControlEvent(ControlKind.Reply, id, raw),
                });
            }
        }
    }
}
