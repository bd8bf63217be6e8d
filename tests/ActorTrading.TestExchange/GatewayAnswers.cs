using ActorTrading.Core.Orders;
using ActorTrading.Journal;
using Akka.Actor;

namespace ActorTrading.TestExchange;

/// <summary>Reading what the order gateway tells a strategy, as a spec's inbox receives it.</summary>
public static class GatewayAnswers
{
    /// <summary>The first answer for the order that satisfies <paramref name="done"/> (or is terminal); null after a refusal or 15 s.</summary>
    public static async Task<OrderGatewayProtocol.OrderStatus?> NextAsync(Inbox inbox, Func<OrderGatewayProtocol.OrderStatus, bool> done)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(15);
        while (DateTimeOffset.UtcNow < deadline)
        {
            switch (await inbox.ReceiveAsync(deadline - DateTimeOffset.UtcNow).ConfigureAwait(false))
            {
                case OrderGatewayProtocol.OrderStatus status when done(status) || status.State.IsTerminal:
                    return status;
                case OrderGatewayProtocol.CommandRefused:
                    return null;
            }
        }

        return null;
    }

    /// <summary>
    /// Sends <paramref name="place"/>(attempt) to <paramref name="gateway"/> until an order is acknowledged (until the
    /// first reconciliation has read the positions, the gateway refuses new orders): the acknowledgement, or null after
    /// 40 attempts.
    /// </summary>
    public static async Task<OrderGatewayProtocol.OrderStatus?> PlaceUntilAcknowledgedAsync(Inbox inbox, IActorRef gateway, Func<int, object> place)
    {
        for (var attempt = 0; attempt < 40; attempt++)
        {
            inbox.Send(gateway, place(attempt));
            if (await NextAsync(inbox, s => s.State.Status != OrderLifecycle.Submitted).ConfigureAwait(false) is { State.Status: OrderLifecycle.Acknowledged } acknowledged)
            {
                return acknowledged;
            }

            await Task.Delay(250).ConfigureAwait(false);
        }

        return null;
    }
}
