using System.Globalization;
using System.Text.Json;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Exchanges.Binance.Auth;

namespace ActorTrading.Exchanges.Binance.Rest;

/// <summary>
/// Binance REST (spot <c>/api/v3</c>, USDⓈ-M <c>/fapi</c>): no envelope on success; errors are
/// <c>{"code":-1121,"msg":"Invalid symbol."}</c> with a 4XX status. 429 is a rate limit with <c>Retry-After</c>, 418 an
/// IP ban until <c>Retry-After</c>, 403 a WAF block, 5XX an unknown outcome (rest-api.md "HTTP Return Codes").
/// Signed requests carry every parameter in the query, percent-encoded, with <c>recvWindow</c>, <c>timestamp</c> and
/// then <c>signature</c> over exactly that text; the key goes in <c>X-MBX-APIKEY</c>.
/// </summary>
public sealed class BinanceRestAdapter(MarketKind market, Uri baseUri, BinanceCredentials? credentials = null, int recvWindowMs = BinanceVenue.RecvWindowMs)
    : IRestAdapter
{
    public const string ApiKeyHeader = "X-MBX-APIKEY";

    /// <summary>Key, signature, time or permission refused (errors.md): -1002 UNAUTHORIZED, -1021 INVALID_TIMESTAMP, -1022 INVALID_SIGNATURE, -2014 bad key format, -2015 key/IP/permissions.</summary>
    private static readonly HashSet<string> AuthenticationCodes = ["-1002", "-1021", "-1022", "-2014", "-2015"];

    /// <summary>-1003 TOO_MANY_REQUESTS, -1015 TOO_MANY_ORDERS.</summary>
    private static readonly HashSet<string> RateLimitCodes = ["-1003", "-1015"];

    /// <summary>Without a <c>Retry-After</c> a ban lasts at least this long (bans run "from 2 minutes to 3 days").</summary>
    public static readonly TimeSpan MinimumBan = TimeSpan.FromMinutes(2);

    public MarketKind Market { get; } = market;

    public Uri BaseUri { get; } = baseUri;

    public RestRequest ServerTimeRequest { get; } = RestRequest.Get(
        market == MarketKind.Futures ? "/fapi/v1/time" : "/api/v3/time", BinanceVenue.Pools.Weight, 1);

    public long ParseServerTime(JsonElement data) =>
        data.ValueKind == JsonValueKind.Object && data.TryGetProperty("serverTime", out var time) && time.TryGetInt64(out var ms)
            ? ms
            : throw new ExchangeException(new ProtocolError("server time answer has no serverTime", data.GetRawText()));

    /// <summary>-1021: "Timestamp for this request is outside of the recvWindow" (or ahead of the server's clock).</summary>
    public bool IsClockSkew(ExchangeError error) => error is AuthenticationError { VenueCode: "-1021" };

    public RestOutcome Unwrap(int httpStatus, ReadOnlySpan<byte> body, TimeSpan? retryAfter)
    {
        // An error page (a proxy, the WAF) is still an error; a success must be JSON.
        var parsed = ResponseBody.TryParse(body, out var root);

        if (httpStatus is >= 200 and < 300)
        {
            return parsed ? RestOutcome.Success(root) : RestOutcome.Failure(ProtocolError.From("response body is not JSON", body));
        }

        string? code = null, message = null;
        if (parsed && root.ValueKind == JsonValueKind.Object)
        {
            code = root.TryGetProperty("code", out var c) ? (c.ValueKind == JsonValueKind.String ? c.GetString() : c.GetRawText()) : null;
            message = root.TryGetProperty("msg", out var m) ? m.GetString() : null;
        }

        message ??= $"HTTP {httpStatus}";
        return RestOutcome.Failure(httpStatus switch
        {
            418 => new IpBannedError($"418 {message}", retryAfter ?? MinimumBan),
            429 => new RateLimitedError($"{code ?? "429"} {message}", retryAfter ?? TimeSpan.FromMinutes(1)),
            _ when code is not null && RateLimitCodes.Contains(code) => new RateLimitedError($"{code} {message}", retryAfter ?? TimeSpan.FromMinutes(1)),
            _ when code is not null && AuthenticationCodes.Contains(code) => new AuthenticationError(message, code),
            401 => new AuthenticationError(message, code),
            403 => new ApiError(code ?? "waf", $"HTTP 403: the venue's firewall refused the request (a rate or security rule): {message}", 403),
            _ => new ApiError(code ?? $"http-{httpStatus}", message, httpStatus),
        });
    }

    /// <summary>
    /// Unsigned requests send their parameters in the query as they are. Signed ones add <c>recvWindow</c> and
    /// <c>timestamp</c> and sign the encoded query; USER_STREAM requests (the futures <c>listenKey</c>) carry the key only.
    /// </summary>
    public WireRequest Prepare(RestRequest request, long timestampMs)
    {
        if (!request.Signed)
        {
            return WireRequest.Plain(request);
        }

        if (credentials is null)
        {
            throw new ExchangeException(new AuthenticationError(
                "Binance credentials are not configured: set BINANCE_API_KEY and BINANCE_API_SECRET"));
        }

        IReadOnlyList<KeyValuePair<string, string>> headers = [KeyValuePair.Create(ApiKeyHeader, credentials.ApiKey)];
        if (IsUserStream(request.Path))
        {
            return WireRequest.Plain(request) with { Headers = headers, Secrets = [credentials.ApiKey] };
        }

        var query = BinanceSigner.Encode(BinanceSigner.WithTiming(request.Query, timestampMs, recvWindowMs));
        var signature = BinanceSigner.Sign(credentials, query + (request.Body ?? string.Empty));
        return new WireRequest($"{request.Path}?{query}&signature={signature}", request.Body, "application/x-www-form-urlencoded",
            headers, [credentials.ApiKey, signature]);
    }

    /// <summary>The listen-key endpoints: security type USER_STREAM, the key without a signature.</summary>
    public static bool IsUserStream(string path) => path.EndsWith("/listenKey", StringComparison.Ordinal);

    public RateLimitObservation? ObserveRateLimit(string pool, Func<string, string?> header) =>
        ObserveRateLimits(pool, header) is [var first, ..] ? first : null;

    /// <summary>
    /// <c>X-MBX-USED-WEIGHT-1M</c>: the IP's weight used this minute; <c>X-MBX-ORDER-COUNT-10S</c>, <c>-1M</c>, <c>-1D</c>:
    /// the account's orders in each window (rest-api.md "LIMITS").
    /// </summary>
    public IReadOnlyList<RateLimitObservation> ObserveRateLimits(string pool, Func<string, string?> header)
    {
        var observations = new List<RateLimitObservation>(2);
        if (ParseInt(header("X-MBX-USED-WEIGHT-1M")) is { } weight)
        {
            observations.Add(new RateLimitObservation(BinanceVenue.Pools.Weight, null, null, null, weight, TimeSpan.FromMinutes(1)));
        }

        foreach (var (suffix, window) in OrderCountWindows)
        {
            if (ParseInt(header("X-MBX-ORDER-COUNT-" + suffix)) is { } orders)
            {
                observations.Add(new RateLimitObservation(BinanceVenue.Pools.Orders, null, null, null, orders, window));
            }
        }

        return observations;
    }

    private static readonly (string Suffix, TimeSpan Window)[] OrderCountWindows =
        [("10S", TimeSpan.FromSeconds(10)), ("1M", TimeSpan.FromMinutes(1)), ("1D", TimeSpan.FromDays(1))];

    /// <summary>"A Retry-After header is sent with a 418 or 429 responses and will give the number of seconds required to wait".</summary>
    public TimeSpan? RetryAfter(Func<string, string?> header) =>
        ParseInt(header("Retry-After")) is { } seconds and >= 0 ? TimeSpan.FromSeconds(seconds) : null;

    public TimeSpan? BanDuration(int httpStatus, Func<string, string?> header) =>
        httpStatus == 418 ? RetryAfter(header) is { } wait && wait > TimeSpan.Zero ? wait : MinimumBan : null;

    private static int? ParseInt(string? text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;
}
