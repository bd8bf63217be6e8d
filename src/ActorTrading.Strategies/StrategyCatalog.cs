using ActorTrading.Core.Errors;
using ActorTrading.Strategies.Samples;
using Akka.Actor;

namespace ActorTrading.Strategies;

/// <summary>
/// Strategy types by name: the samples by their short names; a strategy of the user's own by its full type name
/// (<c>"MyDesk.SpreadCatcher"</c>) in the assembly <see cref="StrategySettings.AssemblyPath"/> names (loaded into its
/// own <see cref="StrategyLoadContext"/>), or by an assembly-qualified name the node can already load. Either way a
/// <see cref="StrategyActor"/> with a constructor taking a <see cref="StrategyContext"/>.
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

    public static Type Resolve(string type, string? assemblyPath = null)
    {
        var resolved = assemblyPath is null
            ? Samples.GetValueOrDefault(type) ?? Type.GetType(type, throwOnError: false)
            : FromPlugin(type, assemblyPath);
        return resolved is not null && resolved.IsSubclassOf(typeof(StrategyActor)) && resolved.GetConstructor([typeof(StrategyContext)]) is not null
            ? resolved
            : throw new ExchangeException(new ConfigurationError(assemblyPath is null
                ? $"strategy type '{type}' is neither a sample ({string.Join(", ", Samples.Keys)}) nor a StrategyActor with a StrategyContext constructor"
                : $"strategy type '{type}' in {Path.GetFullPath(assemblyPath)} is not a public StrategyActor with a StrategyContext constructor"));
    }

    /// <summary>The type resolves, and a type that checks its parameters (<see cref="IChecksParameters"/>) finds them good.</summary>
    public static void Check(StrategySettings settings)
    {
        var type = Resolve(settings.Type, settings.AssemblyPath);
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

    public static Props Props(StrategySettings settings, StrategyContext context) =>
        Akka.Actor.Props.Create(Resolve(settings.Type, settings.AssemblyPath), context);

    private static Type? FromPlugin(string type, string assemblyPath)
    {
        if (!File.Exists(assemblyPath))
        {
            throw new ExchangeException(new ConfigurationError($"strategy assembly {Path.GetFullPath(assemblyPath)} not found (build it first: dotnet build)"));
        }

        try
        {
            return StrategyLoadContext.LoadPlugin(assemblyPath).GetType(type, throwOnError: false);
        }
        catch (Exception e) when (e is BadImageFormatException or FileLoadException or FileNotFoundException or System.Reflection.ReflectionTypeLoadException)
        {
            throw new ExchangeException(new ConfigurationError($"strategy assembly {Path.GetFullPath(assemblyPath)} cannot be loaded: {e.Message}"));
        }
    }
}
