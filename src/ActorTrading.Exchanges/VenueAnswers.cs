using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Json;

namespace ActorTrading.Exchanges;

/// <summary>Reading a venue's answers the same way everywhere: an answer of the wrong shape is a <see cref="ProtocolError"/> naming the venue and what was asked.</summary>
internal static class VenueAnswers
{
    public static T Read<T>(string venue, string what, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is JsonException or FrameFormatException or InvalidOperationException or FormatException or KeyNotFoundException)
        {
            throw new ExchangeException(new ProtocolError($"unexpected {venue} answer to {what}: {e.Message}", "(response)"), e);
        }
    }

    public static T Deserialize<T>(string venue, string what, JsonElement data, JsonTypeInfo<T> type) =>
        Read(venue, what, () => data.Deserialize(type) ?? throw new JsonException("the answer is null"));

    public static async Task<T> SendAsync<T>(this IRestExecutor rest, string venue, RestRequest request, JsonTypeInfo<T> type, CancellationToken ct)
    {
        var data = await rest.SendAsync(request, ct).ConfigureAwait(false);
        return Deserialize(venue, request.Path, data, type);
    }
}
