using ActorTrading.Journal;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

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
