using System.Text.Json;

namespace ActorTrading.Exchanges;

/// <summary>Reading a REST response body the same way on every venue.</summary>
internal static class ResponseBody
{
    /// <summary>
    /// The body as JSON; false when it is empty or not JSON (an error page from a proxy or a firewall is still an answer:
    /// the caller decides what it means for the status).
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
            using var document = JsonDocument.Parse(body.ToArray());
            root = document.RootElement.Clone();
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
