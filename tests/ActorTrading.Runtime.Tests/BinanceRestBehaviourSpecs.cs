using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Exchanges.Binance;
using ActorTrading.Exchanges.Binance.Auth;
using ActorTrading.Exchanges.Binance.Rest;
using ActorTrading.Runtime.Limits;
using ActorTrading.Runtime.Rest;
using ActorTrading.TestExchange;
using Akka.TestKit.Xunit2;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using Xunit;

namespace ActorTrading.Runtime.Tests;

/// <summary>How the node treats Binance's timing, throttling and bans, against the fake venue.</summary>
public sealed class BinanceRestBehaviourSpecs : TestKit
{
    private static readonly BinanceCredentials Credentials = new(FakeBinanceVenue.ApiKey, FakeBinanceVenue.Secret);

    [Fact]
    public async Task A_timestamp_outside_the_window_syncs_the_clock_to_the_venues_and_the_request_is_signed_again_once()
    {
        await using var venue = await FakeBinanceVenue.StartAsync();
        var serverTime = DateTimeOffset.UtcNow.AddSeconds(30).ToUnixTimeMilliseconds();
        venue.Rest.Given(Request.Create().WithPath("/api/v3/time").UsingGet())
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody($$"""{"serverTime":{{serverTime}}}"""));
        venue.ServeSigned("/api/v3/account", "GET", p => long.Parse(p["timestamp"], System.Globalization.CultureInfo.InvariantCulture) < serverTime - 1000
            ? (400, """{"code":-1021,"msg":"Timestamp for this request is outside of the recvWindow."}""")
            : (200, """{"canTrade":true,"balances":[{"asset":"BTC","free":"0.5","locked":"0.1"}]}"""));
        using var http = new HttpClient();
        var rest = new RestClient(http, new BinanceRestAdapter(MarketKind.Spot, venue.RestUri, Credentials));

        var account = await new BinanceTrading(rest, MarketKind.Spot).GetSpotAccountAsync();

        Assert.Equal(new BinanceSpotBalance("BTC", 0.5m, 0.1m), Assert.Single(account.Balances));
        Assert.InRange(rest.ClockOffset.TotalSeconds, 25, 35);
        Assert.Equal(2, venue.SignedQueries.Count);
    }

    [Fact]
    public async Task A_429_waits_the_retry_after_and_a_418_closes_the_venue_with_nothing_sent_until_the_ban_ends()
    {
        await using var venue = await FakeBinanceVenue.StartAsync();
        venue.Rest.Given(Request.Create().WithPath("/api/v3/ticker/bookTicker").UsingGet()).InScenario("throttle").WillSetStateTo("open")
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "1").WithBody("""{"code":-1003,"msg":"Too many requests."}"""));
        venue.Rest.Given(Request.Create().WithPath("/api/v3/ticker/bookTicker").UsingGet()).InScenario("throttle").WhenStateIs("open")
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithHeader("X-MBX-USED-WEIGHT-1M", "12")
                .WithBody("""{"symbol":"BTCUSDT","bidPrice":"60000.00","bidQty":"1.5","askPrice":"60000.10","askQty":"2"}"""));
        venue.Rest.Given(Request.Create().WithPath("/api/v3/depth").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(418).WithHeader("Retry-After", "2").WithBody("""{"code":-1003,"msg":"Way too much request weight used; IP banned."}"""));
        using var http = new HttpClient();
        var limiter = Sys.ActorOf(RateLimiter.Props(BinanceVenue.SpotLimits));
        var gateway = Sys.ActorOf(RestGateway.Props(new RestClient(http, new BinanceRestAdapter(MarketKind.Spot, venue.RestUri)), limiter));
        var market = new BinanceMarketData(new GatewayRestExecutor(gateway, TimeSpan.FromSeconds(20)), MarketKind.Spot);

        var started = DateTimeOffset.UtcNow;
        var ticker = await market.GetBookTickerAsync("BTCUSDT");
        Assert.Equal(60000.10m, ticker.AskPrice);
        Assert.True(DateTimeOffset.UtcNow - started >= TimeSpan.FromMilliseconds(900), "the retry waited the venue's Retry-After");

        var banned = await Assert.ThrowsAsync<ExchangeException>(() => market.GetOrderBookAsync("BTCUSDT", 100));
        Assert.Equal(TimeSpan.FromSeconds(2), Assert.IsType<IpBannedError>(banned.Error).RetryAfter);
        var refused = await Assert.ThrowsAsync<ExchangeException>(() => market.GetBookTickerAsync("BTCUSDT"));
        Assert.IsType<IpBannedError>(refused.Error);
        Assert.Single(venue.Rest.LogEntries, e => e.RequestMessage.Path == "/api/v3/depth");   // never retried into the ban
        Assert.Equal(2, venue.Rest.LogEntries.Count(e => e.RequestMessage.Path == "/api/v3/ticker/bookTicker"));   // the refused one was never sent

        await Task.Delay(TimeSpan.FromSeconds(2.2));
        Assert.Equal(60000.00m, (await market.GetBookTickerAsync("BTCUSDT")).BidPrice);
    }
}
