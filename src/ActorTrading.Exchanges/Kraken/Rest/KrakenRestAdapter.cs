using System.Globalization;
using System.Text;
using System.Text.Json;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Exchanges.Kraken.Auth;

namespace ActorTrading.Exchanges.Kraken.Rest;

/// <summary>
/// Kraken Spot REST: every answer is <c>{"error":[…],"result":{…}}</c>, an error being a string
/// <c>"&lt;E|W&gt;Category:Message"</c> (warnings, W, are no failure). Private calls are POSTs to <c>/0/private/*</c>
/// with a form body that starts with a fresh <c>nonce</c> (<see cref="KrakenNonce"/>: the signing clock in
/// microseconds, strictly increasing for the process), signed by <c>API-Key</c> and <c>API-Sign</c> over the body exactly as sent. Errors: <c>EAPI:Invalid
/// nonce</c> is answered by the gateway like a clock skew (synced, then sent once more with a new nonce); <c>EAPI:Rate
/// limit exceeded</c>, <c>EOrder:Rate limit exceeded</c> and <c>EService:Throttled: &lt;unix&gt;</c> wait (nothing was done);
/// a refused key, signature or permission stops; the rest are the venue's <see cref="ApiError"/> with its text as code.
/// </summary>
public sealed class KrakenRestAdapter(Uri baseUri, KrakenCredentials? credentials = null, KrakenNonce? nonces = null, TimeProvider? clock = null) : IRestAdapter
{
    public const string FormContentType = "application/x-www-form-urlencoded";

    public const string InvalidNonce = "EAPI:Invalid nonce";

    /// <summary>Errors that refuse the key or what it may do: retrying cannot help.</summary>
    private static readonly HashSet<string> AuthenticationErrors = new(StringComparer.Ordinal)
    {
        "EAPI:Invalid key", "EAPI:Invalid signature", "EGeneral:Permission denied", "EAPI:Feature disabled", "EAPI:Bad request",
    };

    private readonly KrakenNonce _nonces = nonces ?? KrakenNonce.Shared;
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public Uri BaseUri { get; } = baseUri;

    /// <summary><c>GET /0/public/Time</c>: <c>{"unixtime":1688669448,"rfc1123":"…"}</c> (seconds).</summary>
    public RestRequest ServerTimeRequest { get; } = RestRequest.Get("/0/public/Time", KrakenVenue.Pools.Public, 1);

    public long ParseServerTime(JsonElement data) =>
        data.ValueKind == JsonValueKind.Object && data.TryGetProperty("unixtime", out var seconds) && seconds.TryGetInt64(out var s)
            ? s * 1000
            : throw new ExchangeException(new ProtocolError("server time answer has no unixtime", data.ValueKind == JsonValueKind.Undefined ? "" : data.GetRawText()));

    /// <summary>A nonce the venue found not above the key's last: synced and sent again with a fresh one.</summary>
    public bool IsClockSkew(ExchangeError error) => error is AuthenticationError { VenueCode: InvalidNonce };

    public RestOutcome Unwrap(int httpStatus, ReadOnlySpan<byte> body, TimeSpan? retryAfter)
    {
        if (!ResponseBody.TryParse(body, out var root) || root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("error", out var errors)
            || errors.ValueKind != JsonValueKind.Array)
        {
            return RestOutcome.Failure(httpStatus switch
            {
                429 => new RateLimitedError("HTTP 429", retryAfter ?? TimeSpan.FromSeconds(1)),
                >= 200 and < 300 => ProtocolError.From("response is not Kraken's envelope (error, result)", body),
                _ => new ApiError($"http-{httpStatus}", $"HTTP {httpStatus}", httpStatus),
            });
        }

        foreach (var entry in errors.EnumerateArray())
        {
            if (entry.ValueKind == JsonValueKind.String && entry.GetString() is { Length: > 0 } text && text[0] == 'E')
            {
                return RestOutcome.Failure(ErrorOf(text, httpStatus, retryAfter));
            }
        }

        return root.TryGetProperty("result", out var result)
            ? RestOutcome.Success(result)
            : RestOutcome.Failure(ProtocolError.From("answer without error and without result", body));
    }

