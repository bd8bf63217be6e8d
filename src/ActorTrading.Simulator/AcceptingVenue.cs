using ActorTrading.Core.Ids;
using ActorTrading.Core.Orders;
using ActorTrading.Runtime.Orders;
using Akka.Actor;

namespace ActorTrading.Simulator;

/// <summary>
/// An order door that accepts every command (the journal drill's venue, and specs'): placed orders get venue id
/// <c>v-{clientOrderId}</c>.
/// </summary>
public sealed class AcceptingVenue : ReceiveActor
{
    public AcceptingVenue() => Receive<OrderEntryProtocol.ICommand>(c => Sender.Tell(new OrderEntryProtocol.Results(Accept(c))));

    public static IReadOnlyList<OrderEntryResult> Accept(OrderEntryProtocol.ICommand command) =>
        command.ClientOrderIds.Select(id => (OrderEntryResult)new OrderAccepted(id, VenueOrderId(id))).ToArray();

    public static string VenueOrderId(ClientOrderId id) => "v-" + id.Value;
}
