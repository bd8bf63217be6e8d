using ActorTrading.Core.Ids;
using Akka.Actor;
using Akka.Cluster.Sharding;

namespace ActorTrading.Journal;

/// <summary>
/// Where the order actors live. On a cluster member: the <c>orders</c> shard region, one entity per client order id,
/// so each order has one writer in the whole cluster and comes back on another node (from the shared journal) when
/// its node is gone. Elsewhere (a tool, a test, a replay): <see cref="LocalOrders"/>, children of the gateway.
/// </summary>
public static class OrderEntities
{
    public const string TypeName = "orders";

    /// <summary>
    /// The shard region of the orders on this node. Entities reply to <paramref name="gateway"/> (the order desk's proxy)
    /// and are stopped with <see cref="OrderActorProtocol.Stop"/>, whether they asked to be passivated or sat idle.
    /// </summary>
    public static IActorRef StartShardRegion(ActorSystem system, VenueDoors doors, OrderActorSettings settings, TimeProvider clock, Func<IActorRef> gateway)
    {
        var sharding = ClusterSharding.Get(system);
        var shardingSettings = ClusterShardingSettings.Create(system);
        return sharding.Start(
            TypeName,
            entityId => OrderActor.Props(new ClientOrderId(entityId), doors, settings, clock, gateway()),
            shardingSettings,
            new OrderMessageExtractor(),
            sharding.DefaultShardAllocationStrategy(shardingSettings),
            OrderActorProtocol.Stop.Instance);
    }
}

/// <summary>Entity id: the client order id; shard: its hash over a fixed number of shards (never change it in a running cluster).</summary>
public sealed class OrderMessageExtractor() : HashCodeMessageExtractor(MaxShards)
{
    public const int MaxShards = 100;

    public override string? EntityId(object message) => (message as OrderActorProtocol.IOrderMessage)?.ClientOrderId.Value;
}

/// <summary>
/// The order actors of a process outside a cluster: one child per client order id, created by the first message for it.
/// A passivation request is declined (the order stays in memory): such processes are short-lived tools, tests and
/// replays, and stopping an order safely needs what cluster sharding does (hold its messages until it has stopped).
/// </summary>
public sealed class LocalOrders : ReceiveActor
{
    private readonly Dictionary<ClientOrderId, IActorRef> _orders = new();

    public LocalOrders(VenueDoors doors, OrderActorSettings settings, TimeProvider clock, IActorRef gateway)
    {
        // Declined: here an order made for a placement that never comes would stay in memory for good.
        Receive<OrderActorProtocol.Prepare>(_ => { });
        Receive<OrderActorProtocol.IOrderMessage>(message =>
        {
            var id = message.ClientOrderId;
            if (!_orders.TryGetValue(id, out var order))
            {
                order = Context.ActorOf(OrderActor.Props(id, doors, settings, clock, gateway), "order-" + Uri.EscapeDataString(id.Value));
                _orders[id] = order;
            }

            order.Forward(message);
        });
        Receive<Passivate>(_ => { });
    }

    public static Props Props(VenueDoors doors, OrderActorSettings settings, TimeProvider clock, IActorRef gateway) =>
        Akka.Actor.Props.Create(() => new LocalOrders(doors, settings, clock, gateway));
}
