using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Exchanges.KuCoin.Ws;
using ActorTrading.Runtime.Bus;
using ActorTrading.Runtime.Feeds;
using ActorTrading.TestExchange;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Xunit;
using Xunit.Abstractions;

namespace ActorTrading.Runtime.Tests;

public sealed class FeedConnectionSpecs(ITestOutputHelper output) : TestKit(output: output)
{
    private static readonly Subscription Trades = new(DataChannel.Trades, FeedHarness.Xbt);
    private static readonly Subscription Ticker = new(DataChannel.Ticker, FeedHarness.Xbt);

    private T Expect<T>(Akka.TestKit.TestProbe probe, TimeSpan? within = null) => probe.FishForMessage<T>(_ => true, within ?? TimeSpan.FromSeconds(10));

    [Fact]
    public async Task Connects_with_a_fresh_token_each_time_and_resubscribes_everything_after_a_drop()
    {
        await using var venue = await FeedHarness.StartAsync(Sys);
        var events = venue.WatchFeedEvents(this);
        venue.StartFeed(Sys, [Trades, Ticker]);

        Assert.Equal(1, Expect<FeedStreaming>(events).Generation);
        venue.Ws.DropAll();
        Expect<FeedBackoff>(events);
        Assert.Equal(2, Expect<FeedStreaming>(events).Generation);

        Assert.Equal(["token-1", "token-2"], venue.Ws.Tokens);
        var subscribes = venue.ClientMessages("subscribe");
        Assert.Equal(4, subscribes.Length);
        string[] topics = ["/contractMarket/execution:XBTUSDTM", "/contractMarket/tickerV2:XBTUSDTM"];
        Assert.Equal(topics, subscribes.Where(m => m.Token == "token-1").Select(m => m.Topic).Order());
        Assert.Equal(topics, subscribes.Where(m => m.Token == "token-2").Select(m => m.Topic).Order());
    }

    [Fact]
    public async Task A_venue_that_welcomes_is_waited_for_and_one_that_sends_no_welcome_streams_on_open_without_reconnecting()
    {
        await using var venue = await FeedHarness.StartAsync(Sys);
        venue.Ws.SendWelcome = false;
        var settings = FeedHarness.FastSettings with { WelcomeTimeout = TimeSpan.FromMilliseconds(300) };

        // KuCoin's socket is only usable after its welcome: none in time is a failed connection, and nothing is subscribed.
        var events = venue.WatchFeedEvents(this);
        var welcoming = Sys.ActorOf(FeedConnection.Props(new KuCoinFeedAdapter(), venue.RestClient, venue.Bus, settings, [Trades]));
        Assert.Equal("no welcome from server", Expect<FeedBackoff>(events).Reason);
        Assert.Empty(venue.ClientMessages("subscribe"));
        Sys.Stop(welcoming);
        await Task.Delay(200);

        // A venue ready on open (Binance sends no welcome) subscribes at once and is never dropped for want of one.
        var onOpen = venue.WatchFeedEvents(this);
        Sys.ActorOf(FeedConnection.Props(new ReadyOnOpen(new KuCoinFeedAdapter()), venue.RestClient, venue.Bus, settings, [Trades]));
        Assert.Equal(1, Expect<FeedStreaming>(onOpen).Generation);
        Assert.Equal(["/contractMarket/execution:XBTUSDTM"], venue.ClientMessages("subscribe").Select(m => m.Topic));
        var later = onOpen.ReceiveWhile(TimeSpan.FromSeconds(1), m => m);   // three welcome timeouts
        Assert.DoesNotContain(later, m => m is FeedBackoff);
    }

    /// <summary>A KuCoin feed as a venue that sends no welcome would declare it.</summary>
    private sealed class ReadyOnOpen(IFeedAdapter inner) : IFeedAdapter
    {
        public VenueId Venue => inner.Venue;

        public MarketKind Market => inner.Market;

        public bool IsPrivate => inner.IsPrivate;

        public SendWindow SendWindow => inner.SendWindow;

