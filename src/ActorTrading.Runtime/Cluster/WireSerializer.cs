using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Runtime.Serialization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using ActorTrading.Core;
using ActorTrading.Core.Market;
using ActorTrading.Runtime.Books;
using ActorTrading.Runtime.Feeds;
using ActorTrading.Runtime.Orders;
using ActorTrading.Runtime.Venues;
using Akka.Actor;
using Akka.Serialization;

namespace ActorTrading.Runtime.Cluster;

/// <summary>
/// The serializer of everything that crosses cluster nodes (<see cref="ICrossNodeMessage"/>): compact System.Text.Json
/// with a versioned manifest per type (<c>trade.v1</c>), like the journal's. A node reads every manifest it has ever
/// written, so nodes one version apart still talk; a new shape gets a new manifest. A type it does not list is an
/// error at the sender, never a silent fallback to another serializer.
/// </summary>
public sealed class WireSerializer(ExtendedActorSystem system) : WireJsonSerializer(system, Types)
{
    public const int Id = 4118;

    private static readonly WireType[] Types =
    [
        // Market data and feed events: what strategies on other nodes consume.
        new(typeof(Trade), "trade.v1", WireJsonContext.Default.Trade),
        new(typeof(Ticker), "ticker.v1", WireJsonContext.Default.Ticker),
        new(typeof(OrderBookUpdate), "book-update.v1", WireJsonContext.Default.OrderBookUpdate),
        new(typeof(BookTop), "book-top.v1", WireJsonContext.Default.BookTop),
        new(typeof(BookHealthChanged), "book-health.v1", WireJsonContext.Default.BookHealthChanged),
        new(typeof(Candle), "candle.v1", WireJsonContext.Default.Candle),
        new(typeof(FundingRate), "funding-rate.v1", WireJsonContext.Default.FundingRate),
        new(typeof(OrderUpdate), "order-update.v1", WireJsonContext.Default.OrderUpdate),
        new(typeof(StopOrderUpdate), "stop-order-update.v1", WireJsonContext.Default.StopOrderUpdate),
        new(typeof(PositionChange), "position-change.v1", WireJsonContext.Default.PositionChange),
        new(typeof(BalanceUpdate), "balance-update.v1", WireJsonContext.Default.BalanceUpdate),
        new(typeof(MarketStatistics), "market-statistics.v1", WireJsonContext.Default.MarketStatistics),
        new(typeof(VenueNotice), "venue-notice.v1", WireJsonContext.Default.VenueNotice),
        new(typeof(AccountSetting), "account-setting.v1", WireJsonContext.Default.AccountSetting),
        new(typeof(FundingSettlement), "funding-settlement.v1", WireJsonContext.Default.FundingSettlement),
        new(typeof(RiskLimitChange), "risk-limit-change.v1", WireJsonContext.Default.RiskLimitChange),
        new(typeof(MarginPosition), "margin-position.v1", WireJsonContext.Default.MarginPosition),
        new(typeof(CallAuction), "call-auction.v1", WireJsonContext.Default.CallAuction),
        new(typeof(LendingUpdate), "lending-update.v1", WireJsonContext.Default.LendingUpdate),
        new(typeof(FeedConnecting), "feed-connecting.v1", WireJsonContext.Default.FeedConnecting),
        new(typeof(FeedStreaming), "feed-streaming.v1", WireJsonContext.Default.FeedStreaming),
        new(typeof(FeedBackoff), "feed-backoff.v1", WireJsonContext.Default.FeedBackoff),
        new(typeof(FeedStopped), "feed-stopped.v1", WireJsonContext.Default.FeedStopped),
        new(typeof(FeedError), "feed-error.v1", WireJsonContext.Default.FeedError),

        // A venue's singleton: order entry, reconciliation queries, books, instruments, status.
        new(typeof(OrderEntryProtocol.Place), "place-orders.v1", WireJsonContext.Default.Place),
        new(typeof(OrderEntryProtocol.Cancel), "cancel-orders.v1", WireJsonContext.Default.Cancel),
        new(typeof(OrderEntryProtocol.Amend), "amend-order.v1", WireJsonContext.Default.Amend),
        new(typeof(OrderEntryProtocol.Results), "order-entry-results.v1", WireJsonContext.Default.Results),
        new(typeof(OrderEntryProtocol.Snapshot), "venue-snapshot-query.v1", WireJsonContext.Default.Snapshot),
        new(typeof(OrderEntryProtocol.VenueSnapshot), "venue-snapshot.v1", WireJsonContext.Default.VenueSnapshot),
        new(typeof(OrderEntryProtocol.QueryOrder), "order-query.v1", WireJsonContext.Default.QueryOrder),
        new(typeof(OrderEntryProtocol.OrderQueryAnswer), "order-query-answer.v1", WireJsonContext.Default.OrderQueryAnswer),
        new(typeof(OrderEntryProtocol.QueryOrderFills), "order-fills-query.v1", WireJsonContext.Default.QueryOrderFills),
        new(typeof(OrderEntryProtocol.OrderFillsAnswer), "order-fills-answer.v1", WireJsonContext.Default.OrderFillsAnswer),
        new(typeof(ExchangeSupervisorProtocol.GetBook), "get-book.v1", WireJsonContext.Default.GetBook),
        new(typeof(ExchangeSupervisorProtocol.NoBook), "no-book.v1", WireJsonContext.Default.NoBook),
        new(typeof(OrderBookProtocol.BookView), "book-view.v1", WireJsonContext.Default.BookView),
        new(typeof(ExchangeSupervisorProtocol.VenueStatus), "venue-status.v1", WireJsonContext.Default.VenueStatus),
        new(typeof(InstrumentCatalogProtocol.Instruments), "instruments.v1", WireJsonContext.Default.Instruments),
        new(typeof(InstrumentCatalogProtocol.Unavailable), "instruments-unavailable.v1", WireJsonContext.Default.Unavailable),
        new(typeof(FeedConnectionProtocol.Subscribe), "feed-subscribe.v1", WireJsonContext.Default.FeedSubscribe),
        new(typeof(FeedConnectionProtocol.Unsubscribe), "feed-unsubscribe.v1", WireJsonContext.Default.FeedUnsubscribe),

        // The node's own status, for the status command.
        new(typeof(NodeStatusProtocol.NodeStatus), "node-status.v1", WireJsonContext.Default.NodeStatus),
        WireType.Singleton(NodeStatusProtocol.GetNodeStatus.Instance, "get-node-status.v1"),
        WireType.Singleton(ExchangeSupervisorProtocol.GetStatus.Instance, "get-venue-status.v1"),
        WireType.Singleton(InstrumentCatalogProtocol.Subscribe.Instance, "instruments-subscribe.v1"),
    ];

