using ActorTrading.Core.Ids;
using ActorTrading.Core.Orders;
using ActorTrading.Journal;
using ActorTrading.TestExchange;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace ActorTrading.Node.Tests;

/// <summary>A node built for a spec: started, handed to the spec's steps with its order gateway and an inbox, stopped whatever happens.</summary>
internal static class RunningNode
{
    public static async Task WithAsync(IHost host, Func<IActorRef, Inbox, Task> steps)
    {
        using (host)
        {
            await host.StartAsync();
            try
            {
                var inbox = Inbox.Create(host.Services.GetRequiredService<ActorSystem>());
                await steps(host.Services.GetRequiredService<IRequiredActor<OrderGateway>>().ActorRef, inbox);
            }
            finally
            {
                await host.StopAsync();
            }
        }
    }
}

/// <summary>Steps every venue's order flow goes through, on its fake's account.</summary>
internal static class OrderFlowSteps
{
    /// <summary>A partial fill pushed twice on the private stream: the order shows it once.</summary>
    public static async Task FillPushedTwiceCountsOnceAsync(IFakeAccount account, IActorRef gateway, Inbox inbox, string id, decimal size, string tradeId)
    {
        Assert.True(await account.FillAsync(id, size, 60000.5m, tradeId, 2));
        var filled = await GatewayAnswers.NextAsync(inbox, s => s.State.Status == OrderLifecycle.PartiallyFilled);
        Assert.Equal(size, filled!.State.FilledSize);
        await Task.Delay(500);   // the second push must change nothing
        var state = await gateway.Ask<OrderState>(new OrderGatewayProtocol.GetOrder(new ClientOrderId(id)), TimeSpan.FromSeconds(10));
        Assert.Equal((size, 1), (state.FilledSize, state.TradeIds.Count));
    }

    /// <summary>A fill whose push is lost, then the venue drops the sockets: the reconnected stream's reconciliation brings it.</summary>
    public static async Task LostFillComesAfterReconnectAsync(IFakeAccount account, FakeWebSocketServer ws, IActorRef gateway, string id, decimal size, string tradeId,
        decimal filledAfter, int fillsAfter)
    {
        Assert.True(await account.FillAsync(id, size, 60000.5m, tradeId, 0));
        ws.DropAll();
        async Task<OrderState> Order() => await gateway.Ask<OrderState>(new OrderGatewayProtocol.GetOrder(new ClientOrderId(id)), TimeSpan.FromSeconds(10));
        await Eventually.Until(async () => (await Order()).FilledSize == filledAfter, 30);
        var state = await Order();
        Assert.Equal((filledAfter, fillsAfter), (state.FilledSize, state.TradeIds.Count));
    }
}
