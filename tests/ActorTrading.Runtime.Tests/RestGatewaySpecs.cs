using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Exchanges.KuCoin.Rest;
using ActorTrading.Runtime.Limits;
using ActorTrading.Runtime.Rest;
using ActorTrading.TestExchange;
using Akka.TestKit.Xunit2;
using Xunit;

namespace ActorTrading.Runtime.Tests;

public sealed class RestGatewaySpecs : TestKit
{
    [Fact]
    public async Task A_burst_of_ten_times_the_quota_is_queued_and_spread_never_over_the_limit()
    {
        using var venue = new FakeKuCoinRest();
        venue.ServeJson("/api/v1/timestamp", Fixtures.KuCoin("futures_rest_GET_api_v1_timestamp.response"));
        using var http = new HttpClient();
        var limiter = Sys.ActorOf(RateLimiter.Props(new Dictionary<string, int> { ["public"] = 10 }, TimeSpan.FromMilliseconds(500)));
        var gateway = Sys.ActorOf(RestGateway.Props(new RestClient(http, new KuCoinRestAdapter(venue.BaseUri)), limiter));
        var executor = new GatewayRestExecutor(gateway, TimeSpan.FromSeconds(20));

        // Warm the server and open the pool's connections, so connection set-up cannot delay (and bunch) the first burst.
        var warmUp = new RestClient(http, new KuCoinRestAdapter(venue.BaseUri));
        await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => warmUp.SendAsync(RestRequest.Get("/api/v1/timestamp", "public", 1), default)));
        await Task.Delay(400);
        venue.Server.ResetLogEntries();

        var requests = Enumerable.Range(0, 100).Select(_ => executor.SendAsync(RestRequest.Get("/api/v1/timestamp", "public", 1), default)).ToArray();
        var results = await Task.WhenAll(requests);

        Assert.All(results, r => Assert.Equal(1729260030774L, r.GetInt64()));
        var times = venue.Server.LogEntries.Select(e => e.RequestMessage.DateTime).OrderBy(t => t).ToArray();
        Assert.Equal(100, times.Length);
        var worst = times.Select((t, i) => times.Skip(i).TakeWhile(u => u - t < TimeSpan.FromMilliseconds(350)).Count()).Max();
        Assert.True(worst <= 10, "server saw " + worst + " within 350 ms: " + string.Join(" ", times.Select(t => (t - times[0]).TotalMilliseconds.ToString("0", System.Globalization.CultureInfo.InvariantCulture))));
        Assert.True(times[^1] - times[0] >= TimeSpan.FromMilliseconds(4500), "100 requests at 10 per 500 ms take at least nine refills");
    }

    [Fact]
    public async Task Venue_quota_headers_hold_the_pool_until_reset()
    {
        using var venue = new FakeKuCoinRest();
        venue.ServeJson("/api/v1/timestamp", Fixtures.KuCoin("futures_rest_GET_api_v1_timestamp.response"),
            headers: new Dictionary<string, string> { ["gw-ratelimit-limit"] = "2000", ["gw-ratelimit-remaining"] = "0", ["gw-ratelimit-reset"] = "600" });
        using var http = new HttpClient();
        var limiter = Sys.ActorOf(RateLimiter.Props(new Dictionary<string, int> { ["public"] = 2000 }, TimeSpan.FromSeconds(30)));
        var gateway = Sys.ActorOf(RestGateway.Props(new RestClient(http, new KuCoinRestAdapter(venue.BaseUri)), limiter));
        var executor = new GatewayRestExecutor(gateway, TimeSpan.FromSeconds(20));

        await executor.SendAsync(RestRequest.Get("/api/v1/timestamp", "public", 1), default);
        await executor.SendAsync(RestRequest.Get("/api/v1/timestamp", "public", 1), default);

        var times = venue.Server.LogEntries.Select(e => e.RequestMessage.DateTime).OrderBy(t => t).ToArray();
        Assert.InRange((times[1] - times[0]).TotalMilliseconds, 550, 3000);
    }

    [Fact]
    public async Task An_ip_ban_closes_the_venue_until_retry_after_with_no_request_sent_meanwhile_and_is_never_retried()
    {
        using var venue = new FakeKuCoinRest();
        venue.ServeJson("/api/v1/timestamp", """{"code":-1003,"msg":"Way too much request weight used; IP banned until later."}""", status: 418,
            headers: new Dictionary<string, string> { ["Retry-After"] = "2" });
        using var http = new HttpClient();
        var limiter = Sys.ActorOf(RateLimiter.Props(new Dictionary<string, int> { ["public"] = 100, ["private"] = 100 }, TimeSpan.FromSeconds(1)));
        var gateway = Sys.ActorOf(RestGateway.Props(new RestClient(http, new BanningAdapter(new KuCoinRestAdapter(venue.BaseUri))), limiter));
        var executor = new GatewayRestExecutor(gateway, TimeSpan.FromSeconds(20));

        var first = await Assert.ThrowsAsync<ExchangeException>(() => executor.SendAsync(RestRequest.Get("/api/v1/timestamp", "public", 1), default));
        var ban = Assert.IsType<IpBannedError>(first.Error);
        Assert.Equal((TimeSpan.FromSeconds(2), "banned: the venue banned this IP for 2 s (GET /api/v1/timestamp): no requests until then"), (ban.RetryAfter, ban.ToString()));
        Assert.Single(venue.Server.LogEntries);   // a 418 is never retried

        // Meanwhile every pool is closed: other requests fail at once with what the ban has left, and none is sent.
        venue.Server.Reset();
        venue.ServeJson("/api/v1/timestamp", Fixtures.KuCoin("futures_rest_GET_api_v1_timestamp.response"));
        var during = await Assert.ThrowsAsync<ExchangeException>(() => executor.SendAsync(RestRequest.Get("/api/v1/timestamp", "private", 1), default));
        Assert.InRange(Assert.IsType<IpBannedError>(during.Error).RetryAfter, TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(2));
        Assert.Empty(venue.Server.LogEntries);

        await Task.Delay(TimeSpan.FromSeconds(2.2));
        Assert.Equal(1729260030774L, (await executor.SendAsync(RestRequest.Get("/api/v1/timestamp", "public", 1), default)).GetInt64());
        Assert.Single(venue.Server.LogEntries);
    }

    /// <summary>KuCoin's REST with a venue's IP ban on top (HTTP 418 + Retry-After, as Binance answers).</summary>
    private sealed class BanningAdapter(IRestAdapter inner) : IRestAdapter
    {
        public Uri BaseUri => inner.BaseUri;

        public RestRequest ServerTimeRequest => inner.ServerTimeRequest;

        public RestOutcome Unwrap(int httpStatus, ReadOnlySpan<byte> body, TimeSpan? retryAfter) => inner.Unwrap(httpStatus, body, retryAfter);

        public WireRequest Prepare(RestRequest request, long timestampMs) => inner.Prepare(request, timestampMs);

        public RateLimitObservation? ObserveRateLimit(string pool, Func<string, string?> header) => inner.ObserveRateLimit(pool, header);

        public TimeSpan? RetryAfter(Func<string, string?> header) => inner.RetryAfter(header);

        public TimeSpan? BanDuration(int httpStatus, Func<string, string?> header) =>
            httpStatus == 418 && int.TryParse(header("Retry-After"), out var seconds) ? TimeSpan.FromSeconds(seconds) : null;

        public long ParseServerTime(System.Text.Json.JsonElement data) => inner.ParseServerTime(data);

        public bool IsClockSkew(ExchangeError error) => inner.IsClockSkew(error);
    }
}
