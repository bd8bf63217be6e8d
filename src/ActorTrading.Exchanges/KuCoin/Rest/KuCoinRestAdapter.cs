using System.Globalization;
using System.Text.Json;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Exchanges.KuCoin.Auth;

namespace ActorTrading.Exchanges.KuCoin.Rest;

/// <summary>
/// KuCoin REST envelope <c>{"code":"200000","data":…}</c> / <c>{"code":"…","msg":"…"}</c>, signing and the
/// <c>gw-ratelimit-limit/remaining/reset</c> headers (reset = milliseconds until the pool refills).
/// </summary>
public sealed class KuCoinRestAdapter(Uri baseUri, KuCoinCredentials? credentials = null) : IRestAdapter
{
    /// <summary>Codes meaning the key, signature, passphrase, IP or account was refused (docs-new "errors").</summary>
    private static readonly HashSet<string> AuthenticationCodes =
        ["400001", "400002", "400003", "400004", "400005", "400006", "400007", "411100"];

    private static readonly HashSet<string> RateLimitCodes = ["429000", "200002", "1015"];

    public Uri BaseUri { get; } = baseUri;

    /// <summary><c>GET /api/v1/timestamp</c> exists on both the spot and the futures host.</summary>
    public RestRequest ServerTimeRequest { get; } = RestRequest.Get("/api/v1/timestamp", KuCoinVenue.Pools.Public, 3);

    public long ParseServerTime(JsonElement data) => data.GetInt64();

    /// <summary>400002: "KC-API-TIMESTAMP Invalid" — our clock is more than 5 s away from the server's.</summary>
    public bool IsClockSkew(ExchangeError error) => error is AuthenticationError { VenueCode: "400002" };

    public RestOutcome Unwrap(int httpStatus, ReadOnlySpan<byte> body, TimeSpan? retryAfter)
    {
        string? code = null;
        string? message = null;
        JsonElement data = default;
        if (ResponseBody.TryParse(body, out var root))
        {
            if (root.ValueKind == JsonValueKind.Object)
            {
                code = root.TryGetProperty("code", out var c) ? (c.ValueKind == JsonValueKind.String ? c.GetString() : c.GetRawText()) : null;
                message = root.TryGetProperty("msg", out var m) ? m.GetString() : null;
                data = root.TryGetProperty("data", out var d) ? d : default;
            }
        }
        else if (!body.IsEmpty && httpStatus is >= 200 and < 300)
        {
            return RestOutcome.Failure(ProtocolError.From("response body is not JSON", body));
        }

        if (code == KuCoinVenue.SuccessCode && httpStatus is >= 200 and < 300)
        {
            return RestOutcome.Success(data);
        }

        message ??= $"HTTP {httpStatus}";
        if (httpStatus == 429 || (code is not null && RateLimitCodes.Contains(code)))
        {
            return RestOutcome.Failure(new RateLimitedError($"{code ?? "429"} {message}", retryAfter ?? KuCoinVenue.QuotaWindow));
        }

        if (code is not null && AuthenticationCodes.Contains(code) || httpStatus is 401 or 403)
        {
            return RestOutcome.Failure(new AuthenticationError(message, code));
        }

        if (code is null && httpStatus is >= 200 and < 300)
        {
            return RestOutcome.Failure(ProtocolError.From("response has no 'code' field", body));
        }

        return RestOutcome.Failure(new ApiError(code ?? $"http-{httpStatus}", message, httpStatus));
    }

    /// <summary>KuCoin signs in headers (<c>KC-API-*</c>) over the unencoded path and query plus the JSON body.</summary>
    public WireRequest Prepare(RestRequest request, long timestampMs)
    {
        if (!request.Signed)
        {
            return WireRequest.Plain(request);
        }

        if (credentials is null)
        {
            throw new ExchangeException(new AuthenticationError(
                "KuCoin credentials are not configured: set KC_KEY, KC_SECRET and KC_PASSPHRASE"));
        }

        var headers = KuCoinSigner.Headers(credentials, timestampMs, request.Method.Method, request.UnencodedPathAndQuery, request.Body);
        var secrets = headers.Where(h => h.Key is not ("KC-API-TIMESTAMP" or "KC-API-KEY-VERSION")).Select(h => h.Value).ToArray();
        return WireRequest.Plain(request) with { Headers = headers, Secrets = secrets };
    }

    public RateLimitObservation? ObserveRateLimit(string pool, Func<string, string?> header)
    {
        var limit = ParseInt(header("gw-ratelimit-limit"));
        var remaining = ParseInt(header("gw-ratelimit-remaining"));
        var reset = ParseInt(header("gw-ratelimit-reset"));
        if (limit is null && remaining is null && reset is null)
        {
            return null;
        }

        return new RateLimitObservation(pool, limit, remaining, reset is { } ms ? TimeSpan.FromMilliseconds(ms) : null);
    }

    public TimeSpan? RetryAfter(Func<string, string?> header)
    {
        if (ParseInt(header("gw-ratelimit-reset")) is { } resetMs)
        {
            return TimeSpan.FromMilliseconds(resetMs);
        }

        return ParseInt(header("Retry-After")) is { } seconds ? TimeSpan.FromSeconds(seconds) : null;
    }

    /// <summary>KuCoin documents no IP bans: an exhausted quota is a 429 (code 429000) with its reset time.</summary>
    public TimeSpan? BanDuration(int httpStatus, Func<string, string?> header) => null;

    private static int? ParseInt(string? text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;
}
