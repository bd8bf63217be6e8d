using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;

namespace ActorTrading.Exchanges.KuCoin.Rest;

/// <summary>What every typed KuCoin API class does the same way: build signed requests and read payloads as typed records.</summary>
internal static class KuCoinRestCalls
{
    public static RestRequest Signed(HttpMethod method, string path, string pool, int weight, string? body, params (string Key, string? Value)[] query) =>
        new(method, path, RestRequest.BuildQuery(query), body, pool, weight, Signed: true);

    /// <summary>Sends and reads the payload; a payload of the wrong shape is a <see cref="ProtocolError"/>.</summary>
    public static async Task<T> SendAsync<T>(this IRestExecutor rest, RestRequest request, JsonTypeInfo<T> type, CancellationToken ct)
    {
        var data = await rest.SendAsync(request, ct).ConfigureAwait(false);
        try
        {
            return data.Deserialize(type) ?? throw new JsonException("data is null");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new ExchangeException(new ProtocolError($"unexpected KuCoin response to {request.Path}: {e.Message}", "(response data)"), e);
        }
    }

    public static string? Invariant(long? value) => value?.ToString(CultureInfo.InvariantCulture);

    /// <summary>A query flag as KuCoin spells it: <c>true</c>/<c>false</c>, or absent.</summary>
    public static string? Invariant(bool? value) => value switch { true => "true", false => "false", null => null };
}
