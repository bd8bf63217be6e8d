using System.Text.Json;
using ActorTrading.Core.Json;

namespace ActorTrading.Exchanges;

/// <summary>Reading the fields of a venue's JSON items (REST answers, private pushes) the same way for every venue: a missing required field is an error, never a default.</summary>
internal static class JsonItems
{
    /// <summary>A required string field.</summary>
    public static string Text(JsonElement item, string field) =>
        item.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : throw JsonReading.Missing(field);

    /// <summary>A required number, sent as a number or a numeric string.</summary>
    public static decimal Number(JsonElement item, string field) => item.Required(field).GetDecimal(field);

    /// <summary>A number the venue may leave out, send as null or as an empty string: null then.</summary>
    public static decimal? Optional(JsonElement item, string field) =>
        item.TryGetProperty(field, out var value) && (value.ValueKind == JsonValueKind.Number || (value.ValueKind == JsonValueKind.String && value.GetString()!.Length > 0))
            ? value.GetDecimal(field)
            : null;

    /// <summary>Each object of the array the reader is on; few and small (private pushes), so each is read as an element.</summary>
    public static void Each(ref Utf8JsonReader r, Action<JsonElement> read)
    {
        using var document = JsonDocument.ParseValue(ref r);
        foreach (var item in document.RootElement.EnumerateArray())
        {
            read(item.ValueKind == JsonValueKind.Object ? item : throw new FrameFormatException("data item is not an object"));
        }
    }
}