    public override int Identifier => Id;

    /// <summary>Every type this serializer writes (a spec checks each <see cref="ICrossNodeMessage"/> is among them).</summary>
    public static IReadOnlyCollection<Type> KnownTypes => Types.Select(t => t.Type).ToArray();
}

/// <summary>
/// The shape of every cross-node serializer: a table of types, each with its versioned manifest and its
/// source-generated JSON (or, for a parameterless message, its one instance). Each assembly keeps its own table and
/// identifier; the manifests are forever.
/// </summary>
public abstract class WireJsonSerializer : SerializerWithStringManifest
{
    private readonly FrozenDictionary<Type, WireType> _byType;
    private readonly FrozenDictionary<string, WireType> _byManifest;

    protected WireJsonSerializer(ExtendedActorSystem system, IReadOnlyCollection<WireType> types)
        : base(system)
    {
        _byType = types.ToFrozenDictionary(t => t.Type);
        _byManifest = types.ToFrozenDictionary(t => t.Manifest);
    }

    public override string Manifest(object o) => Entry(o).Manifest;

    public override byte[] ToBinary(object obj)
    {
        var entry = Entry(obj);
        return entry.Info is null ? [] : JsonSerializer.SerializeToUtf8Bytes(obj, entry.Info);
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        if (!_byManifest.TryGetValue(manifest, out var entry))
        {
            throw new SerializationException($"unknown wire manifest '{manifest}' (a node of a newer version?)");
        }

        return entry.Info is null
            ? entry.Instance!
            : JsonSerializer.Deserialize(bytes, entry.Info) ?? throw new SerializationException($"{manifest}: null message");
    }

    private WireType Entry(object o) =>
        _byType.TryGetValue(o.GetType(), out var entry)
            ? entry
            : throw new SerializationException($"{o.GetType().FullName} has no wire manifest: add it to {GetType().Name} before it crosses nodes");
}

/// <summary>A type, its manifest, and how it is written; a parameterless singleton is written as nothing.</summary>
public sealed record WireType(Type Type, string Manifest, JsonTypeInfo? Info, object? Instance = null)
{
    public static WireType Singleton(object instance, string manifest) => new(instance.GetType(), manifest, null, instance);
}

/// <summary>A default <see cref="ImmutableArray{T}"/> (a book update without per-level sequences) travels as null.</summary>
public sealed class DefaultableImmutableArrayConverter<T> : JsonConverter<ImmutableArray<T>>
{
    public override bool HandleNull => true;

