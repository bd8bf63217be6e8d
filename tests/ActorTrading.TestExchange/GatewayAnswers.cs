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
}
