using System.Collections.Concurrent;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Orders;
using ActorTrading.Runtime.Orders;
using ActorTrading.Simulator;
using Akka.Actor;

namespace ActorTrading.Journal.Tests;

/// <summary>A venue order door that answers each order command as the spec scripts it, and keeps what it was sent.</summary>
public sealed class ScriptedVenue : ReceiveActor
{
    public ScriptedVenue(ConcurrentQueue<OrderEntryProtocol.ICommand> received, Func<OrderEntryProtocol.ICommand, IReadOnlyList<OrderEntryResult>?> answer,
        Func<OrderEntryProtocol.IQuery, object>? query = null)
    {
        Receive<OrderEntryProtocol.IQuery>(q => Sender.Tell(query?.Invoke(q) ?? q.Unanswerable(new ConfigurationError("no queries scripted"))));
        Receive<OrderEntryProtocol.ICommand>(command =>
        {
            received.Enqueue(command);
            if (answer(command) is { } results)
            {
                Sender.Tell(new OrderEntryProtocol.Results(results));
            }
        });
    }

    /// <summary>Accepts everything, as <see cref="AcceptingVenue"/> does.</summary>
    public static IReadOnlyList<OrderEntryResult> AcceptAll(OrderEntryProtocol.ICommand command) => AcceptingVenue.Accept(command);
}
