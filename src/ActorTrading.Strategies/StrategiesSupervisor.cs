using ActorTrading.Core.Errors;
using Akka.Actor;

namespace ActorTrading.Strategies;

public static class StrategiesProtocol
{
    /// <summary>Every strategy's <see cref="StrategyProtocol.Status"/>, answered with <see cref="Statuses"/>.</summary>
    public sealed class GetStatuses
    {
        public static readonly GetStatuses Instance = new();

        private GetStatuses()
        {
        }
    }

    public sealed record Statuses(IReadOnlyList<StrategyProtocol.Status> Items);
}

/// <summary>
/// <c>/user/strategies</c>: one child per configured strategy (<c>/user/strategies/{id}</c>). A strategy that throws
/// is restarted on its own (up to 10 times a minute, then stopped), without touching feeds, books or other strategies.
/// </summary>
public sealed class StrategiesSupervisor : ReceiveActor
{
    /// <summary>A restart (stopping and) recreating the children here, each from its journal, is a fresh start for them.</summary>
    public StrategiesSupervisor(IReadOnlyList<StrategySettings> strategies, Func<StrategySettings, StrategyContext> contextFor)
    {
        foreach (var settings in strategies)
        {
            Context.ActorOf(StrategyCatalog.Props(settings, contextFor(settings)), settings.Id);
        }

        Receive<StrategiesProtocol.GetStatuses>(_ => Collect().PipeTo(Sender));
        Receive<StrategyProtocol.CancelAllOrders>(_ => CloseAll().PipeTo(Sender));
    }

    /// <param name="strategies">One child each.</param>
    /// <param name="contextFor">What each is given.</param>
    public static Props Props(IReadOnlyList<StrategySettings> strategies, Func<StrategySettings, StrategyContext> contextFor) =>
        Akka.Actor.Props.Create(typeof(StrategiesSupervisor), strategies, contextFor);

    /// <summary>
    /// When the node stops, first every strategy cancels its open orders (a live quote must not outlive its node), for
    /// up to 5 s, while the gateway, venues and journal still run. Registered once by whoever starts the supervisor,
    /// never from the actor's lifecycle (a restart would add one more).
    /// </summary>
    public static void CancelOrdersOnShutdown(ActorSystem system, IActorRef supervisor) =>
        CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseBeforeServiceUnbind, "strategies-cancel-orders", async () =>
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await supervisor.Ask<StrategyProtocol.OrdersClosed>(StrategyProtocol.CancelAllOrders.Instance, deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Some order did not close in time: reconciliation settles it on the next start.
            }

            return Akka.Done.Instance;
        });

    protected override SupervisorStrategy SupervisorStrategy() =>
        // Akka logs each failure with its cause; a wrong configuration would fail again on every restart.
        new OneForOneStrategy(10, TimeSpan.FromMinutes(1), e => e is ExchangeException { Error: ConfigurationError } ? Directive.Stop : Directive.Restart);

    /// <summary>Real-time bounded by the caller's token only: in a replay Akka's scheduler is virtual.</summary>
    private Task<StrategyProtocol.OrdersClosed> CloseAll()
    {
        // The children are read here, on the actor's thread; the answers are awaited off it.
        var asks = Context.GetChildren().Select(child => child.Ask<StrategyProtocol.OrdersClosed>(StrategyProtocol.CancelAllOrders.Instance, CancellationToken.None)).ToArray();
        return Task.WhenAll(asks).ContinueWith(_ => StrategyProtocol.OrdersClosed.Instance, TaskScheduler.Default);
    }

    private Task<StrategiesProtocol.Statuses> Collect()
    {
        var asks = Context.GetChildren().Select(child => Status(child)).ToArray();
        return Task.WhenAll(asks).ContinueWith(
            done => new StrategiesProtocol.Statuses(done.Result.OfType<StrategyProtocol.Status>().OrderBy(s => s.Id, StringComparer.Ordinal).ToArray()),
            TaskScheduler.Default);

        static async Task<StrategyProtocol.Status?> Status(IActorRef child)
        {
            try
            {
                return await child.Ask<StrategyProtocol.Status>(StrategyProtocol.GetStatus.Instance, TimeSpan.FromSeconds(1)).ConfigureAwait(false);
            }
            catch (AskTimeoutException)
            {
                return null;   // a strategy restarting or busy: left out of this round
            }
        }
    }
}
