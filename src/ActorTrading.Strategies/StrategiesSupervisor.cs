using ActorTrading.Core.Errors;
using Akka.Actor;
using Akka.Cluster.Tools.Singleton;

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
/// On a cluster member each child is instead the strategy's singleton manager: the strategy runs once in the cluster,
/// on the oldest node of its role, inside a supervisor of its own (<c>/user/strategies/{id}/singleton</c>), and starts
/// again on another node of its role when its node is lost. Statuses and the closing of orders concern the
/// strategies running here.
/// </summary>
public sealed class StrategiesSupervisor : ReceiveActor
{
    private readonly bool _singletons;

    /// <summary>A restart (stopping and) recreating the children here, each from its journal, is a fresh start for them.</summary>
    public StrategiesSupervisor(IReadOnlyList<StrategySettings> strategies, Func<StrategySettings, StrategyContext> contextFor, bool singletons)
    {
        _singletons = singletons;
        foreach (var settings in strategies)
        {
            if (singletons)
            {
                // One context for every incarnation on this node: request numbers go on, client order ids never repeat.
                var context = contextFor(settings);
                var strategy = Props([settings], _ => context, singletons: false);
                Context.ActorOf(ClusterSingletonManager.Props(strategy, PoisonPill.Instance, ClusterSingletonManagerSettings.Create(Context.System).WithRole(settings.Role)),
                    settings.Id);
            }
            else
            {
                Context.ActorOf(StrategyCatalog.Props(settings, contextFor(settings)), settings.Id);
            }
        }

        Receive<StrategiesProtocol.GetStatuses>(_ => Collect().PipeTo(Sender));
        Receive<StrategyProtocol.CancelAllOrders>(_ => CloseAll().PipeTo(Sender));
    }

    /// <param name="strategies">One child each.</param>
    /// <param name="contextFor">What each is given.</param>
    /// <param name="singletons">Each a cluster singleton (on a cluster member).</param>
    public static Props Props(IReadOnlyList<StrategySettings> strategies, Func<StrategySettings, StrategyContext> contextFor, bool singletons = false) =>
        Akka.Actor.Props.Create(typeof(StrategiesSupervisor), strategies, contextFor, singletons);

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
        var asks = Running().Select(async strategy =>
        {
            if (await strategy.ConfigureAwait(false) is { } found)
            {
                await found.Ask<StrategyProtocol.OrdersClosed>(StrategyProtocol.CancelAllOrders.Instance, CancellationToken.None).ConfigureAwait(false);
            }
        }).ToArray();
        return Task.WhenAll(asks).ContinueWith(_ => StrategyProtocol.OrdersClosed.Instance, TaskScheduler.Default);
    }

    private Task<StrategiesProtocol.Statuses> Collect()
    {
        var asks = Running().Select(Statuses).ToArray();
        return Task.WhenAll(asks).ContinueWith(
            done => new StrategiesProtocol.Statuses(done.Result.SelectMany(s => s).OrderBy(s => s.Id, StringComparer.Ordinal).ToArray()),
            TaskScheduler.Default);

        async Task<IEnumerable<StrategyProtocol.Status>> Statuses(Task<IActorRef?> strategy)
        {
            try
            {
                return await strategy.ConfigureAwait(false) switch
                {
                    null => [],
                    var singleton when _singletons => (await singleton.Ask<StrategiesProtocol.Statuses>(StrategiesProtocol.GetStatuses.Instance, TimeSpan.FromSeconds(1)).ConfigureAwait(false)).Items,
                    var child => [await child.Ask<StrategyProtocol.Status>(StrategyProtocol.GetStatus.Instance, TimeSpan.FromSeconds(1)).ConfigureAwait(false)],
                };
            }
            catch (AskTimeoutException)
            {
                return [];   // a strategy restarting or busy: left out of this round
            }
        }
    }

    /// <summary>The strategies running here: the children, or the singletons their managers run on this node (null: elsewhere).</summary>
    private IEnumerable<Task<IActorRef?>> Running()
    {
        foreach (var child in Context.GetChildren())
        {
            if (!_singletons)
            {
                yield return Task.FromResult<IActorRef?>(child);
                continue;
            }

            // A local path: an absent singleton is known at once, without waiting for a timeout.
            yield return Context.ActorSelection(child.Path / "singleton").ResolveOne(TimeSpan.FromSeconds(1))
                .ContinueWith(found => found.IsCompletedSuccessfully ? found.Result : null, TaskScheduler.Default);
        }
    }
}