    public override ImmutableArray<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return default;
        }

        var items = JsonSerializer.Deserialize(ref reader, (JsonTypeInfo<T[]>)options.GetTypeInfo(typeof(T[])));
        return items is null ? default : ImmutableArray.Create(items);
    }

    public override void Write(Utf8JsonWriter writer, ImmutableArray<T> value, JsonSerializerOptions options)
    {
        if (value.IsDefault)
        {
            writer.WriteNullValue();
            return;
        }

        writer.WriteStartArray();
        var info = (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
        foreach (var item in value)
        {
            JsonSerializer.Serialize(writer, item, info);
        }

        writer.WriteEndArray();
    }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true,
    Converters = [typeof(DefaultableImmutableArrayConverter<BookLevel>), typeof(DefaultableImmutableArrayConverter<long>),
        typeof(DefaultableImmutableArrayConverter<MarginBalance>), typeof(DefaultableImmutableArrayConverter<MarginDebt>)])]
[JsonSerializable(typeof(Trade))]
[JsonSerializable(typeof(Ticker))]
[JsonSerializable(typeof(OrderBookUpdate))]
[JsonSerializable(typeof(BookTop))]
[JsonSerializable(typeof(BookHealthChanged))]
[JsonSerializable(typeof(Candle))]
[JsonSerializable(typeof(FundingRate))]
[JsonSerializable(typeof(OrderUpdate))]
[JsonSerializable(typeof(StopOrderUpdate))]
[JsonSerializable(typeof(PositionChange))]
[JsonSerializable(typeof(BalanceUpdate))]
[JsonSerializable(typeof(MarketStatistics))]
[JsonSerializable(typeof(VenueNotice))]
[JsonSerializable(typeof(AccountSetting))]
[JsonSerializable(typeof(FundingSettlement))]
[JsonSerializable(typeof(RiskLimitChange))]
[JsonSerializable(typeof(MarginPosition))]
[JsonSerializable(typeof(CallAuction))]
[JsonSerializable(typeof(LendingUpdate))]
[JsonSerializable(typeof(FeedConnecting))]
[JsonSerializable(typeof(FeedStreaming))]
[JsonSerializable(typeof(FeedBackoff))]
[JsonSerializable(typeof(FeedStopped))]
[JsonSerializable(typeof(FeedError))]
[JsonSerializable(typeof(BookLevel[]))]
[JsonSerializable(typeof(long[]))]
[JsonSerializable(typeof(MarginBalance[]))]
[JsonSerializable(typeof(MarginDebt[]))]
[JsonSerializable(typeof(OrderEntryProtocol.Place), TypeInfoPropertyName = "Place")]
[JsonSerializable(typeof(OrderEntryProtocol.Cancel), TypeInfoPropertyName = "Cancel")]
[JsonSerializable(typeof(OrderEntryProtocol.Amend), TypeInfoPropertyName = "Amend")]
[JsonSerializable(typeof(OrderEntryProtocol.Results), TypeInfoPropertyName = "Results")]
[JsonSerializable(typeof(OrderEntryProtocol.Snapshot), TypeInfoPropertyName = "Snapshot")]
[JsonSerializable(typeof(OrderEntryProtocol.VenueSnapshot), TypeInfoPropertyName = "VenueSnapshot")]
[JsonSerializable(typeof(OrderEntryProtocol.QueryOrder), TypeInfoPropertyName = "QueryOrder")]
[JsonSerializable(typeof(OrderEntryProtocol.OrderQueryAnswer), TypeInfoPropertyName = "OrderQueryAnswer")]
[JsonSerializable(typeof(OrderEntryProtocol.QueryOrderFills), TypeInfoPropertyName = "QueryOrderFills")]
[JsonSerializable(typeof(OrderEntryProtocol.OrderFillsAnswer), TypeInfoPropertyName = "OrderFillsAnswer")]
[JsonSerializable(typeof(ExchangeSupervisorProtocol.GetBook), TypeInfoPropertyName = "GetBook")]
[JsonSerializable(typeof(ExchangeSupervisorProtocol.NoBook), TypeInfoPropertyName = "NoBook")]
[JsonSerializable(typeof(OrderBookProtocol.BookView), TypeInfoPropertyName = "BookView")]
[JsonSerializable(typeof(ExchangeSupervisorProtocol.VenueStatus), TypeInfoPropertyName = "VenueStatus")]
[JsonSerializable(typeof(InstrumentCatalogProtocol.Instruments), TypeInfoPropertyName = "Instruments")]
[JsonSerializable(typeof(InstrumentCatalogProtocol.Unavailable), TypeInfoPropertyName = "Unavailable")]
[JsonSerializable(typeof(FeedConnectionProtocol.Subscribe), TypeInfoPropertyName = "FeedSubscribe")]
[JsonSerializable(typeof(FeedConnectionProtocol.Unsubscribe), TypeInfoPropertyName = "FeedUnsubscribe")]
[JsonSerializable(typeof(NodeStatusProtocol.NodeStatus), TypeInfoPropertyName = "NodeStatus")]
internal sealed partial class WireJsonContext : JsonSerializerContext;
