using ActorTrading.Core.Errors;
using ActorTrading.Strategies.Samples;
using Akka.Actor;

namespace ActorTrading.Strategies;

/// <summary>
/// Strategy types by name: the samples by their short names, any other <see cref="StrategyActor"/> by its
/// assembly-qualified type name (<c>"MyDesk.Strategies.Spread, MyDesk"</c>) with a constructor taking a
/// <see cref="StrategyContext"/>.
/// </summary>
public static class StrategyCatalog
{
    private static readonly Dictionary<string, Type> Samples = new(StringComparer.OrdinalIgnoreCase)
    {
        ["quoting"] = typeof(QuotingStrategy),
        ["funding-monitor"] = typeof(FundingMonitorStrategy),
        ["candle-momentum"] = typeof(CandleMomentumStrategy),
    };

    public static IReadOnlyCollection<string> SampleNames => Samples.Keys;

    public static Type Resolve(string type)
    {
        var resolved = Samples.GetValueOrDefault(type) ?? Type.GetType(type, throwOnError: false);
        return resolved is not null && resolved.IsSubclassOf(typeof(StrategyActor)) && resolved.GetConstructor([typeof(StrategyContext)]) is not null
            ? resolved
            : throw new ExchangeException(new ConfigurationError(
                $"strategy type '{type}' is neither a sample ({string.Join(", ", Samples.Keys)}) nor a StrategyActor with a StrategyContext constructor"));
    }

    /// <summary>The type resolves, and a type that checks its parameters (<see cref="IChecksParameters"/>) finds them good.</summary>
    public static void Check(StrategySettings settings)
    {
        var type = Resolve(settings.Type);
        if (!typeof(IChecksParameters).IsAssignableFrom(type))
        {
            return;
        }

        try
        {
            type.GetInterfaceMap(typeof(IChecksParameters)).TargetMethods.Single().Invoke(null, [settings]);
        }
        catch (System.Reflection.TargetInvocationException e) when (e.InnerException is ExchangeException bad)
        {
            throw bad;
        }
    }

    public static Props Props(StrategySettings settings, StrategyContext context) => Akka.Actor.Props.Create(Resolve(settings.Type), context);
}
