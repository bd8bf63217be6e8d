using System.Globalization;
using System.Text.Json;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Exchanges.Bybit.Auth;

namespace ActorTrading.Exchanges.Bybit.Rest;

/// <summary>
/// Bybit v5 REST: every answer is the envelope <c>{"retCode":0,"retMsg":"OK","result":{…},"retExtInfo":{},"time":…}</c>,
/// mostly with HTTP 200 even for errors (error.mdx). <c>retCode</c> 0 gives <c>result</c>; 10006 is the UID's rate
/// limit (wait until <c>X-Bapi-Limit-Reset-Timestamp</c>); 10002 a timestamp outside the window (the clock is synced
/// and the request signed anew); 10003/10004/10005/10007/10010 refuse the key, its signature or its permissions (stop,
/// never retry). HTTP 403 is the IP's limit ("access too frequent"): no request for at least 10 minutes.
/// Signed requests carry <c>X-BAPI-API-KEY</c>, <c>-TIMESTAMP</c>, <c>-RECV-WINDOW</c> and <c>-SIGN</c> over
/// <c>timestamp + key + recvWindow + (query as sent | body as sent)</c>.
/// </summary>
public sealed class BybitRestAdapter(Uri baseUri, BybitCredentials? credentials = null, int recvWindowMs = BybitSigner.DefaultRecvWindow, TimeProvider? clock = null)
    : IRestAdapter
{
    /// <summary>Codes that refuse the key, its signature, its permissions or its IP: the same request cannot pass by retrying.</summary>
    private static readonly HashSet<string> AuthenticationCodes = ["10003", "10004", "10005", "10007", "10009", "10010", "10027", "10028", "33004"];

    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public Uri BaseUri { get; } = baseUri;

    /// <summary><c>GET /v5/market/time</c>: <c>{"timeSecond":"…","timeNano":"…"}</c>.</summary>
    public RestRequest ServerTimeRequest { get; } = RestRequest.Get("/v5/market/time", BybitVenue.Pools.Ip, 1);

    public long ParseServerTime(JsonElement data) =>
        data.ValueKind == JsonValueKind.Object && data.TryGetProperty("timeNano", out var nano) && nano.ValueKind == JsonValueKind.String
            && long.TryParse(nano.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var ns)
            ? ns / 1_000_000
            : throw new ExchangeException(new ProtocolError("server time answer has no timeNano", data.ValueKind == JsonValueKind.Undefined ? "" : data.GetRawText()));

    /// <summary>10002: "The request time exceeds the time window range."</summary>
    public bool IsClockSkew(ExchangeError error) => error is AuthenticationError { VenueCode: "10002" };

    public RestOutcome Unwrap(int httpStatus, ReadOnlySpan<byte> body, TimeSpan? retryAfter)
    {
        // A 403 page or a proxy's error is still an error; a success must be the envelope.
        var parsed = ResponseBody.TryParse(body, out var root) && root.ValueKind == JsonValueKind.Object;

        if (httpStatus == 403)
        {
            return RestOutcome.Failure(new IpBannedError("HTTP 403: access too frequent (the IP's limit of 600 requests per 5 s), or a region the venue refuses", IpBan(retryAfter)));
        }

        if (!parsed || !root.TryGetProperty("retCode", out var codeElement) || !codeElement.TryGetInt64(out var code))
        {
            return RestOutcome.Failure(httpStatus switch
            {
                429 => new RateLimitedError("HTTP 429: the venue's system-level frequency protection", retryAfter ?? TimeSpan.FromSeconds(1)),
                >= 200 and < 300 => ProtocolError.From("response is not Bybit's envelope (retCode, retMsg, result)", body),
                _ => new ApiError($"http-{httpStatus}", $"HTTP {httpStatus}", httpStatus),
            });
        }

        var message = root.TryGetProperty("retMsg", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : string.Empty;
        if (code == 0)
        {
            return root.TryGetProperty("result", out var result)
                ? RestOutcome.Success(result)
                : RestOutcome.Failure(ProtocolError.From("retCode 0 without a result", body));
        }

        var venueCode = code.ToString(CultureInfo.InvariantCulture);
        return RestOutcome.Failure(venueCode switch
        {
            "10006" => new RateLimitedError($"10006 {message}", retryAfter ?? TimeSpan.FromSeconds(1)),
            "10002" => new AuthenticationError($"10002 {message}", venueCode),
            _ when AuthenticationCodes.Contains(venueCode) => new AuthenticationError($"{venueCode} {message}", venueCode),
            _ => new ApiError(venueCode, message, httpStatus),
        });
    }

    /// <summary>
    /// Unsigned requests go as they are. Signed ones: a GET signs its query exactly as sent, a POST its JSON body
    /// exactly as sent (the bytes the server hashes).
    /// </summary>
    public WireRequest Prepare(RestRequest request, long timestampMs)
    {
        if (!request.Signed)
        {
            return WireRequest.Plain(request);
        }

        if (credentials is null)
        {
            throw new ExchangeException(new AuthenticationError("Bybit credentials are not configured: set BYBIT_API_KEY and BYBIT_API_SECRET"));
        }

        var wire = WireRequest.Plain(request);
        var query = wire.PathAndQuery.IndexOf('?') is var q and >= 0 ? wire.PathAndQuery[(q + 1)..] : string.Empty;
        var payload = request.Method == HttpMethod.Get ? query : request.Body ?? string.Empty;
        var headers = BybitSigner.Headers(credentials, timestampMs, recvWindowMs, payload);
        return wire with { Headers = headers, Secrets = [credentials.ApiKey, headers[^1].Value] };
    }

    /// <summary>
    /// <c>X-Bapi-Limit</c> (the endpoint's limit per second), <c>X-Bapi-Limit-Status</c> (what remains) and
    /// <c>X-Bapi-Limit-Reset-Timestamp</c> (when it resets, ms; "otherwise just the current timestamp").
    /// </summary>
    public RateLimitObservation? ObserveRateLimit(string pool, Func<string, string?> header)
    {
        var remaining = ParseLong(header("X-Bapi-Limit-Status"));
        if (remaining is null)
        {
            return null;
        }

        var limit = ParseLong(header("X-Bapi-Limit"));
        return new RateLimitObservation(pool, limit is { } l ? (int)l : null, (int)remaining.Value, ResetIn(header), Window: TimeSpan.FromSeconds(1));
    }

    /// <summary>A 10006 or 429 waits until the endpoint's window resets, when the venue says when.</summary>
    public TimeSpan? RetryAfter(Func<string, string?> header) =>
        ResetIn(header) is { } wait && wait > TimeSpan.Zero ? wait : ParseLong(header("Retry-After")) is { } seconds and >= 0 ? TimeSpan.FromSeconds(seconds) : null;

    public TimeSpan? BanDuration(int httpStatus, Func<string, string?> header) => httpStatus == 403 ? IpBan(RetryAfter(header)) : null;

    /// <summary>HTTP 429, or the envelope's <c>retCode</c> 10006 "Too many visits!" (sent with HTTP 200): nothing was done.</summary>
    public bool IsThrottled(int httpStatus, ReadOnlySpan<byte> body) => httpStatus == 429 || (httpStatus == 200 && body.IndexOf("10006"u8) >= 0 && RetCode(body) == 10006);

    /// <summary>The envelope's <c>retCode</c>, read without building a document; null when the body is not the envelope.</summary>
    private static long? RetCode(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isCode = reader.ValueTextEquals("retCode"u8);
                reader.Read();
                if (isCode)
                {
                    return reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var code) ? code : null;
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
        }

        return null;
    }

    private static TimeSpan IpBan(TimeSpan? retryAfter) => retryAfter is { } wait && wait > BybitVenue.IpBan ? wait : BybitVenue.IpBan;

    private TimeSpan? ResetIn(Func<string, string?> header) =>
        ParseLong(header("X-Bapi-Limit-Reset-Timestamp")) is { } resetMs
            ? TimeSpan.FromMilliseconds(Math.Max(0, resetMs - _clock.GetUtcNow().ToUnixTimeMilliseconds()))
            : null;

    private static long? ParseLong(string? text) =>
        long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;
}
