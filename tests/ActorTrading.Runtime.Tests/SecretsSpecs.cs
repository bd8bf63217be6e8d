using System.Collections.Concurrent;
using ActorTrading.Core.Market;
using ActorTrading.Exchanges.KuCoin.Auth;
using ActorTrading.Exchanges.KuCoin.Rest;
using ActorTrading.Exchanges.KuCoin.Ws;
using ActorTrading.Runtime.Feeds;
using ActorTrading.Runtime.Limits;
using ActorTrading.Runtime.Orders;
using ActorTrading.Runtime.Rest;
using ActorTrading.TestExchange;
using Akka.Actor;
using Akka.Event;
using Akka.TestKit.Xunit2;
using Xunit;

namespace ActorTrading.Runtime.Tests;

/// <summary>Runs the signed KuCoin paths, failures included, and reads every log line the actor system wrote.</summary>
public sealed class SecretsSpecs() : TestKit("akka.loglevel = DEBUG")
{
    private const string Key = "key-AAAA1111";
    private const string Secret = "secret-BBBB2222";
    private const string Passphrase = "passphrase-CCCC3333";

    private sealed class LogCollector : ReceiveActor
    {
        public LogCollector(ConcurrentQueue<string> lines) => Receive<LogEvent>(e => lines.Enqueue(e.ToString() ?? string.Empty));
    }

