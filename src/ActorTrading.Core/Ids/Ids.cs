using System.Text.Json;
using System.Text.Json.Serialization;

namespace ActorTrading.Core.Ids;

/// <summary>An exchange, by its lower-case short name ("kucoin", "binance").</summary>
[JsonConverter(typeof(VenueIdJsonConverter))]
public readonly record struct VenueId(string Value)
{
    public static readonly VenueId KuCoin = new("kucoin");

    public override string ToString() => Value;
}

/// <summary>Which product family of a venue a feed or symbol belongs to.</summary>
public enum MarketKind
{
    Futures,
    Spot,
    Margin,

    /// <summary>A unified trading account (KuCoin UTA): one margin pool across spot, margin and futures.</summary>
    Unified,
}

/// <summary>An instrument in the venue's own spelling (KuCoin Futures "XBTUSDTM", KuCoin Spot "BTC-USDT").</summary>
[JsonConverter(typeof(SymbolJsonConverter))]
public readonly record struct Symbol(string Value)
{
    public override string ToString() => Value;
}

/// <summary>The client-assigned id that makes order placement idempotent.</summary>
[JsonConverter(typeof(ClientOrderIdJsonConverter))]
public readonly record struct ClientOrderId(string Value)
{
    public override string ToString() => Value;
}

public static class MarketKindNames
{
    public static string ToWire(this MarketKind market) => market switch
    {
        MarketKind.Futures => "futures",
        MarketKind.Spot => "spot",
        MarketKind.Margin => "margin",
        MarketKind.Unified => "unified",
        _ => throw new ArgumentOutOfRangeException(nameof(market), market, "unknown market kind"),
    };

    public static bool TryParse(string? text, out MarketKind market)
    {
        switch (text?.ToLowerInvariant())
        {
            case "futures": market = MarketKind.Futures; return true;
            case "spot": market = MarketKind.Spot; return true;
            case "margin": market = MarketKind.Margin; return true;
            case "unified": market = MarketKind.Unified; return true;
            default: market = default; return false;
        }
    }
}

/// <summary>Ids are plain JSON strings (<c>"kucoin"</c>, not <c>{"value":"kucoin"}</c>) in journal rows and CLI output.</summary>
public abstract class StringIdJsonConverter<T>(Func<string, T> create, Func<T, string> text) : JsonConverter<T>
{
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String ? create(reader.GetString()!) : throw new JsonException($"{typeof(T).Name} must be a JSON string");

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(text(value));

    /// <summary>As a dictionary key (instruments by symbol), the id is the property name.</summary>
    public override T ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => create(reader.GetString()!);

    public override void WriteAsPropertyName(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WritePropertyName(text(value));
}

public sealed class VenueIdJsonConverter() : StringIdJsonConverter<VenueId>(v => new VenueId(v), v => v.Value);

public sealed class SymbolJsonConverter() : StringIdJsonConverter<Symbol>(v => new Symbol(v), v => v.Value);

public sealed class ClientOrderIdJsonConverter() : StringIdJsonConverter<ClientOrderId>(v => new ClientOrderId(v), v => v.Value);
