using System.Collections.Concurrent;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Core.Orders;
using ActorTrading.Runtime.Orders;
using ActorTrading.TestExchange;
using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Configuration;
using Akka.TestKit.Xunit2;
using Xunit;
using Xunit.Abstractions;

namespace ActorTrading.Journal.Tests;

/// <summary>
/// Orders as entities of the <c>orders</c> shard region on a one-member cluster (as every node runs them): passivated
/// when finished or idle, back from the journal on the next message, and never stopped with a venue call unanswered.
/// </summary>
public sealed class ShardedOrderSpecs : TestKit
{
    private static readonly VenueId KuCoin = VenueId.KuCoin;
    private readonly JournalDatabase _database;
    private readonly ConcurrentQueue<OrderEntryProtocol.ICommand> _venueReceived = new();
    private IActorRef? _gateway;

    public ShardedOrderSpecs(ITestOutputHelper output)
        : this(new SqliteJournalDatabase(), output)
    {
    }

    private ShardedOrderSpecs(JournalDatabase database, ITestOutputHelper output)
        : base(ConfigurationFactory.ParseString("""
            akka.actor.provider = cluster
            akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }
            akka.cluster.sharding.passivate-idle-entity-after = 2s
            """).WithFallback(database.SystemConfig()), output: output)
    {
        _database = database;
        var cluster = Akka.Cluster.Cluster.Get(Sys);
        cluster.Join(cluster.SelfAddress);
        AwaitCondition(() => cluster.SelfMember.Status == Akka.Cluster.MemberStatus.Up, TimeSpan.FromSeconds(10));
    }

    /// <summary>The venue answers every command (null: it never answers a placement).</summary>
    private Func<OrderEntryProtocol.ICommand, IReadOnlyList<OrderEntryResult>?> VenueScript { get; set; } = ScriptedVenue.AcceptAll;

    private (IActorRef Gateway, IActorRef Region) Orders(OrderActorSettings? settings = null)
    {
        var venue = Sys.ActorOf(Props.Create(() => new ScriptedVenue(_venueReceived, c => VenueScript(c), null)));
        var doors = VenueDoors.Direct(new Dictionary<(VenueId, MarketKind), IActorRef> { [(KuCoin, MarketKind.Futures)] = venue });
        var region = OrderEntities.StartShardRegion(Sys, doors, settings ?? new OrderActorSettings(), TimeProvider.System, () => _gateway!);
        _gateway = Sys.ActorOf(OrderGateway.Props(doors, orders: region));
        return (_gateway, region);
    }

    private static OrderGatewayProtocol.PlaceOrder Place(string requestId) =>
        new("s1", requestId, KuCoin, MarketKind.Futures, new Symbol("XBTUSDTM"), Side.Buy, OrderType.Limit, 1, 60000m);

    private static FillInfo Fill(string tradeId) => new(tradeId, 60000m, 1, 0.12m, "USDT", Liquidity.Maker);

    private OrderState AwaitStatus(Func<OrderState, bool> until, double seconds = 15) =>
        FishForMessage<OrderGatewayProtocol.OrderStatus>(s => until(s.State), TimeSpan.FromSeconds(seconds)).State;

    private static async Task<IReadOnlyCollection<string>> LiveOrdersAsync(IActorRef region) =>
        (await region.Ask<CurrentShardRegionState>(GetShardRegionState.Instance, TimeSpan.FromSeconds(5))).Shards.SelectMany(s => s.EntityIds).ToHashSet();

    [Fact]
    public async Task A_finished_order_is_passivated_and_comes_back_from_the_journal()
    {
        var (gateway, region) = Orders();
        var id = Place("r-8").ClientOrderId;
        gateway.Tell(Place("r-8"), TestActor);
        AwaitStatus(s => s.Status == OrderLifecycle.Acknowledged);
        Assert.Contains(id.Value, await LiveOrdersAsync(region));
        gateway.Tell(new OrderActorProtocol.ReportFill(id, Fill("t-8"), FillSource.WebSocket, null, 0));
        AwaitStatus(s => s.Status == OrderLifecycle.Filled);

        await AwaitConditionAsync(async () => !(await LiveOrdersAsync(region)).Contains(id.Value), TimeSpan.FromSeconds(10));
        var state = await gateway.Ask<OrderState>(new OrderGatewayProtocol.GetOrder(id), TimeSpan.FromSeconds(10));
        Assert.Equal((OrderLifecycle.Filled, 1m), (state.Status, state.FilledSize));
        Assert.Equal(["t-8"], state.TradeIds);
        Assert.IsType<OrderActorProtocol.NotFound>(await gateway.Ask<object>(new OrderGatewayProtocol.GetOrder(new ClientOrderId("never-placed")), TimeSpan.FromSeconds(10)));

        // A placement right behind a lookup of the same, still unknown id: the passivation the lookup asks for must not
        // swallow it (the shard holds it for the next incarnation, or the order is still there to take it).
        for (var i = 0; i < 20; i++)
        {
            gateway.Tell(new OrderGatewayProtocol.GetOrder(Place("race-" + i).ClientOrderId), TestActor);
            gateway.Tell(Place("race-" + i), TestActor);
        }

        var acknowledged = new HashSet<string>();
        FishForMessage(m =>
        {
            if (m is OrderGatewayProtocol.OrderStatus { State.Status: OrderLifecycle.Acknowledged } s)
            {
                acknowledged.Add(s.State.ClientOrderId.Value);
            }

            return acknowledged.Count == 20;
        }, TimeSpan.FromSeconds(20));
        Assert.Equal(21, _venueReceived.Count);   // r-8 and the 20 racers, each placed once
    }

