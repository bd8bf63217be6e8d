using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Core.Orders;
using ActorTrading.Journal;
using ActorTrading.TestExchange;
using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace ActorTrading.Cluster.Tests;

public sealed class ClusterOrderSpecs
{
    private static readonly VenueId Binance = new("binance");

    private static IActorRef Orders(IHost host) => host.Services.GetRequiredService<IRequiredActor<OrderGateway>>().ActorRef;

    private static IActorRef Region(IHost host) => host.Services.GetRequiredService<IRequiredActor<OrderActor>>().ActorRef;

    private static async Task<bool> HoldsAsync(IHost host, ClientOrderId id) =>
        (await Region(host).Ask<CurrentShardRegionState>(GetShardRegionState.Instance, TimeSpan.FromSeconds(5))).Shards.Any(s => s.EntityIds.Contains(id.Value));

    [Fact]
    public async Task An_order_placed_on_one_node_is_journaled_once_filled_once_and_its_entity_recovers_on_the_survivor_when_its_node_leaves()
    {
        await using var venue = await FakeBinanceVenue.StartAsync();
        var account = new FakeBinanceAccount(venue, futures: false);
        await using var cluster = await ClusterNodes.StartAsync(2, ClusterRateBudgetSpecs.SpotAt(venue, "orders", "balances"), ClusterRateBudgetSpecs.Credentials);

        // A strategy's messages from the second node, to the one order desk (on the first, oldest node) and back.
        var inbox = Inbox.Create(ClusterNodes.System(cluster.Hosts[1]));
        var request = string.Empty;
        var acknowledged = await GatewayAnswers.PlaceUntilAcknowledgedAsync(inbox, Orders(cluster.Hosts[1]), attempt => Place(request = "c" + attempt));

        Assert.NotNull(acknowledged);
        var id = acknowledged!.State.ClientOrderId;
        Assert.Equal((1, "7001"), (account.Placements, acknowledged.State.VenueOrderId));

        // The fill comes over the private feed (on the first node) and reaches the strategy on the second, once.
        await account.FillAsync(id.Value, 0.004m, 60000.5m, tradeId: 5001, pushes: 2);
        var filled = await GatewayAnswers.NextAsync(inbox, s => s.State.Status == OrderLifecycle.PartiallyFilled);
        Assert.Equal(0.004m, filled!.State.FilledSize);
        Assert.IsType<OrderEvents.FillRecorded>(filled.Event);
        await Task.Delay(500);   // the second push must change nothing
        Assert.Single(cluster.Journal.Rows(OrderActor.PersistenceIdFor(id)), r => r.Manifest == "fill-recorded.v1");

        // The node that holds the order's entity leaves (the first also takes the desk and the venue with it).
        var holders = new List<IHost>();
        foreach (var host in cluster.Hosts)
        {
            if (await HoldsAsync(host, id))
            {
                holders.Add(host);
            }
        }

        var holder = Assert.Single(holders);
        var survivor = cluster.Hosts.Single(h => h != holder);
        await cluster.StopAsync(holder);

        // On the survivor the entity comes back from the PostgreSQL journal alone, and lives there.
        var state = await Orders(survivor).Ask<OrderState>(new OrderGatewayProtocol.GetOrder(id), TimeSpan.FromSeconds(30));
        Assert.Equal((OrderLifecycle.PartiallyFilled, 0.004m, "7001"), (state.Status, state.FilledSize, state.VenueOrderId));
        Assert.Equal(["5001"], state.TradeIds);
        Assert.True(await HoldsAsync(survivor, id));

        // A retry of the same placement from the survivor places nothing twice.
        var retry = Inbox.Create(ClusterNodes.System(survivor));
        retry.Send(Orders(survivor), Place(request));
        var repeated = await GatewayAnswers.NextAsync(retry, _ => true);
        Assert.Equal((id, OrderLifecycle.PartiallyFilled), (repeated!.State.ClientOrderId, repeated.State.Status));
        Assert.Equal(1, account.Placements);
    }

    private static OrderGatewayProtocol.PlaceOrder Place(string request) =>
        new("desk", request, Binance, MarketKind.Spot, new Symbol("BTCUSDT"), Side.Buy, OrderType.Limit, 0.01m, 60000.5m);
}
