using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Market;
using ActorTrading.Exchanges.KuCoin.Auth;
using ActorTrading.Exchanges.KuCoin.Rest;
using ActorTrading.Runtime.Bus;
using ActorTrading.Runtime.Rest;
using ActorTrading.TestExchange;
using Akka.TestKit.Xunit2;
using Xunit;
using Xunit.Abstractions;

namespace ActorTrading.Runtime.Tests;

/// <summary>
/// What a venue's sockets and token endpoint do when things go wrong, on a real loopback server: close frames with
/// error codes, a peer that never answers, token endpoint failures and odd answers, oversized and fragmented frames.
/// The feed recovers from each, says why, and never stops public data for good.
/// </summary>
public sealed class FeedFaultSpecs(ITestOutputHelper output) : TestKit(output: output)
{
    private static readonly Subscription Trades = new(DataChannel.Trades, FeedHarness.Xbt);

    private static T Expect<T>(Akka.TestKit.TestProbe probe, TimeSpan? within = null) => probe.FishForMessage<T>(_ => true, within ?? TimeSpan.FromSeconds(10));

    [Fact]
    public async Task A_close_frame_with_an_error_code_reconnects_and_says_why()
    {
        await using var venue = await FeedHarness.StartAsync(Sys);
        var events = venue.WatchFeedEvents(this);
        venue.StartFeed(Sys, [Trades]);
        Expect<FeedStreaming>(events);

        await venue.Ws.CloseAllAsync(WebSocketCloseStatus.InternalServerError, "overloaded");
        Assert.Equal("socket closed: closed by server (InternalServerError overloaded)", Expect<FeedBackoff>(events).Reason);
        Assert.Equal(2, Expect<FeedStreaming>(events).Generation);
        Assert.Equal(["token-1", "token-2"], venue.Ws.Tokens);
    }

    [Fact]
    public async Task A_peer_that_accepts_the_connection_and_never_answers_is_left_after_the_connect_timeout_and_tried_again()
    {
        // Half-open: TCP accepts, nothing ever comes back (no handshake answer, no FIN).
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var accepted = new List<TcpClient>();
        _ = Task.Run(async () =>
        {
            while (true)
            {
                var client = await silent.AcceptTcpClientAsync();
                lock (accepted)
                {
                    accepted.Add(client);
                }
            }
        });
        await using var venue = await FeedHarness.StartAsync(Sys);
        venue.Rest.WsUri = new Uri($"ws://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}/");
        var events = venue.WatchFeedEvents(this);
        venue.StartFeed(Sys, [Trades], FeedHarness.FastSettings with { ConnectTimeout = TimeSpan.FromMilliseconds(500) });

        var first = Expect<FeedBackoff>(events);
        Assert.StartsWith($"network: connect to ws://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}/: ", first.Reason, StringComparison.Ordinal);
        Expect<FeedBackoff>(events);   // and again: it keeps trying, each time with a fresh token
        Assert.True(venue.Rest.IssuedTokens.Count >= 2);

        venue.Rest.WsUri = venue.Ws.Uri;   // the venue answers again
        Expect<FeedStreaming>(events);
        lock (accepted)
        {
            accepted.ForEach(c => c.Dispose());
        }
    }

