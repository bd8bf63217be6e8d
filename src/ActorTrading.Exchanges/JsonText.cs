using System.Buffers;
using System.Text;
using System.Text.Json;

namespace ActorTrading.Exchanges;

/// <summary>The small JSON objects venues take (request frames, order params), written in one pass by a <see cref="Utf8JsonWriter"/>.</summary>
public static class JsonText
{
    /// <summary><c>{…}</c> with the members <paramref name="members"/> writes.</summary>
    public static string Object(Action<Utf8JsonWriter> members)
    {
        var buffer = new ArrayBufferWriter<byte>(192);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            members(json);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
