using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Json;

namespace ActorTrading.Exchanges.Binance.Rest;

/// <summary>Reading Binance's answers the same way everywhere: an answer of the wrong shape is a <see cref="ProtocolError"/> naming what was asked.</summary>
internal static class BinanceAnswers
{
    public static T Read<T>(string what, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is JsonException or FrameFormatException or InvalidOperationException or FormatException or KeyNotFoundException)
        {
            throw new ExchangeException(new ProtocolError($"unexpected Binance answer to {what}: {e.Message}", "(response)"), e);
        }
    }

    public static T Read<T>(RestRequest request, Func<T> read) => Read(request.Path, read);

    public static T Deserialize<T>(string what, JsonElement data, JsonTypeInfo<T> type) =>
        Read(what, () => data.Deserialize(type) ?? throw new JsonException("the answer is null"));

    public static async Task<T> SendAsync<T>(this IRestExecutor rest, RestRequest request, JsonTypeInfo<T> type, CancellationToken ct)
    {
        var data = await rest.SendAsync(request, ct).ConfigureAwait(false);
        return Deserialize(request.Path, data, type);
    }
}
