using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Serialization;

namespace ActorTrading.Runtime.Cluster;

/// <summary>
/// What Akka falls back to for a type no binding names (<c>System.Object</c>). Akka's own messages still get its JSON
/// serializer; one of ours is refused at the sender, so a message that crosses nodes without its wire manifest (a
/// missing <c>ICrossNodeMessage</c> and friends) fails loudly in the first multi-node spec instead of travelling as
/// reflection-made JSON that another version cannot read.
/// </summary>
public sealed class StrictFallbackSerializer(ExtendedActorSystem system) : Serializer(system)
{
    public const int Id = 4121;

    private readonly NewtonSoftJsonSerializer _akkaJson = new(system);

    public override int Identifier => Id;

    public override bool IncludeManifest => true;

    public override byte[] ToBinary(object obj) =>
        IsOurs(obj.GetType())
            ? throw new SerializationException($"{obj.GetType().FullName} has no wire serializer: mark it for one (ICrossNodeMessage, IOrderWireMessage, IStrategyWireMessage) and list it there before it crosses nodes")
            : _akkaJson.ToBinary(obj);

    public override object FromBinary(byte[] bytes, Type type) =>
        IsOurs(type) ? throw new SerializationException($"{type.FullName} has no wire serializer") : _akkaJson.FromBinary(bytes, type);

    private static bool IsOurs(Type type) => type.Namespace?.StartsWith("ActorTrading.", StringComparison.Ordinal) == true;
}