    [Fact]
    public async Task No_key_secret_passphrase_signature_or_token_reaches_the_logs()
    {
        var lines = new ConcurrentQueue<string>();
        Sys.EventStream.Subscribe(Sys.ActorOf(Props.Create(() => new LogCollector(lines))), typeof(LogEvent));
        var credentials = new KuCoinCredentials(Key, Secret, Passphrase);

        await using var ws = await FakeWebSocketServer.StartAsync();
        using var rest = new FakeKuCoinRest().ServeBullet(ws.Uri, isPrivate: true);
        rest.ServeJson("/api/v1/position", """{"code":"400005","msg":"Invalid KC-API-SIGN"}""", status: 401);
        using var http = new HttpClient();
        var client = new RestClient(http, new KuCoinRestAdapter(rest.BaseUri, credentials), new RestClientOptions { MaxRetries = 1 });

        // A private feed that connects, then is refused its token until it gives up.
        var (_, events, _) = FeedHarness.StartPrivateFeed(this, client, new FeedSettings { BackoffMin = TimeSpan.FromMilliseconds(10), MaxTokenRejections = 2 });
        events.FishForMessage<FeedStreaming>(_ => true, TimeSpan.FromSeconds(10));
        ws.RefusedTokens["token-2"] = true;
        ws.RefusedTokens["token-3"] = true;
        await ws.SendToAllAsync("""{"id":"x","type":"error","code":401,"data":"token is expired"}""");
        events.FishForMessage<FeedStopped>(_ => true, TimeSpan.FromSeconds(10));

        // A signed REST call through the gateway that the venue refuses.
        var gateway = Sys.ActorOf(RestGateway.Props(client, Sys.ActorOf(RateLimiter.Props(new Dictionary<string, int> { ["futures"] = 100 }, TimeSpan.FromSeconds(30)))));
        await Assert.ThrowsAsync<Core.Errors.ExchangeException>(() => new KuCoinFuturesTrading(new GatewayRestExecutor(gateway, TimeSpan.FromSeconds(10))).GetPositionAsync("XBTUSDTM"));

        // The trading socket refusing the credentials.
        await using var trading = await FakeWebSocketServer.StartAsync();
        trading.OnConnected = _ => ["""{"code":"400003","msg":"KC-API-KEY not exists.","inTime":1,"outTime":1}"""];
        var orders = Sys.ActorOf(WsOrderClient.Props(new KuCoinWsApiAdapter(credentials, trading.Uri)));
        await orders.Ask<WsOrderProtocol.Outcome>(new WsOrderProtocol.Send("futures.order", "{}", "c"), TimeSpan.FromSeconds(10));

        await Task.Delay(300);
        var log = string.Join("\n", lines);
        Assert.Contains("token refused", log);
        Assert.Contains("KC-API-KEY not exists", log);
        string[] secrets = [Secret, Passphrase, KuCoinSigner.SignPassphrase(credentials), "token-1", "token-2", "sign="];
        Assert.All(secrets, secret => Assert.DoesNotContain(secret, log));
        Assert.DoesNotContain("apikey=" + Key, log);
    }
    [Fact]
    public async Task A_venue_that_echoes_what_its_sockets_were_sent_leaks_no_token_key_or_signature()
    {
        var lines = new ConcurrentQueue<string>();
        Sys.EventStream.Subscribe(Sys.ActorOf(Props.Create(() => new LogCollector(lines))), typeof(LogEvent));
        var credentials = new KuCoinCredentials(Key, Secret, Passphrase);
        var seen = new ConcurrentQueue<string>();

        // The private feed's server echoes its token in a broken frame, a server error and its close reason.
        await using var ws = await FakeWebSocketServer.StartAsync();
        ws.OnConnected = query => [$$"""{"id":"{{query["connectId"]}}","type":"welcome"}"""];
        using var rest = new FakeKuCoinRest().ServeBullet(ws.Uri, isPrivate: true);
        using var http = new HttpClient();
        var client = new RestClient(http, new KuCoinRestAdapter(rest.BaseUri, credentials), new RestClientOptions { MaxRetries = 1 });
        var (_, events, _) = FeedHarness.StartPrivateFeed(this, client, new FeedSettings { BackoffMin = TimeSpan.FromMilliseconds(10) });
        events.FishForMessage<FeedStreaming>(_ => true, TimeSpan.FromSeconds(10));
        await ws.SendToAllAsync("""{"type":"message","topic":"/contractMarket/tradeOrders","data":{"echo":"token-1" """);
        await ws.SendToAllAsync("""{"id":"e-1","type":"error","code":500,"data":"cannot serve token-1"}""");
        await ws.CloseAllAsync(System.Net.WebSockets.WebSocketCloseStatus.PolicyViolation, "bye token-1");
        seen.Enqueue(events.FishForMessage<FeedError>(_ => true, TimeSpan.FromSeconds(10)).Error.ToString());
        var backoff = events.FishForMessage<FeedBackoff>(_ => true, TimeSpan.FromSeconds(10));
        seen.Enqueue(backoff.Reason);
        Assert.Contains("[redacted]", backoff.Reason, StringComparison.Ordinal);

        // The trading socket's server refuses the session, quoting the key, signature and passphrase from its URL.
        await using var trading = await FakeWebSocketServer.StartAsync();
        trading.OnConnected = query => [$$"""{"code":"400003","msg":"KC-API-KEY not exists: apikey={{query["apikey"]}} sign={{query["sign"]}} passphrase={{query["passphrase"]}}","inTime":1,"outTime":1}"""];
        var orders = Sys.ActorOf(WsOrderClient.Props(new KuCoinWsApiAdapter(credentials, trading.Uri)));
        var refused = await orders.Ask<WsOrderProtocol.Outcome>(new WsOrderProtocol.Send("futures.order", "{}", "c"), TimeSpan.FromSeconds(10));
        var error = Assert.IsType<WsOrderProtocol.Rejected>(refused).Error;
        Assert.StartsWith("KC-API-KEY not exists: apikey=[redacted] sign=[redacted] passphrase=[redacted]", error.Message, StringComparison.Ordinal);
        seen.Enqueue(error.ToString());

        await Task.Delay(300);
        var text = string.Join("\n", lines.Concat(seen));
        var query = trading.Queries.Single();
        string[] secrets = ["token-1", Key, query["sign"].ToString(), query["passphrase"].ToString(), KuCoinSigner.SignPassphrase(credentials)];
        Assert.All(secrets, secret => Assert.DoesNotContain(secret, text));
    }
}
