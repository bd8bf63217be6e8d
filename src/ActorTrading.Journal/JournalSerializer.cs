using System.Collections.Frozen;
using System.Runtime.Serialization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using ActorTrading.Core.Json;
using ActorTrading.Core.Orders;
using Akka.Actor;
using Akka.Serialization;

namespace ActorTrading.Journal;

/// <summary>
/// The one serializer of journaled events and snapshots: readable UTF-8 JSON rows (decimals as exact strings, enums
/// by name) with a versioned manifest per type. The identifier and every manifest are stored in each row: never
/// change them; a new shape gets a new manifest (<c>.v2</c>) and the old one keeps reading.
/// </summary>
public sealed class JournalSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    public const int Id = 4117;

    private static readonly FrozenDictionary<Type, (string Manifest, JsonTypeInfo Info)> ByType = new (Type, string, JsonTypeInfo)[]
    {
        (typeof(OrderEvents.Submitted), "order-submitted.v3", JournalJsonContext.Default.Submitted),
        (typeof(OrderEvents.Acknowledged), "order-acknowledged.v1", JournalJsonContext.Default.Acknowledged),
        (typeof(OrderEvents.Rejected), "order-rejected.v1", JournalJsonContext.Default.Rejected),
        (typeof(OrderEvents.FillRecorded), "fill-recorded.v1", JournalJsonContext.Default.FillRecorded),
        (typeof(OrderEvents.CancelRequested), "cancel-requested.v1", JournalJsonContext.Default.CancelRequested),
        (typeof(OrderEvents.Canceled), "order-canceled.v1", JournalJsonContext.Default.Canceled),
        (typeof(OrderEvents.Expired), "order-expired.v1", JournalJsonContext.Default.Expired),
        (typeof(OrderEvents.Amended), "order-amended.v1", JournalJsonContext.Default.Amended),
        (typeof(OrderEvents.StatusUnknown), "status-unknown.v1", JournalJsonContext.Default.StatusUnknown),
        (typeof(OrderEvents.Reconciled), "order-reconciled.v1", JournalJsonContext.Default.Reconciled),
        (typeof(OrderState), "order-state.v2", JournalJsonContext.Default.OrderState),
    }.ToFrozenDictionary(t => t.Item1, t => (t.Item2, t.Item3));

    /// <summary>
    /// Earlier shapes still read: v2 added the run id, v3 a stop order's trigger; rows without them read as null.
    /// </summary>
    private static readonly (string Manifest, JsonTypeInfo Info)[] Earlier =
    [
        ("order-submitted.v1", JournalJsonContext.Default.Submitted),
        ("order-submitted.v2", JournalJsonContext.Default.Submitted),
        ("order-state.v1", JournalJsonContext.Default.OrderState),
    ];

    private static readonly FrozenDictionary<string, JsonTypeInfo> ByManifest = ByType.Values.Concat(Earlier).ToFrozenDictionary(v => v.Manifest, v => v.Info);

    public override int Identifier => Id;

    /// <summary>Every manifest this serializer reads (and the one it writes for each type).</summary>
    public static IReadOnlyCollection<string> Manifests => ByManifest.Keys;

    public static string ManifestFor(Type type) =>
        ByType.TryGetValue(type, out var entry) ? entry.Manifest : throw new SerializationException($"no journal manifest for {type.FullName}");

    public static byte[] Serialize(object value) =>
        ByType.TryGetValue(value.GetType(), out var entry)
            ? JsonSerializer.SerializeToUtf8Bytes(value, entry.Info)
            : throw new SerializationException($"{value.GetType().FullName} is not a journal type");

    public static object Deserialize(ReadOnlySpan<byte> bytes, string manifest) =>
        ByManifest.TryGetValue(manifest, out var info)
            ? JsonSerializer.Deserialize(bytes, info) ?? throw new SerializationException($"{manifest}: null row")
            : throw new SerializationException($"unknown journal manifest '{manifest}'");

    public override string Manifest(object o) => ManifestFor(o.GetType());

    public override byte[] ToBinary(object obj) => Serialize(obj);

    public override object FromBinary(byte[] bytes, string manifest) => Deserialize(bytes, manifest);
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true,
    Converters = [typeof(DecimalStringConverter)])]
[JsonSerializable(typeof(OrderEvents.Submitted), TypeInfoPropertyName = "Submitted")]
[JsonSerializable(typeof(OrderEvents.Acknowledged), TypeInfoPropertyName = "Acknowledged")]
[JsonSerializable(typeof(OrderEvents.Rejected), TypeInfoPropertyName = "Rejected")]
[JsonSerializable(typeof(OrderEvents.FillRecorded), TypeInfoPropertyName = "FillRecorded")]
[JsonSerializable(typeof(OrderEvents.CancelRequested), TypeInfoPropertyName = "CancelRequested")]
[JsonSerializable(typeof(OrderEvents.Canceled), TypeInfoPropertyName = "Canceled")]
[JsonSerializable(typeof(OrderEvents.Expired), TypeInfoPropertyName = "Expired")]
[JsonSerializable(typeof(OrderEvents.Amended), TypeInfoPropertyName = "Amended")]
[JsonSerializable(typeof(OrderEvents.StatusUnknown), TypeInfoPropertyName = "StatusUnknown")]
[JsonSerializable(typeof(OrderEvents.Reconciled), TypeInfoPropertyName = "Reconciled")]
[JsonSerializable(typeof(OrderState))]
internal sealed partial class JournalJsonContext : JsonSerializerContext;