        public FeedReadiness Readiness => FeedReadiness.OnOpen;

        public Task<FeedEndpoint> ResolveEndpointAsync(IRestExecutor rest, CancellationToken cancellationToken) => inner.ResolveEndpointAsync(rest, cancellationToken);

        public IReadOnlyList<OutboundFrame> SubscriptionFrames(IReadOnlyCollection<Subscription> subscriptions, bool subscribe, Func<string> nextId) =>
            inner.SubscriptionFrames(subscriptions, subscribe, nextId);

        public string PingFrame(string id) => inner.PingFrame(id);

        public string? AnswerFrame(in ControlEvent serverPing) => inner.AnswerFrame(serverPing);

        public IFrameParser CreateParser() => inner.CreateParser();
    }

    [Fact]
    public async Task A_venue_that_takes_a_login_gets_it_signed_anew_on_every_connect_and_nothing_is_subscribed_before_its_ack()
    {
        await using var venue = await FeedHarness.StartAsync(Sys);
        venue.Ws.OnClientMessage = m => m.Type == "login" ? [$$"""{"id":"{{m.Id}}","type":"ack"}"""] : [];
        var events = venue.WatchFeedEvents(this);
        var start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        Sys.ActorOf(FeedConnection.Props(new LogsIn(new KuCoinFeedAdapter()), venue.RestClient, venue.Bus, FeedHarness.FastSettings, [Trades]));

        Assert.Equal(1, Expect<FeedStreaming>(events).Generation);
        await Task.Delay(50);
        venue.Ws.DropAll();
        Assert.Equal(2, Expect<FeedStreaming>(events).Generation);

        // Per connection: the login first, the subscription only after its ack.
        var received = venue.Ws.Received.Where(m => m.Type is "login" or "subscribe").OrderBy(m => m.ReceivedAt).ToArray();
        Assert.Equal([("token-1", "login"), ("token-1", "subscribe"), ("token-2", "login"), ("token-2", "subscribe")], received.Select(m => (m.Token, m.Type)));

        // Each login signed at its own connect: the second is later than the first, both within the test.
        var signedAt = received.Where(m => m.Type == "login").Select(m => long.Parse(m.Field("signature")!["sig-".Length..], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.InRange(signedAt[0], start, signedAt[1] - 50);
        Assert.InRange(signedAt[1], signedAt[0] + 50, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
    }

    [Fact]
    public async Task A_refused_login_stops_the_feed_with_the_reason_and_no_secret_in_it()
    {
        await using var venue = await FeedHarness.StartAsync(Sys);
        venue.Ws.OnClientMessage = m => m.Type == "login"
            ? [$$"""{"id":"{{m.Id}}","type":"error","code":400,"data":"invalid signature {{m.Field("signature")}} for {{LogsIn.Key}}"}"""]
            : [];
        var events = venue.WatchFeedEvents(this);
        Sys.ActorOf(FeedConnection.Props(new LogsIn(new KuCoinFeedAdapter()), venue.RestClient, venue.Bus, FeedHarness.FastSettings, [Trades]));

        var stopped = Expect<FeedStopped>(events);
        Assert.IsType<AuthenticationError>(stopped.Error);
        Assert.Equal("login refused: 400 invalid signature [redacted] for [redacted]", stopped.Error.Message);
        Assert.Empty(venue.ClientMessages("subscribe"));
        Assert.Single(venue.ClientMessages("login"));
    }

    [Fact]
    public async Task A_login_left_unanswered_reconnects_and_one_the_venue_hangs_up_on_stops_after_the_refusal_limit()
    {
        await using var venue = await FeedHarness.StartAsync(Sys);
        var settings = FeedHarness.FastSettings with { LoginTimeout = TimeSpan.FromMilliseconds(300), MaxTokenRejections = 2 };
        var events = venue.WatchFeedEvents(this);
        var silent = Sys.ActorOf(FeedConnection.Props(new LogsIn(new KuCoinFeedAdapter()), venue.RestClient, venue.Bus, settings, [Trades]));
        Assert.Equal("no answer to the login within 0.3 s", Expect<FeedBackoff>(events).Reason);
        Assert.Empty(venue.ClientMessages("subscribe"));
        Sys.Stop(silent);
        await Task.Delay(200);

        var hangsUp = venue.WatchFeedEvents(this);
        venue.Ws.OnClientMessage = m =>
        {
            if (m.Type == "login")
            {
                venue.Ws.DropAll();
            }

            return [];
        };
        Sys.ActorOf(FeedConnection.Props(new LogsIn(new KuCoinFeedAdapter()), venue.RestClient, venue.Bus, settings, [Trades]));
        Assert.StartsWith("login refused: the venue closed the socket", Expect<FeedBackoff>(hangsUp).Reason);
        var stopped = Expect<FeedStopped>(hangsUp);
        Assert.StartsWith("login refused 2 times in a row: the venue closed the socket", stopped.Error.Message);
        Assert.Empty(venue.ClientMessages("subscribe"));
    }

    /// <summary>A KuCoin feed as a venue that takes a signed login frame would declare it.</summary>
    private sealed class LogsIn(IFeedAdapter inner) : IFeedAdapter
    {
        public const string Key = "key-0123456789";

        public VenueId Venue => inner.Venue;

        public MarketKind Market => inner.Market;

        public bool IsPrivate => true;

        public SendWindow SendWindow => inner.SendWindow;

        public FeedReadiness Readiness => inner.Readiness;

        public Task<FeedEndpoint> ResolveEndpointAsync(IRestExecutor rest, CancellationToken cancellationToken) => inner.ResolveEndpointAsync(rest, cancellationToken);

        public OutboundFrame? LoginFrame(string id, DateTimeOffset now)
        {
            var signature = $"sig-{now.ToUnixTimeMilliseconds()}";
            return new OutboundFrame(id, $$"""{"id":"{{id}}","type":"login","apiKey":"{{Key}}","signature":"{{signature}}"}""", []) { Secrets = [Key, signature] };
        }

        public IReadOnlyList<OutboundFrame> SubscriptionFrames(IReadOnlyCollection<Subscription> subscriptions, bool subscribe, Func<string> nextId) =>
            inner.SubscriptionFrames(subscriptions, subscribe, nextId);

        public string PingFrame(string id) => inner.PingFrame(id);

        public string? AnswerFrame(in ControlEvent serverPing) => inner.AnswerFrame(serverPing);

        public IFrameParser CreateParser() => inner.CreateParser();
    }

    [Fact]
    public async Task Frames_are_parsed_and_published_and_bad_frames_do_not_stop_the_stream()
    {
        using var parseErrors = new MeasuredSum("actortrading.feed.errors", ("venue", "kucoin.futures"), ("code", "protocol"));
        using var trades = new MeasuredSum("actortrading.feed.channel.messages", ("venue", "kucoin.futures"), ("channel", "trades"));
        await using var venue = await FeedHarness.StartAsync(Sys);
        var events = venue.WatchFeedEvents(this);
        var data = CreateTestProbe();
        venue.Bus.Subscribe(data, TopicFilter.Parse("kucoin.futures/trades/XBTUSDTM"));
        venue.StartFeed(Sys, [Trades]);
        Expect<FeedStreaming>(events);

        await venue.Ws.SendToAllAsync("{\"type\":\"message\",\"topic\":\"/contractMarket/execution:XBTUSDTM\",\"data\":{");
        await venue.Ws.SendToAllAsync("{\"type\":\"message\",\"topic\":\"/contractMarket/unknown:XBTUSDTM\",\"data\":{}}");
        await venue.Ws.SendBinaryToAllAsync([1, 2, 3]);
        await venue.Ws.SendToAllAsync(string.Empty);
        await venue.Ws.SendToAllAsync("{\"type\":\"message\",\"topic\":\"/contractMarket/execution:XBTUSDTM\",\"data\":{\"price\":\"abc\",\"side\":\"buy\",\"tradeId\":\"1\"}}");
        await venue.Ws.SendToAllAsync(Fixtures.KuCoin("futures_ws_contractMarket_execution_symbol"));

        var errors = Enumerable.Range(0, 5).Select(_ => Expect<FeedError>(events)).ToArray();
        Assert.All(errors, e => Assert.IsType<ProtocolError>(e.Error));
        Assert.StartsWith("malformed JSON", errors[0].Error.Message);
        Assert.Equal("unknown topic '/contractMarket/unknown:XBTUSDTM'", errors[1].Error.Message);
        Assert.Equal("unexpected binary frame", errors[2].Error.Message);
        Assert.Equal("empty frame", errors[3].Error.Message);
        Assert.Equal("field 'price' is not a decimal", errors[4].Error.Message);

        var trade = data.ExpectMsg<Trade>(TimeSpan.FromSeconds(5));
        Assert.Equal(90503.9m, trade.Price);
        Assert.Equal("1794100537695", trade.TradeId);
        events.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        // The metrics count what came: the five bad frames as protocol errors, the good trade on its channel.
        Assert.True(parseErrors.Sum >= 5, $"actortrading.feed.errors counted {parseErrors.Sum}");
        Assert.True(trades.Sum >= 1, $"actortrading.feed.channel.messages counted {trades.Sum}");
    }

    [Fact]
    public async Task Pings_follow_the_server_ping_interval()
    {
        await using var venue = await FeedHarness.StartAsync(Sys, pingIntervalMs: 200, pingTimeoutMs: 1000);
        var events = venue.WatchFeedEvents(this);
        venue.StartFeed(Sys, [Trades]);
        Expect<FeedStreaming>(events);
        await Task.Delay(1300);

        var pings = venue.ClientMessages("ping");
        Assert.InRange(pings.Length, 4, 8);
        var gaps = pings.Zip(pings.Skip(1), (a, b) => (b.ReceivedAt - a.ReceivedAt).TotalMilliseconds).ToArray();
        Assert.All(gaps, g => Assert.InRange(g, 120, 400));
        events.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task A_missing_pong_forces_a_reconnect()
    {
        await using var venue = await FeedHarness.StartAsync(Sys, pingIntervalMs: 200, pingTimeoutMs: 300);
        venue.Ws.AnswerPings = false;
        var events = venue.WatchFeedEvents(this);
        venue.StartFeed(Sys, [Trades]);
        Expect<FeedStreaming>(events);
        var backoff = Expect<FeedBackoff>(events);
        Assert.Equal("no pong within 0.3 s", backoff.Reason);
        Assert.Equal(2, Expect<FeedStreaming>(events).Generation);
    }

    [Fact]
    public async Task An_idle_socket_forces_a_reconnect()
    {
        await using var venue = await FeedHarness.StartAsync(Sys);
        var events = venue.WatchFeedEvents(this);
        venue.StartFeed(Sys, [Trades], FeedHarness.FastSettings with { IdleTimeout = TimeSpan.FromMilliseconds(600) });
        Expect<FeedStreaming>(events);
        var backoff = Expect<FeedBackoff>(events, TimeSpan.FromSeconds(5));
        Assert.Equal("idle: no frame for 0.6 s", backoff.Reason);
        Expect<FeedStreaming>(events);
        Assert.Equal(2, venue.Ws.Tokens.Count);
    }

    [Fact]
    public async Task Backoff_grows_to_its_cap_while_the_venue_is_unreachable()
    {
        await using var venue = await FeedHarness.StartAsync(Sys);
        venue.Rest.Server.Reset();
        var closedPort = new Uri($"ws://127.0.0.1:{FreePort()}/");
        venue.Rest.ServeBullet(closedPort);
        var events = venue.WatchFeedEvents(this);
        venue.StartFeed(Sys, [Trades], FeedHarness.FastSettings with { BackoffMax = TimeSpan.FromMilliseconds(500) });

        var delays = Enumerable.Range(0, 5).Select(_ => Expect<FeedBackoff>(events).Delay.TotalMilliseconds).ToArray();
        Assert.Equal([100d, 200d, 400d, 500d, 500d], delays);
        Assert.Contains("connect to ws://127.0.0.1", Expect<FeedBackoff>(events).Reason);
    }

    [Fact]
    public async Task Backoff_resets_after_a_stable_period()
    {
        await using var venue = await FeedHarness.StartAsync(Sys);
        var events = venue.WatchFeedEvents(this);
        venue.StartFeed(Sys, [Trades], FeedHarness.FastSettings with { StableAfter = TimeSpan.FromMilliseconds(500) });
        Expect<FeedStreaming>(events);
        venue.Ws.DropAll();
        Assert.Equal(100, Expect<FeedBackoff>(events).Delay.TotalMilliseconds);
        Expect<FeedStreaming>(events);
        venue.Ws.DropAll();
        Assert.Equal(200, Expect<FeedBackoff>(events).Delay.TotalMilliseconds);
        Expect<FeedStreaming>(events);
        await Task.Delay(900);
        venue.Ws.DropAll();
        Assert.Equal(100, Expect<FeedBackoff>(events).Delay.TotalMilliseconds);
    }

    [Fact]
    public async Task A_refused_token_is_retried_with_a_new_one()
    {
        await using var venue = await FeedHarness.StartAsync(Sys);
        venue.Ws.RefusedTokens["token-1"] = true;
        var events = venue.WatchFeedEvents(this);
        venue.StartFeed(Sys, [Trades]);
        Assert.Equal("token refused: 401 token is expired", Expect<FeedBackoff>(events).Reason);
        Expect<FeedStreaming>(events);
        Assert.Equal(["token-1", "token-2"], venue.Ws.Tokens);
        Assert.Equal(["token-2"], venue.ClientMessages("subscribe").Select(m => m.Token));
    }

    [Fact]
    public async Task Tokens_refused_again_and_again_stop_the_feed_instead_of_spinning()
    {
        await using var venue = await FeedHarness.StartAsync(Sys);
        for (var i = 1; i <= 10; i++)
        {
            venue.Ws.RefusedTokens["token-" + i] = true;
        }

        var events = venue.WatchFeedEvents(this);
        var feed = venue.StartFeed(Sys, [Trades], FeedHarness.FastSettings with { MaxTokenRejections = 3 });
        Watch(feed);
        var stopped = Expect<FeedStopped>(events);
        Assert.IsType<AuthenticationError>(stopped.Error);
        Assert.Equal("token refused 3 times in a row: 401 token is expired", stopped.Error.Message);
        ExpectTerminated(feed);
        await Task.Delay(500);
        Assert.Equal(3, venue.Rest.IssuedTokens.Count);
    }

    [Fact]
    public async Task A_banned_ip_on_the_public_token_endpoint_waits_long_before_asking_again_and_says_why()
    {
        await using var venue = await FeedHarness.StartAsync(Sys);
        venue.Rest.Server.Reset();
        venue.Rest.ServeJson("/api/v1/bullet-public", """{"code":"400006","msg":"Invalid request ip"}""", status: 403);
        var events = venue.WatchFeedEvents(this);
        var feed = venue.StartFeed(Sys, [Trades]);
        Watch(feed);
        var backoff = Expect<FeedBackoff>(events);
        Assert.Equal(TimeSpan.FromMinutes(5), backoff.Delay);
        Assert.Equal("the venue refused the public feed: authentication: Invalid request ip; public data needs no key, so asking again in 300 s", backoff.Reason);
        ExpectNoMsg(TimeSpan.FromMilliseconds(500));   // alive, waiting
        Assert.Single(venue.Rest.Server.LogEntries);
    }

    [Fact]
    public async Task A_server_shutdown_notice_reconnects_with_a_fresh_token()
    {
        await using var venue = await FeedHarness.StartAsync(Sys);
        var events = venue.WatchFeedEvents(this);
        venue.StartFeed(Sys, [Trades]);
        Expect<FeedStreaming>(events);
        await venue.Ws.SendShutdownNoticeAsync();
        Assert.Equal("server notice: server.shutdown", Expect<FeedBackoff>(events).Reason);
        Expect<FeedStreaming>(events);
        Assert.Equal(["token-1", "token-2"], venue.Ws.Tokens);
    }

    [Fact]
    public async Task Subscriptions_can_be_added_and_removed_at_runtime_and_survive_reconnects()
    {
        await using var venue = await FeedHarness.StartAsync(Sys);
        var events = venue.WatchFeedEvents(this);
        var feed = venue.StartFeed(Sys, [Trades]);
        Expect<FeedStreaming>(events);

        feed.Tell(new FeedConnectionProtocol.Subscribe([Ticker]));
        feed.Tell(new FeedConnectionProtocol.Unsubscribe([Trades]));
        AwaitCondition(() => venue.ClientMessages("unsubscribe").Length == 1, TimeSpan.FromSeconds(5));
        Assert.Equal("/contractMarket/execution:XBTUSDTM", venue.ClientMessages("unsubscribe")[0].Topic);

        venue.Ws.DropAll();
        Expect<FeedStreaming>(events);
        Assert.Equal(["/contractMarket/tickerV2:XBTUSDTM"], venue.ClientMessages("subscribe").Where(m => m.Token == "token-2").Select(m => m.Topic));
    }

    [Fact]
    public async Task A_lost_subscription_answer_replaces_the_connection_instead_of_subscribing_forever()
    {
        // The soak found it: a mangled ack left a feed "Connecting" for good while its data flowed. The first
        // connection's trade subscription is never answered; the next connection's is.
        await using var venue = await FeedHarness.StartAsync(Sys);
        venue.Ws.AckSubscriptions = false;
        venue.Ws.OnClientMessage = m => m.Type == "subscribe" && !(m.Token == "token-1" && m.Topic!.Contains("execution", StringComparison.Ordinal))
            ? [$$"""{"id":"{{m.Id}}","type":"ack"}"""]
            : [];
        var events = venue.WatchFeedEvents(this);
        venue.StartFeed(Sys, [Trades, Ticker], FeedHarness.FastSettings with { AckTimeout = TimeSpan.FromMilliseconds(400) });
        var backoff = Expect<FeedBackoff>(events, TimeSpan.FromSeconds(5));
        Assert.Matches(@"^no answer to 1 subscription request\(s\) within 0\.4 s \(first: .+\)$", backoff.Reason);
        Assert.Equal(2, Expect<FeedStreaming>(events, TimeSpan.FromSeconds(5)).Generation);
        Assert.Equal(2, venue.ClientMessages("subscribe").Count(m => m.Token == "token-2"));
    }

    [Fact]
    public async Task A_refused_subscription_is_reported_and_not_sent_again()
    {
        await using var venue = await FeedHarness.StartAsync(Sys);
        venue.Ws.AckSubscriptions = false;
        venue.Ws.OnClientMessage = m => m.Type == "subscribe"
            ? [m.Topic!.Contains("tickerV2", StringComparison.Ordinal) ? $$"""{"id":"{{m.Id}}","type":"error","code":404,"data":"topic not found"}""" : $$"""{"id":"{{m.Id}}","type":"ack"}"""]
            : [];
        var events = venue.WatchFeedEvents(this);
        var feed = venue.StartFeed(Sys, [Trades, Ticker]);
        var error = Expect<FeedError>(events);
        Assert.Equal(new ApiError("subscription-refused", "ticker:XBTUSDTM: 404 topic not found", 0), error.Error);
        Expect<FeedStreaming>(events);

        feed.Tell(FeedConnectionProtocol.Reconnect.Instance);
        Expect<FeedBackoff>(events);
        Expect<FeedStreaming>(events);
        Assert.Equal(["/contractMarket/execution:XBTUSDTM"], venue.ClientMessages("subscribe").Where(m => m.Token == "token-2").Select(m => m.Topic));
    }

    [Fact]
    public async Task The_send_window_throttles_a_burst_of_subscriptions_without_losing_any()
    {
        await using var venue = await FeedHarness.StartAsync(Sys);
        var events = venue.WatchFeedEvents(this);
        var window = new SendWindow(20, TimeSpan.FromSeconds(1));
        var feed = venue.StartFeed(Sys, [], FeedHarness.FastSettings with { SendWindow = window });
        Expect<FeedStreaming>(events);

        var wanted = Enumerable.Range(0, 60).Select(i => new Subscription(DataChannel.Trades, new("SYM" + i))).ToArray();
        foreach (var subscription in wanted)
        {
            feed.Tell(new FeedConnectionProtocol.Subscribe([subscription]));
        }

        AwaitCondition(() => venue.ClientMessages("subscribe").Length == 60, TimeSpan.FromSeconds(10));
        var sent = venue.Ws.Received.OrderBy(m => m.ReceivedAt).Select(m => m.ReceivedAt).ToArray();
        // Windows are checked on the server's clock with 200 ms of slack for loopback scheduling delays.
        var worst = sent.Select((t, i) => sent.Skip(i).TakeWhile(u => u - t < TimeSpan.FromMilliseconds(800)).Count()).Max();
        Assert.InRange(worst, 1, 20);
        Assert.True(sent[^1] - sent[0] >= TimeSpan.FromMilliseconds(1800), "60 frames at 18 per second (2 slots kept for pings) need three windows");
        Assert.Equal(wanted.Select(s => "/contractMarket/execution:" + s.Symbol).Order(), venue.ClientMessages("subscribe").Select(m => m.Topic).Order());
        var status = await feed.Ask<FeedConnectionProtocol.Status>(FeedConnectionProtocol.GetStatus.Instance, TimeSpan.FromSeconds(3));
        Assert.Equal(0, status.PendingSends);
        Assert.Equal(60, status.Subscriptions);
    }

    [Fact]
    public async Task Late_messages_from_an_old_generation_are_ignored()
    {
        await using var venue = await FeedHarness.StartAsync(Sys);
        var events = venue.WatchFeedEvents(this);
        var feed = venue.StartFeed(Sys, [Trades]);
        Expect<FeedStreaming>(events);
        venue.Ws.DropAll();
        Assert.Equal(2, Expect<FeedStreaming>(events).Generation);

        feed.Tell(new FeedSocketClosed(1, "late close from the first socket"));
        feed.Tell(new FeedControl(1, new ControlEvent(ControlKind.Shutdown, null, "late")));
        events.ExpectNoMsg(TimeSpan.FromMilliseconds(500));
        var status = await feed.Ask<FeedConnectionProtocol.Status>(FeedConnectionProtocol.GetStatus.Instance, TimeSpan.FromSeconds(3));
        Assert.Equal(FeedConnectionProtocol.State.Streaming, status.State);
        Assert.Equal(2, status.Generation);
        Assert.Equal(1, status.Reconnects);
    }

    [Fact]
    public async Task A_spot_feed_streams_spot_topics_through_the_same_actor()
    {
        await using var venue = await FeedHarness.StartAsync(Sys);
        var spotEvents = CreateTestProbe();
        venue.Bus.Subscribe(spotEvents, TopicFilter.Parse("kucoin.spot/feed/*"));
        var trades = CreateTestProbe();
        venue.Bus.Subscribe(trades, TopicFilter.Parse("kucoin.spot/trades/BTC-USDT"));
        venue.StartFeed(Sys, [new Subscription(DataChannel.Trades, new("BTC-USDT"))], market: MarketKind.Spot);
        Expect<FeedStreaming>(spotEvents);
        Assert.Equal("/market/match:BTC-USDT", Assert.Single(venue.ClientMessages("subscribe")).Topic);

        await venue.Ws.SendToAllAsync(Fixtures.KuCoin("spot_ws_market_match_symbol"));
        var trade = trades.ExpectMsg<Trade>(TimeSpan.FromSeconds(5));
        Assert.Equal((MarketKind.Spot, 67523m), (trade.Market, trade.Price));
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
