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
    public StrategiesSupervisor(IReadOnlyList<StrategySettings> strategies, Func<StrategySettings, StrategyContext> contextFor)
    {
        foreach (var settings in strategies)
        {
            Context.ActorOf(StrategyCatalog.Props(settings, contextFor(settings)), settings.Id);
        }

        Receive<StrategiesProtocol.GetStatuses>(_ => Collect().PipeTo(Sender));
    }

    public static Props Props(IReadOnlyList<StrategySettings> strategies, Func<StrategySettings, StrategyContext> contextFor) =>
        Akka.Actor.Props.Create(typeof(StrategiesSupervisor), strategies, contextFor);

    protected override SupervisorStrategy SupervisorStrategy() =>
        // Akka logs each failure with its cause; a wrong configuration would fail again on every restart.
        new OneForOneStrategy(10, TimeSpan.FromMinutes(1), e => e is ExchangeException { Error: ConfigurationError } ? Directive.Stop : Directive.Restart);

    private async Task<StrategiesProtocol.Statuses> Collect()
    {
        var statuses = new List<StrategyProtocol.Status>();
        foreach (var child in Context.GetChildren())
        {
            try
            {
                statuses.Add(await child.Ask<StrategyProtocol.Status>(StrategyProtocol.GetStatus.Instance, TimeSpan.FromSeconds(1)).ConfigureAwait(false));
            }
            catch (AskTimeoutException)
            {
                // A strategy restarting or busy: left out of this round.
            }
        }

        return new StrategiesProtocol.Statuses(statuses.OrderBy(s => s.Id, StringComparer.Ordinal).ToArray());
    }
}
