using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ActorTrading.Core.Adapters;

namespace ActorTrading.Exchanges.Binance.Rest;

/// <summary>Binance's answers read through <see cref="VenueAnswers"/>: an answer of the wrong shape is a protocol error naming what was asked.</summary>
internal static class BinanceAnswers
{
    private const string Venue = "Binance";

    public static T Read<T>(string what, Func<T> read) => VenueAnswers.Read(Venue, what, read);

    public static T Read<T>(RestRequest request, Func<T> read) => Read(request.Path, read);

    public static T Deserialize<T>(string what, JsonElement data, JsonTypeInfo<T> type) => VenueAnswers.Deserialize(Venue, what, data, type);

    public static Task<T> SendAsync<T>(this IRestExecutor rest, RestRequest request, JsonTypeInfo<T> type, CancellationToken ct) =>
        VenueAnswers.SendAsync(rest, Venue, request, type, ct);
}
