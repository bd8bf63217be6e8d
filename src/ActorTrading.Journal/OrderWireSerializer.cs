using System.Text.Json;
using System.Text.Json.Serialization;
using ActorTrading.Core.Json;
using ActorTrading.Core.Orders;
using ActorTrading.Runtime.Cluster;
using Akka.Actor;

namespace ActorTrading.Journal;

/// <summary>
/// A message between strategies, the order gateway and the order entities that may cross cluster nodes (the gateway is
/// a cluster singleton, orders are sharded, strategies run anywhere), written by <see cref="OrderWireSerializer"/>.
/// </summary>
public interface IOrderWireMessage : ActorTrading.Core.ICrossesNodes;

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
        new(typeof(OrderGatewayProtocol.PrepareOrder), "prepare-order.v1", OrderWireJsonContext.Default.PrepareOrder),
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

        // The gateway and the order entities of the shard region, wherever each runs.
        new(typeof(OrderActorProtocol.Submit), "order-submit.v1", OrderWireJsonContext.Default.Submit),
        new(typeof(OrderActorProtocol.SubmitRefused), "order-submit-refused.v1", OrderWireJsonContext.Default.SubmitRefused),
        new(typeof(OrderActorProtocol.Prepare), "order-prepare.v1", OrderWireJsonContext.Default.OrderPrepare),
        new(typeof(OrderActorProtocol.Cancel), "order-cancel.v1", OrderWireJsonContext.Default.OrderCancel),
        new(typeof(OrderActorProtocol.Amend), "order-amend.v1", OrderWireJsonContext.Default.OrderAmend),
        new(typeof(OrderActorProtocol.VenueUpdate), "order-venue-update.v1", OrderWireJsonContext.Default.VenueUpdate),
        new(typeof(OrderActorProtocol.ReportFill), "order-report-fill.v1", OrderWireJsonContext.Default.ReportFill),
        new(typeof(OrderActorProtocol.ReportVenueState), "order-report-venue-state.v1", OrderWireJsonContext.Default.ReportVenueState),
        new(typeof(OrderActorProtocol.ReportNotAtVenue), "order-report-not-at-venue.v1", OrderWireJsonContext.Default.ReportNotAtVenue),
        new(typeof(OrderActorProtocol.GetState), "order-get-state.v1", OrderWireJsonContext.Default.GetState),
        new(typeof(OrderActorProtocol.Changed), "order-changed.v1", OrderWireJsonContext.Default.Changed),
        new(typeof(OrderActorProtocol.CommandRefused), "order-command-refused.v1", OrderWireJsonContext.Default.OrderCommandRefused),
        WireType.Singleton(OrderActorProtocol.Stop.Instance, "order-stop.v1"),

        // audit --node: the node reads its own journal for the command.
        new(typeof(AuditProtocol.RunAudit), "run-audit.v1", OrderWireJsonContext.Default.RunAudit),
        new(typeof(AuditProtocol.AuditOutput), "audit-output.v1", OrderWireJsonContext.Default.AuditOutput),
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
[JsonSerializable(typeof(OrderGatewayProtocol.PrepareOrder), TypeInfoPropertyName = "PrepareOrder")]
[JsonSerializable(typeof(OrderGatewayProtocol.CancelOrder), TypeInfoPropertyName = "CancelOrder")]
[JsonSerializable(typeof(OrderGatewayProtocol.AmendOrder), TypeInfoPropertyName = "AmendOrder")]
[JsonSerializable(typeof(OrderGatewayProtocol.GetOrder), TypeInfoPropertyName = "GetOrder")]
[JsonSerializable(typeof(OrderGatewayProtocol.OrderStatus), TypeInfoPropertyName = "OrderStatus")]
[JsonSerializable(typeof(OrderGatewayProtocol.CommandRefused), TypeInfoPropertyName = "CommandRefused")]
[JsonSerializable(typeof(OrderGatewayProtocol.PositionsUnknown), TypeInfoPropertyName = "PositionsUnknown")]
[JsonSerializable(typeof(OrderGatewayProtocol.PositionsKnown), TypeInfoPropertyName = "PositionsKnown")]
[JsonSerializable(typeof(OrderGatewayProtocol.OpenOrders), TypeInfoPropertyName = "OpenOrders")]
[JsonSerializable(typeof(OrderActorProtocol.NotFound), TypeInfoPropertyName = "NotFound")]
[JsonSerializable(typeof(OrderActorProtocol.Submit), TypeInfoPropertyName = "Submit")]
[JsonSerializable(typeof(OrderActorProtocol.SubmitRefused), TypeInfoPropertyName = "SubmitRefused")]
[JsonSerializable(typeof(OrderActorProtocol.Prepare), TypeInfoPropertyName = "OrderPrepare")]
[JsonSerializable(typeof(OrderActorProtocol.Cancel), TypeInfoPropertyName = "OrderCancel")]
[JsonSerializable(typeof(OrderActorProtocol.Amend), TypeInfoPropertyName = "OrderAmend")]
[JsonSerializable(typeof(OrderActorProtocol.VenueUpdate), TypeInfoPropertyName = "VenueUpdate")]
[JsonSerializable(typeof(ActorTrading.Core.Market.OrderStatus), TypeInfoPropertyName = "VenueOrderStatus")]
[JsonSerializable(typeof(OrderActorProtocol.ReportFill), TypeInfoPropertyName = "ReportFill")]
[JsonSerializable(typeof(OrderActorProtocol.ReportVenueState), TypeInfoPropertyName = "ReportVenueState")]
[JsonSerializable(typeof(OrderActorProtocol.ReportNotAtVenue), TypeInfoPropertyName = "ReportNotAtVenue")]
[JsonSerializable(typeof(OrderActorProtocol.GetState), TypeInfoPropertyName = "GetState")]
[JsonSerializable(typeof(OrderActorProtocol.Changed), TypeInfoPropertyName = "Changed")]
[JsonSerializable(typeof(OrderActorProtocol.CommandRefused), TypeInfoPropertyName = "OrderCommandRefused")]
[JsonSerializable(typeof(AuditProtocol.RunAudit), TypeInfoPropertyName = "RunAudit")]
[JsonSerializable(typeof(AuditProtocol.AuditOutput), TypeInfoPropertyName = "AuditOutput")]
internal sealed partial class OrderWireJsonContext : JsonSerializerContext;
