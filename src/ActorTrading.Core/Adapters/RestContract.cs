using System.Text;
using System.Text.Json;
using ActorTrading.Core.Errors;

namespace ActorTrading.Core.Adapters;

/// <summary>
/// A venue REST call as data: the adapter builds it, the runtime's gateway sends it.
/// <see cref="Pool"/> and <see cref="Weight"/> are the venue's rate-limit resource pool and the endpoint's cost.
/// </summary>
public sealed record RestRequest(
    HttpMethod Method,
    string Path,
    IReadOnlyList<KeyValuePair<string, string>> Query,
    string? Body,
    string Pool,
    int Weight,
    bool Signed = false)
{
    public static RestRequest Get(string path, string pool, int weight, params (string Key, string? Value)[] query) =>
        new(HttpMethod.Get, path, BuildQuery(query), null, pool, weight);

    /// <summary>Query pairs whose value is null are left out.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> BuildQuery(IEnumerable<(string Key, string? Value)> query) =>
        query.Where(q => q.Value is not null).Select(q => KeyValuePair.Create(q.Key, q.Value!)).ToArray();

    /// <summary>Path plus query exactly as the venue signs it: values not URL-encoded.</summary>
    public string UnencodedPathAndQuery => Query.Count == 0 ? Path : Path + "?" + Join(Query, encode: false);

    /// <summary>Path plus query as sent on the wire.</summary>
    public string EncodedPathAndQuery => Query.Count == 0 ? Path : Path + "?" + Join(Query, encode: true);

    private static string Join(IReadOnlyList<KeyValuePair<string, string>> query, bool encode)
    {
        var sb = new StringBuilder();
        foreach (var (key, value) in query)
        {
            if (sb.Length > 0)
            {
                sb.Append('&');
            }

            sb.Append(encode ? Uri.EscapeDataString(key) : key).Append('=').Append(encode ? Uri.EscapeDataString(value) : value);
        }

        return sb.ToString();
    }
}

/// <summary>What the venue told us about our remaining quota in a response's headers.</summary>
public sealed record RateLimitObservation(string Pool, int? Limit, int? Remaining, TimeSpan? ResetIn);

/// <summary>The venue-specific parts of REST: base URL, envelope, signing and rate-limit headers.</summary>
public interface IRestAdapter
{
    Uri BaseUri { get; }

    /// <summary>Unwraps a response body: the payload on success, a typed error otherwise.</summary>
    RestOutcome Unwrap(int httpStatus, ReadOnlySpan<byte> body, TimeSpan? retryAfter);

    /// <summary>Signing headers for a request, or an <see cref="AuthenticationError"/> when no credentials are configured.</summary>
    IReadOnlyList<KeyValuePair<string, string>> SignHeaders(RestRequest request, long timestampMs);

    /// <summary>Reads the quota headers of a response, when present.</summary>
    RateLimitObservation? ObserveRateLimit(string pool, Func<string, string?> header);

    /// <summary>How long a 429 asks us to wait, from the venue's headers.</summary>
    TimeSpan? RetryAfter(Func<string, string?> header);

    /// <summary>
    /// When a response says the venue has banned our IP (Binance: HTTP 418), for how long: the venue then gets no
    /// request at all until the ban has passed. Null for any other response.
    /// </summary>
    TimeSpan? BanDuration(int httpStatus, Func<string, string?> header);

    /// <summary>The venue's server-time endpoint, for clock synchronization of signed requests.</summary>
    RestRequest ServerTimeRequest { get; }

    /// <summary>Server time in Unix milliseconds from the <see cref="ServerTimeRequest"/> payload.</summary>
    long ParseServerTime(JsonElement data);

    /// <summary>True when the venue refused a signed request because our timestamp is outside its window.</summary>
    bool IsClockSkew(ExchangeError error);
}

/// <summary>Either the unwrapped payload or a typed error.</summary>
public readonly struct RestOutcome
{
    private RestOutcome(JsonElement data, ExchangeError? error)
    {
        Data = data;
        Error = error;
    }

    public JsonElement Data { get; }

    public ExchangeError? Error { get; }

    public bool IsSuccess => Error is null;

    public static RestOutcome Success(JsonElement data) => new(data, null);

    public static RestOutcome Failure(ExchangeError error) => new(default, error);
}

/// <summary>Sends a <see cref="RestRequest"/> and returns the unwrapped payload, or throws <see cref="ExchangeException"/>.</summary>
public interface IRestExecutor
{
    Task<JsonElement> SendAsync(RestRequest request, CancellationToken cancellationToken);
}
