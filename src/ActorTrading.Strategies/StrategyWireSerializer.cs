using System.Text.Json.Serialization;
using ActorTrading.Core;
using ActorTrading.Core.Json;
using ActorTrading.Runtime.Cluster;
using Akka.Actor;

namespace ActorTrading.Strategies;

/// <summary>A strategies' message that may cross cluster nodes (a signal to a strategy elsewhere), written by <see cref="StrategyWireSerializer"/>.</summary>
public interface IStrategyWireMessage : ICrossesNodes;

/// <summary>The cross-node serializer of the strategies: JSON with a versioned manifest per message (<c>signal.v1</c>).</summary>
public sealed class StrategyWireSerializer(ExtendedActorSystem system) : WireJsonSerializer(system, Types)
{
    public const int Id = 4120;

    private static readonly WireType[] Types =
    [
        new(typeof(StrategyProtocol.Signal), "signal.v1", StrategyWireJsonContext.Default.Signal),
    ];

    public override int Identifier => Id;

    /// <summary>Every type this serializer writes (a spec checks each <see cref="IStrategyWireMessage"/> is among them).</summary>
    public static IReadOnlyCollection<Type> KnownTypes => Types.Select(t => t.Type).ToArray();
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true,
    Converters = [typeof(DecimalStringConverter)])]
[JsonSerializable(typeof(StrategyProtocol.Signal), TypeInfoPropertyName = "Signal")]
internal sealed partial class StrategyWireJsonContext : JsonSerializerContext;
