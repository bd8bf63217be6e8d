using System.Text.Json;

namespace ActorTrading.Exchanges;

/// <summary>Reading a REST response body the same way on every venue.</summary>
internal static class ResponseBody
{
    /// <summary>
    /// The body as JSON; false when it is empty or not JSON (an error page from a proxy or a firewall is still an answer:
    /// the caller decides what it means for the status). The element owns one copy of the body's bytes: parsing a copy
    /// and cloning the root made two more, each on the large-object heap for a long answer (instrument lists, fills).
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> body, out JsonElement root)
    {
        root = default;
        if (body.IsEmpty)
        {
            return false;
        }

        try
        {
            var reader = new Utf8JsonReader(body);
            var value = JsonElement.ParseValue(ref reader);
            if (reader.Read())
            {
                return false;   // more after the value: not one JSON document
            }

            root = value;
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
