using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Core.Orders;
using ActorTrading.Runtime.Orders;
using ActorTrading.Runtime.Venues;
using ActorTrading.TestExchange;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace ActorTrading.Cluster.Tests;

public sealed class ClusterRateBudgetSpecs
{
    private static readonly VenueId Binance = new("binance");

    public static readonly IReadOnlyDictionary<string, string?> Credentials =
        new Dictionary<string, string?> { ["BINANCE_API_KEY"] = FakeBinanceVenue.ApiKey, ["BINANCE_API_SECRET"] = FakeBinanceVenue.Secret };

    /// <summary>Binance Spot pointed at the fake with order entry on (and these private channels); KuCoin and the strategies off.</summary>
    public static Func<Microsoft.Extensions.Configuration.IConfiguration, Dictionary<string, string?>> SpotAt(FakeBinanceVenue venue, params string[] privateChannels) => baseline =>
    {
        var settings = new Dictionary<string, string?>
        {
            ["Venues:0:Enabled"] = "false",
            ["Venues:1:Venue"] = "binance",
            ["Venues:1:Market"] = "spot",
            ["Venues:1:RestBaseUrl"] = venue.RestUri.ToString(),
            ["Venues:1:WsEndpoint"] = venue.StreamBase.ToString(),
            ["Venues:1:Symbols:0"] = "BTCUSDT",
            ["Venues:1:Channels:0"] = "trades",
            ["Venues:1:Orders:Enabled"] = "true",
        };
        for (var i = 0; i < privateChannels.Length; i++)
        {
            settings[$"Venues:1:PrivateChannels:{i}"] = privateChannels[i];
        }

        foreach (var strategy in baseline.GetSection("Strategies").GetChildren())
        {
            settings[$"Strategies:{strategy.Key}:Enabled"] = "false";
        }

        return settings;
    };

    /// <summary>Places <paramref name="count"/> orders from <paramref name="host"/> through its door to the venue, all at once.</summary>
    private static Task<OrderEntryProtocol.Results[]> BurstAsync(IHost host, string prefix, int count)
    {
        var exchanges = host.Services.GetRequiredService<IRequiredActor<ExchangesRoot>>().ActorRef;
        return Task.WhenAll(Enumerable.Range(1, count).Select(i => exchanges.Ask<OrderEntryProtocol.Results>(
            new ExchangesRootProtocol.ToVenue(Binance, MarketKind.Spot, new OrderEntryProtocol.Place(
                [new OrderTicket(new ClientOrderId($"{prefix}-{i}"), new Symbol("BTCUSDT"), Side.Buy, OrderType.Limit, 0.001m, 50_000m)])),
            TimeSpan.FromSeconds(60))));
    }

    [Fact]
    public async Task Two_nodes_bursting_orders_together_stay_within_the_venues_one_order_limit()
    {
        await using var venue = await FakeBinanceVenue.StartAsync();
        var account = new FakeBinanceAccount(venue, futures: false);
        await using var cluster = await ClusterNodes.StartAsync(2, SpotAt(venue), Credentials);

        // Binance Spot takes 100 orders per 10 s per account: 2 x 80 at once is more than one window holds.
        var bursts = await Task.WhenAll(BurstAsync(cluster.Hosts[0], "a", 80), BurstAsync(cluster.Hosts[1], "b", 80));

        var results = bursts.SelectMany(b => b).SelectMany(r => r.Items).ToArray();
        Assert.Equal(160, results.Length);
        Assert.All(results, r => Assert.IsType<OrderAccepted>(r));
        var times = account.PlacementTimes;
        Assert.Equal(160, times.Count);
        var busiestWindow = times.Max(start => times.Count(t => t >= start && t < start + TimeSpan.FromSeconds(10)));
        Assert.True(busiestWindow <= 100, $"{busiestWindow} orders reached the venue within 10 s");
        Assert.True(times[^1] - times[0] >= TimeSpan.FromSeconds(9), $"160 orders in {(times[^1] - times[0]).TotalSeconds:0.0} s");
    }
}
