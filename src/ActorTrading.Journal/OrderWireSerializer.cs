using System.Text.Json;
using System.Text.Json.Serialization;
using ActorTrading.Core.Json;
using ActorTrading.Core.Orders;
using ActorTrading.Runtime.Cluster;
using Akka.Actor;

namespace ActorTrading.Journal;

/// <summary>
/// A message between strategies and the order gateway that may cross cluster nodes (the gateway is a cluster
/// singleton; strategies run anywhere), written by <see cref="OrderWireSerializer"/>.
/// </summary>
public interface IOrderWireMessage;

/// <summary>
/// The cross-node serializer of the order side: JSON with a versioned manifest per message (<c>place-order.v1</c>).
/// An order's state and events inside travel exactly as the journal writes them, with their journal manifests.
/// </summary>
public sealed class OrderWireSerializer(ExtendedActorSystem system) : WireJsonSerializer(system, Types)
{
    public const int Id = 4119;

    private static readonly WireType[] Types =
    [
        new(typeof(OrderGatewayProtocol.PlaceOrder), "place-order.v1", OrderWireJsonContext.Default.PlaceOrder),
        new(typeof(OrderGatewayProtocol.CancelOrder), "cancel-order.v1", OrderWireJsonContext.Default.CancelOrder),
        new(typeof(OrderGatewayProtocol.AmendOrder), "amend-order-request.v1", OrderWireJsonContext.Default.AmendOrder),
        new(typeof(OrderGatewayProtocol.GetOrder), "get-order.v1", OrderWireJsonContext.Default.GetOrder),
        new(typeof(OrderGatewayProtocol.OrderStatus), "order-status.v1", OrderWireJsonContext.Default.OrderStatus),
        new(typeof(OrderGatewayProtocol.CommandRefused), "command-refused.v1", OrderWireJsonContext.Default.CommandRefused),
        new(typeof(OrderGatewayProtocol.PositionsUnknown), "positions-unknown.v1", OrderWireJsonContext.Default.PositionsUnknown),
        new(typeof(OrderGatewayProtocol.PositionsKnown), "positions-known.v1", OrderWireJsonContext.Default.PositionsKnown),
        new(typeof(OrderGatewayProtocol.OpenOrders), "open-orders.v1", OrderWireJsonContext.Default.OpenOrders),
        new(typeof(OrderActorProtocol.NotFound), "order-not-found.v1", OrderWireJsonContext.Default.NotFound),
        WireType.Singleton(OrderGatewayProtocol.GetOpenOrders.Instance, "get-open-orders.v1"),
    ];

    public override int Identifier => Id;

    /// <summary>Every type this serializer writes (a spec checks each <see cref="IOrderWireMessage"/> is among them).</summary>
    public static IReadOnlyCollection<Type> KnownTypes => Types.Select(t => t.Type).ToArray();
}

/// <summary>An order's state inside a wire message: the journal's own JSON of it.</summary>
public sealed class JournalStateConverter : JsonConverter<OrderState>
{
    public override OrderState Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var state = JsonDocument.ParseValue(ref reader);
        return (OrderState)JournalSerializer.Deserialize(JsonSerializer.SerializeToUtf8Bytes(state.RootElement), JournalSerializer.ManifestFor(typeof(OrderState)));
    }

    public override void Write(Utf8JsonWriter writer, OrderState value, JsonSerializerOptions options) => writer.WriteRawValue(JournalSerializer.Serialize(value));
}

/// <summary>An event inside a wire message: <c>{"manifest":"fill-recorded.v1","event":{…}}</c>, the event as journaled.</summary>
public sealed class JournalEventConverter : JsonConverter<IJournalEvent>
{
    public override IJournalEvent Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        var manifest = document.RootElement.GetProperty("manifest").GetString() ?? throw new JsonException("an event without its manifest");
        return (IJournalEvent)JournalSerializer.Deserialize(JsonSerializer.SerializeToUtf8Bytes(document.RootElement.GetProperty("event")), manifest);
    }

    public override void Write(Utf8JsonWriter writer, IJournalEvent value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteString("manifest", JournalSerializer.ManifestFor(value.GetType()));
        writer.WritePropertyName("event");
        writer.WriteRawValue(JournalSerializer.Serialize(value));
        writer.WriteEndObject();
    }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true,
    Converters = [typeof(DecimalStringConverter), typeof(JournalStateConverter), typeof(JournalEventConverter)])]
[JsonSerializable(typeof(OrderGatewayProtocol.PlaceOrder), TypeInfoPropertyName = "PlaceOrder")]
[JsonSerializable(typeof(OrderGatewayProtocol.CancelOrder), TypeInfoPropertyName = "CancelOrder")]
[JsonSerializable(typeof(OrderGatewayProtocol.AmendOrder), TypeInfoPropertyName = "AmendOrder")]
[JsonSerializable(typeof(OrderGatewayProtocol.GetOrder), TypeInfoPropertyName = "GetOrder")]
[JsonSerializable(typeof(OrderGatewayProtocol.OrderStatus), TypeInfoPropertyName = "OrderStatus")]
[JsonSerializable(typeof(OrderGatewayProtocol.CommandRefused), TypeInfoPropertyName = "CommandRefused")]
[JsonSerializable(typeof(OrderGatewayProtocol.PositionsUnknown), TypeInfoPropertyName = "PositionsUnknown")]
[JsonSerializable(typeof(OrderGatewayProtocol.PositionsKnown), TypeInfoPropertyName = "PositionsKnown")]
[JsonSerializable(typeof(OrderGatewayProtocol.OpenOrders), TypeInfoPropertyName = "OpenOrders")]
[JsonSerializable(typeof(OrderActorProtocol.NotFound), TypeInfoPropertyName = "NotFound")]
internal sealed partial class OrderWireJsonContext : JsonSerializerContext;
