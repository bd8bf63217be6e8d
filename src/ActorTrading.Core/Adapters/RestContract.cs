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
    bool Signed = false,
    IReadOnlyList<RateCharge>? AlsoCharges = null)
{
    /// <summary>Every pool the request spends from: its own, and the others the venue counts it in (Binance: an order spends IP weight and the account's order count).</summary>
    public IReadOnlyList<RateCharge> Charges => AlsoCharges is null or { Count: 0 } ? [new(Pool, Weight)] : [new(Pool, Weight), .. AlsoCharges];

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

/// <summary>
/// One request as sent: path and query already encoded, the body and its content type, headers, and every value
/// derived from credentials (key, signature, passphrase) so that errors and logs can scrub them.
/// </summary>
public sealed record WireRequest(
    string PathAndQuery, string? Body, string ContentType,
    IReadOnlyList<KeyValuePair<string, string>> Headers, IReadOnlyList<string> Secrets)
{
    public const string Json = "application/json";

    /// <summary>The request unchanged, its body sent as JSON.</summary>
    public static WireRequest Plain(RestRequest request) => new(request.EncodedPathAndQuery, request.Body, Json, [], []);
}

/// <summary>What a request spends from one rate-limit pool.</summary>
public readonly record struct RateCharge(string Pool, int Weight);

/// <summary>One of a venue's limits: at most <paramref name="Limit"/> weight in any <paramref name="Window"/> of the pool. A pool may have several (per 10 s and per day).</summary>
public sealed record RateQuota(string Pool, int Limit, TimeSpan Window)
{
    /// <summary>One limit per pool, all over the same window (KuCoin: every pool per 30 s).</summary>
    public static IReadOnlyList<RateQuota> Uniform(IReadOnlyDictionary<string, int> limits, TimeSpan window) =>
        limits.Select(l => new RateQuota(l.Key, l.Value, window)).ToArray();
}

/// <summary>
/// What the venue told us about our quota in a response's headers: a limit and what remains until a reset (KuCoin),
/// or what we have used in a window (Binance <c>X-MBX-USED-WEIGHT-1M</c>); <see cref="Window"/> names which of
/// the pool's limits it speaks of (null: all of them).
/// </summary>
public sealed record RateLimitObservation(string Pool, int? Limit, int? Remaining, TimeSpan? ResetIn, int? Used = null, TimeSpan? Window = null);

/// <summary>The venue-specific parts of REST: base URL, envelope, signing and rate-limit headers.</summary>
public interface IRestAdapter
{
    Uri BaseUri { get; }

    /// <summary>Unwraps a response body: the payload on success, a typed error otherwise.</summary>
    RestOutcome Unwrap(int httpStatus, ReadOnlySpan<byte> body, TimeSpan? retryAfter);

    /// <summary>
    /// The request as it goes on the wire, built anew for every attempt: unsigned requests as they are; signed ones
    /// with the venue's signature, in headers (KuCoin) or by rewriting the query or body (Binance appends
    /// <c>timestamp</c>, <c>recvWindow</c> and <c>signature</c>). Throws an <see cref="AuthenticationError"/> when a
    /// signed request has no credentials configured.
    /// </summary>
    WireRequest Prepare(RestRequest request, long timestampMs);

    /// <summary>Reads the quota headers of a response, when present.</summary>
    RateLimitObservation? ObserveRateLimit(string pool, Func<string, string?> header);

    /// <summary>Every quota a response reports on (Binance: IP weight, and order counts per window).</summary>
    IReadOnlyList<RateLimitObservation> ObserveRateLimits(string pool, Func<string, string?> header) =>
        ObserveRateLimit(pool, header) is { } observation ? [observation] : [];

    /// <summary>How long a 429 asks us to wait, from the venue's headers.</summary>
    TimeSpan? RetryAfter(Func<string, string?> header);

    /// <summary>
    /// Whether a response is the venue refusing the pace: nothing was done, so any request may be sent again after
    /// <see cref="RetryAfter"/>. HTTP 429 by default; Bybit says it in the body of an HTTP 200 (<c>retCode</c> 10006).
    /// </summary>
    bool IsThrottled(int httpStatus, ReadOnlySpan<byte> body) => httpStatus == 429;

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

/// <summary>
/// How a venue lists its instruments' trading rules: one public request (Binance <c>exchangeInfo</c>, KuCoin
/// <c>/api/v1/contracts/active</c> or <c>/api/v2/symbols</c>) and its reader. Pure code; the runtime loads them at start
/// and refreshes them.
/// </summary>
public interface IInstrumentAdapter
{
    RestRequest Request { get; }

    /// <summary>Every instrument of the answer; a field the rules need that the venue leaves out is a <see cref="Json.FrameFormatException"/>.</summary>
    IReadOnlyList<Market.InstrumentSpec> Read(JsonElement data);
}