    /// <summary>One of Kraken's error strings as a typed error; the code is the string up to any detail after a second colon.</summary>
    public ExchangeError ErrorOf(string text, int httpStatus, TimeSpan? retryAfter)
    {
        var code = Code(text);
        return code switch
        {
            InvalidNonce => new AuthenticationError(text, InvalidNonce),
            "EAPI:Rate limit exceeded" or "EOrder:Rate limit exceeded" => new RateLimitedError(text, retryAfter ?? TimeSpan.FromSeconds(3)),
            "EService:Throttled" => new RateLimitedError(text, ThrottledUntil(text) ?? retryAfter ?? TimeSpan.FromSeconds(3)),
            "EGeneral:Temporary lockout" => new RateLimitedError(text, TimeSpan.FromMinutes(15)),
            _ when AuthenticationErrors.Contains(code) => new AuthenticationError(text, code),
            _ => new ApiError(code, text, httpStatus),
        };
    }

    /// <summary>
    /// A private request: <c>nonce</c> first, then the request's form fields, signed over exactly that text. The nonce
    /// is fresh for every attempt (a retried request is a new request to Kraken).
    /// </summary>
    public WireRequest Prepare(RestRequest request, long timestampMs)
    {
        if (!request.Signed)
        {
            return WireRequest.Plain(request);
        }

        if (credentials is null)
        {
            throw new ExchangeException(new AuthenticationError("Kraken credentials are not configured: set KRAKEN_API_KEY and KRAKEN_API_SECRET"));
        }

        var nonce = _nonces.Next(timestampMs);
        var body = new StringBuilder("nonce=").Append(nonce.ToString(CultureInfo.InvariantCulture));
        if (!string.IsNullOrEmpty(request.Body))
        {
            body.Append('&').Append(request.Body);
        }

        var postData = body.ToString();
        var signature = KrakenSigner.Sign(credentials, request.Path, nonce, postData);
        return new WireRequest(request.EncodedPathAndQuery, postData, FormContentType,
            [KeyValuePair.Create("API-Key", credentials.ApiKey), KeyValuePair.Create("API-Sign", signature)], [credentials.ApiKey, signature]);
    }

    /// <summary>Kraken sends no rate-limit headers: the call counter is modelled locally (<see cref="KrakenVenue.Limits"/>).</summary>
    public RateLimitObservation? ObserveRateLimit(string pool, Func<string, string?> header) => null;

    public TimeSpan? RetryAfter(Func<string, string?> header) =>
        long.TryParse(header("Retry-After"), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ? TimeSpan.FromSeconds(seconds) : null;

    public TimeSpan? BanDuration(int httpStatus, Func<string, string?> header) => null;

    /// <summary>HTTP 429, or an answer whose error says the pace was refused (Kraken says so with HTTP 200).</summary>
    public bool IsThrottled(int httpStatus, ReadOnlySpan<byte> body) =>
        httpStatus == 429 || (body.Length < 512 && (body.IndexOf("Rate limit exceeded"u8) >= 0 || body.IndexOf("EService:Throttled"u8) >= 0));

    /// <summary>A form body: keys and values URL-encoded, in the given order; null values left out.</summary>
    public static string Form(params (string Key, string? Value)[] fields) =>
        string.Join('&', fields.Where(f => f.Value is not null).Select(f => Uri.EscapeDataString(f.Key) + "=" + Uri.EscapeDataString(f.Value!)));

    /// <summary>A signed POST to <c>/0/private/{method}</c>.</summary>
    public static RestRequest Private(string method, int weight, string pool, params (string Key, string? Value)[] fields) =>
        new(HttpMethod.Post, "/0/private/" + method, [], Form(fields), pool, weight, Signed: true);

    private static string Code(string text)
    {
        var first = text.IndexOf(':');
        var second = first < 0 ? -1 : text.IndexOf(':', first + 1);
        return (second < 0 ? text : text[..second]).Trim();
    }

    /// <summary><c>EService:Throttled: 1700000000</c>: the wait until that Unix second.</summary>
    private TimeSpan? ThrottledUntil(string text)
    {
        var colon = text.LastIndexOf(':');
        return colon > 0 && long.TryParse(text.AsSpan(colon + 1).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var until)
            ? TimeSpan.FromSeconds(Math.Max(1, until - _clock.GetUtcNow().ToUnixTimeSeconds()))
            : null;
    }
}