    [Fact]
    public async Task Rate_limits_and_server_errors_on_the_token_endpoint_back_off_and_recover()
    {
        await using var venue = await FeedHarness.StartAsync(Sys);
        venue.Rest.BulletAnswersFirst.Enqueue((429, """{"code":"429000","msg":"Too Many Requests"}"""));
        venue.Rest.BulletAnswersFirst.Enqueue((429, """{"code":"429000","msg":"Too Many Requests"}"""));
        venue.Rest.BulletAnswersFirst.Enqueue((503, """{"code":"503000","msg":"Service Unavailable"}"""));
        venue.Rest.BulletAnswersFirst.Enqueue((503, """{"code":"503000","msg":"Service Unavailable"}"""));
        var events = venue.WatchFeedEvents(this);
        var feed = venue.StartFeed(Sys, [Trades]);
        Watch(feed);

        var reasons = new[] { Expect<FeedBackoff>(events).Reason, Expect<FeedBackoff>(events).Reason };
        Assert.Contains("429000 Too Many Requests", reasons[0], StringComparison.Ordinal);
        Assert.Contains("Service Unavailable", reasons[1], StringComparison.Ordinal);
        Expect<FeedStreaming>(events);
        Assert.Equal(["token-1"], venue.Ws.Tokens);
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));   // never stopped
    }

    [Theory]
    [InlineData("""{"code":"200000","data":{"token":"t"}}""", "protocol: token answer: missing field 'instanceServers'")]
    [InlineData("""{"code":"200000","data":{"token":"t","instanceServers":[{"endpoint":"http://127.0.0.1:1/","pingInterval":18000,"pingTimeout":10000}]}}""",
        "protocol: token answer: endpoint 'http://127.0.0.1:1/' is not a WebSocket URL")]
    [InlineData("""{"code":"200000","data":{"token":"t","instanceServers":[{"endpoint":"ws://127.0.0.1:1/","pingInterval":0,"pingTimeout":10000}]}}""",
        "protocol: token answer: pingInterval 0 ms is out of range (0.1 s to 10 min)")]
    [InlineData("""{"code":"200000","data":""", "protocol: ")]
    public async Task A_malformed_token_answer_is_a_protocol_error_and_the_next_answer_is_used(string answer, string reason)
    {
        await using var venue = await FeedHarness.StartAsync(Sys);
        venue.Rest.BulletAnswersFirst.Enqueue((200, answer));
        var events = venue.WatchFeedEvents(this);
        venue.StartFeed(Sys, [Trades]);

        Assert.StartsWith(reason, Expect<FeedBackoff>(events).Reason, StringComparison.Ordinal);
        Expect<FeedStreaming>(events);
        Assert.Equal(["token-1"], venue.Ws.Tokens);
    }

    [Fact]
    public async Task A_token_naming_another_socket_host_is_followed_there_with_every_subscription()
    {
        await using var venue = await FeedHarness.StartAsync(Sys);
        await using var moved = await FakeWebSocketServer.StartAsync();
        var events = venue.WatchFeedEvents(this);
        venue.StartFeed(Sys, [Trades]);
        Expect<FeedStreaming>(events);

        venue.Rest.WsUri = moved.Uri;
        venue.Ws.DropAll();
        Assert.Equal(2, Expect<FeedStreaming>(events).Generation);
        Assert.Equal(["token-2"], moved.Tokens);
        Assert.Equal(["/contractMarket/execution:XBTUSDTM"], moved.Received.Where(m => m.Type == "subscribe").Select(m => m.Topic));
    }

    [Fact]
    public async Task A_frame_over_the_size_limit_drops_the_connection_and_the_feed_comes_back()
    {
        await using var venue = await FeedHarness.StartAsync(Sys);
        var events = venue.WatchFeedEvents(this);
        venue.StartFeed(Sys, [Trades], FeedHarness.FastSettings with { MaxFrameBytes = 4096 });
        Expect<FeedStreaming>(events);

        await venue.Ws.SendToAllAsync("{\"type\":\"message\",\"topic\":\"/contractMarket/execution:XBTUSDTM\",\"data\":{\"pad\":\"" + new string('x', 10_000) + "\"}}");
        Assert.Equal("socket closed: frame larger than 4096 bytes", Expect<FeedBackoff>(events).Reason);
        Assert.Equal(2, Expect<FeedStreaming>(events).Generation);
    }

    [Fact]
    public async Task A_message_in_fragments_is_put_together_before_it_is_parsed()
    {
        await using var venue = await FeedHarness.StartAsync(Sys);
        var events = venue.WatchFeedEvents(this);
        var trades = CreateTestProbe();
        venue.Bus.Subscribe(trades, TopicFilter.Parse("kucoin.futures/trades/XBTUSDTM"));
        venue.StartFeed(Sys, [Trades]);
        Expect<FeedStreaming>(events);

        await venue.Ws.SendFragmentedToAllAsync(Fixtures.KuCoin("futures_ws_contractMarket_execution_symbol"), pieces: 7);
        var trade = Expect<Trade>(trades);
        Assert.Equal(("1794100537695", 90503.9m, 2m, 1731898619520L), (trade.TradeId, trade.Price, trade.Size, trade.ExchangeTs));
        events.ExpectNoMsg(TimeSpan.FromMilliseconds(300));   // no error, no reconnect
    }

    [Fact]
    public async Task A_public_token_endpoint_that_answers_401_is_asked_again_after_a_long_wait_never_given_up()
    {
        await using var venue = await FeedHarness.StartAsync(Sys);
        venue.Rest.BulletAnswersFirst.Enqueue((401, """{"code":"400003","msg":"Unauthorized"}"""));
        var events = venue.WatchFeedEvents(this);
        venue.StartFeed(Sys, [Trades], FeedHarness.FastSettings with { RefusedRetryDelay = TimeSpan.FromMilliseconds(700) });

        var backoff = Expect<FeedBackoff>(events);
        Assert.Equal(TimeSpan.FromMilliseconds(700), backoff.Delay);
        Assert.Equal("the venue refused the public feed: authentication: Unauthorized; public data needs no key, so asking again in 0.7 s", backoff.Reason);
        Expect<FeedStreaming>(events, TimeSpan.FromSeconds(5));
        Assert.Equal(["token-1"], venue.Ws.Tokens);
    }

    [Fact]
    public async Task A_private_token_endpoint_that_answers_401_stops_the_feed_the_keys_are_wrong()
    {
        var ws = await FakeWebSocketServer.StartAsync();
        await using var _ = ws;
        using var rest = new FakeKuCoinRest().ServeBullet(ws.Uri, isPrivate: true);
        rest.BulletAnswersFirst.Enqueue((401, """{"code":"400003","msg":"KC-API-KEY not exists"}"""));
        using var http = new HttpClient();
        var client = new RestClient(http, new KuCoinRestAdapter(rest.BaseUri, new KuCoinCredentials("key", "secret", "pass")), new RestClientOptions { MaxRetries = 1 });
        var (feed, events, _) = FeedHarness.StartPrivateFeed(this, client, FeedHarness.FastSettings);
        Watch(feed);

        var stopped = Expect<FeedStopped>(events);
        Assert.Equal(new AuthenticationError("KC-API-KEY not exists", "400003"), stopped.Error);
        ExpectTerminated(feed);
        Assert.Empty(ws.Tokens);
    }
}
