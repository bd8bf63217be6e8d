using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ActorTrading.Core.Json;

/// <summary>
/// Writes a decimal as a JSON string, exactly (venues' price format, and journal rows that no JSON reader rounds to a
/// double); reads strings or numbers.
/// </summary>
public sealed class DecimalStringConverter : JsonConverter<decimal>
{
    public override decimal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        JsonReading.ReadDecimal(ref reader, "value");

    public override void Write(Utf8JsonWriter writer, decimal value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString(CultureInfo.InvariantCulture));
}

/// <summary>An optional decimal: null, and the empty string some venues send for "no value", read as null.</summary>
public sealed class OptionalDecimalConverter : JsonConverter<decimal?>
{
    public override bool HandleNull => true;

    public override decimal? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        JsonReading.ReadOptionalDecimal(ref reader, "value");

    public override void Write(Utf8JsonWriter writer, decimal? value, JsonSerializerOptions options)
    {
        if (value is { } v)
        {
            writer.WriteStringValue(v.ToString(CultureInfo.InvariantCulture));
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