    [Fact]
    public async Task An_idle_open_order_is_passivated_and_its_next_fill_recovers_it_and_is_recorded_once()
    {
        var (gateway, region) = Orders();
        var id = Place("idle").ClientOrderId;
        gateway.Tell(Place("idle"), TestActor);
        AwaitStatus(s => s.Status == OrderLifecycle.Acknowledged);

        await AwaitConditionAsync(async () => !(await LiveOrdersAsync(region)).Contains(id.Value), TimeSpan.FromSeconds(10));
        gateway.Tell(new OrderActorProtocol.ReportFill(id, Fill("t-idle"), FillSource.WebSocket, null, 0));
        gateway.Tell(new OrderActorProtocol.ReportFill(id, Fill("t-idle"), FillSource.Rest, null, 0));
        var filled = AwaitStatus(s => s.Status == OrderLifecycle.Filled);
        Assert.Equal(1m, filled.FilledSize);
        Assert.Equal(["t-idle"], filled.TradeIds);
        var journaled = await gateway.Ask<OrderState>(new OrderGatewayProtocol.GetOrder(id), TimeSpan.FromSeconds(10));
        Assert.Equal(filled with { TradeIds = journaled.TradeIds }, journaled);
        Assert.Equal(["t-idle"], journaled.TradeIds);
    }

    [Fact]
    public async Task An_order_whose_placement_is_unanswered_stops_only_after_the_answer_is_journaled()
    {
        // The venue never answers: the order sits idle past the shard's idle timeout with its placement in flight.
        VenueScript = _ => null;
        var (gateway, region) = Orders(new OrderActorSettings { VenueAnswerTimeout = TimeSpan.FromSeconds(5) });
        var id = Place("silent").ClientOrderId;
        gateway.Tell(Place("silent"), TestActor);
        AwaitStatus(s => s.Status == OrderLifecycle.Submitted);

        await Task.Delay(TimeSpan.FromSeconds(3.5));   // idle 2 s: the shard has asked it to stop by now
        Assert.Contains(id.Value, await LiveOrdersAsync(region));

        // The ask's timeout is the answer: journaled as Unknown (to be resolved at the venue), then the order stops.
        var unknown = AwaitStatus(s => s.Status == OrderLifecycle.Unknown, 10);
        Assert.Equal(id, unknown.ClientOrderId);
        await AwaitConditionAsync(async () => !(await LiveOrdersAsync(region)).Contains(id.Value), TimeSpan.FromSeconds(10));
        Assert.Equal(OrderLifecycle.Unknown, (await gateway.Ask<OrderState>(new OrderGatewayProtocol.GetOrder(id), TimeSpan.FromSeconds(10))).Status);
        Assert.Single(_venueReceived);
    }

    [Fact]
    public async Task A_prepared_order_is_started_before_its_placement_and_one_never_placed_writes_nothing_and_is_passivated()
    {
        var (gateway, region) = Orders();
        var placed = Place("next-1");
        var neverPlaced = Place("next-2").ClientOrderId;
        gateway.Tell(new OrderGatewayProtocol.PrepareOrder("s1", "next-1", KuCoin));
        gateway.Tell(new OrderGatewayProtocol.PrepareOrder("s1", "next-2", KuCoin));

        // Both actors run before any placement, and neither has journaled or sent a thing.
        await AwaitConditionAsync(async () => new[] { placed.ClientOrderId.Value, neverPlaced.Value }.All((await LiveOrdersAsync(region)).Contains), TimeSpan.FromSeconds(10));
        Assert.Empty(_database.Rows(OrderActor.PersistenceIdFor(placed.ClientOrderId)));
        Assert.Empty(_venueReceived);

        // The prepared actor takes its placement as any other: journaled first, sent once, acknowledged.
        gateway.Tell(placed, TestActor);
        var acknowledged = AwaitStatus(s => s.Status == OrderLifecycle.Acknowledged);
        Assert.Equal(placed.ClientOrderId, acknowledged.ClientOrderId);
        var place = Assert.IsType<OrderEntryProtocol.Place>(Assert.Single(_venueReceived));
        Assert.Equal([placed.ClientOrderId], place.Orders.Select(o => o.ClientOrderId));
        Assert.Equal(["order-submitted.v3", "order-acknowledged.v1"], _database.Rows(OrderActor.PersistenceIdFor(placed.ClientOrderId)).Select(r => r.Manifest));

        // The one never placed: passivated once idle (2 s here), nothing on record, unknown to the desk.
        await AwaitConditionAsync(async () => !(await LiveOrdersAsync(region)).Contains(neverPlaced.Value), TimeSpan.FromSeconds(10));
        Assert.Empty(_database.Rows(OrderActor.PersistenceIdFor(neverPlaced)));
        Assert.IsType<OrderActorProtocol.NotFound>(await gateway.Ask<object>(new OrderGatewayProtocol.GetOrder(neverPlaced), TimeSpan.FromSeconds(10)));

        // Preparing an order that exists changes nothing: the acknowledged one keeps its state and is not sent again.
        gateway.Tell(new OrderGatewayProtocol.PrepareOrder("s1", "next-1", KuCoin));
        Assert.Equal(OrderLifecycle.Acknowledged, (await gateway.Ask<OrderState>(new OrderGatewayProtocol.GetOrder(placed.ClientOrderId), TimeSpan.FromSeconds(10))).Status);
        Assert.Single(_venueReceived);
    }

    protected override void AfterAll()
    {
        base.AfterAll();
        _database.Dispose();
    }
}
