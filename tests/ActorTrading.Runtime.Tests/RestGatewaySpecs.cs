using ActorTrading.Core.Adapters;
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
}
