using System.Globalization;
using System.Text.Json;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Exchanges.CryptoCom.Auth;

namespace ActorTrading.Exchanges.CryptoCom.Rest;

/// <summary>
/// Crypto.com Exchange v1 REST: answers are <c>{"id","method","code":0,"result":{…}}</c>, a refusal
/// <c>{"code":40101,"message":"UNAUTHORIZED"}</c> (the code as a number or a string). 40101 and 40103 refuse the key or
/// the IP (stop), 40102 a nonce more than 60 s from the venue's clock (synced, signed again), 42901 the pace (wait); the
/// rest are the venue's <see cref="ApiError"/>. A private call is a POST of <c>{"id","method","api_key","params","nonce","sig"}</c>
/// signed over method, id, key, the sorted parameters and nonce (<see cref="CryptoComSigner"/>).
/// </summary>
public sealed class CryptoComRestAdapter(Uri baseUri, CryptoComCredentials? credentials = null) : IRestAdapter
{
    private static readonly HashSet<string> AuthenticationCodes = ["40101", "40103", "40104"];
    private long _ids;

    public Uri BaseUri { get; } = baseUri;

    /// <summary>Exchange v1 documents no time endpoint: a ticker's <c>t</c> (the venue's Unix ms) tells its clock.</summary>
    public RestRequest ServerTimeRequest { get; } = RestRequest.Get(CryptoComVenue.ApiPath + "public/get-tickers", CryptoComVenue.Pools.Public, 1, ("instrument_name", "BTC_USDT"));

    public long ParseServerTime(JsonElement data) =>
        data.ValueKind == JsonValueKind.Object && data.TryGetProperty("data", out var rows) && rows.ValueKind == JsonValueKind.Array && rows.GetArrayLength() > 0
            && rows[0].TryGetProperty("t", out var t) && t.TryGetInt64(out var ms)
            ? ms
            : throw new ExchangeException(new ProtocolError("tickers answer has no time (data[0].t)", data.ValueKind == JsonValueKind.Undefined ? "" : data.GetRawText()));

    /// <summary>40102 INVALID_NONCE: "nonce value differs by more than 60 seconds".</summary>
    public bool IsClockSkew(ExchangeError error) => error is AuthenticationError { VenueCode: "40102" };

    public RestOutcome Unwrap(int httpStatus, ReadOnlySpan<byte> body, TimeSpan? retryAfter)
    {
        if (!ResponseBody.TryParse(body, out var root) || root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("code", out var codeElement))
        {
            return RestOutcome.Failure(httpStatus switch
            {
                429 => new RateLimitedError("HTTP 429", retryAfter ?? TimeSpan.FromSeconds(1)),
                >= 200 and < 300 => ProtocolError.From("response is not Crypto.com's envelope (id, method, code, result)", body),
                _ => new ApiError($"http-{httpStatus}", $"HTTP {httpStatus}", httpStatus),
            });
        }

        var code = codeElement.ValueKind switch
        {
            JsonValueKind.Number => codeElement.GetRawText(),
            JsonValueKind.String => codeElement.GetString()!,
            _ => "?",
        };
        if (code == "0")
        {
            return root.TryGetProperty("result", out var result)
                ? RestOutcome.Success(result)
                : RestOutcome.Success(default);   // cancel answers carry no result: code 0 is the answer
        }

        var message = root.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : string.Empty;
        return RestOutcome.Failure(ErrorOf(code, message, httpStatus, retryAfter));
    }

    /// <summary>What a refusal's code means, over REST or the user socket alike.</summary>
    public static ExchangeError ErrorOf(string code, string message, int httpStatus, TimeSpan? retryAfter) => code switch
    {
        "42901" => new RateLimitedError($"42901 {message}", retryAfter ?? TimeSpan.FromSeconds(1)),
        "40102" => new AuthenticationError($"40102 {message}", code),
        _ when AuthenticationCodes.Contains(code) => new AuthenticationError($"{code} {message}", code),
        _ => new ApiError(code, message, httpStatus),
    };

    /// <summary>A private call's body, built anew for every attempt with a fresh id and nonce and signed as it goes out.</summary>
    public WireRequest Prepare(RestRequest request, long timestampMs)
    {
        if (!request.Signed)
        {
            return WireRequest.Plain(request);
        }

        if (credentials is null)
        {
            throw new ExchangeException(new AuthenticationError("Crypto.com credentials are not configured: set CRYPTOCOM_API_KEY and CRYPTOCOM_API_SECRET"));
        }

        var method = request.Path.StartsWith(CryptoComVenue.ApiPath, StringComparison.Ordinal) ? request.Path[CryptoComVenue.ApiPath.Length..] : request.Path.TrimStart('/');
        var id = Interlocked.Increment(ref _ids);
        using var parameters = JsonDocument.Parse(string.IsNullOrEmpty(request.Body) ? "{}" : request.Body);
        var signature = CryptoComSigner.Sign(credentials, method, id, parameters.RootElement, timestampMs);
        var body = JsonText.Object(json =>
        {
            json.WriteNumber("id", id);
            json.WriteString("method", method);
            json.WriteString("api_key", credentials.ApiKey);
            json.WritePropertyName("params");
            parameters.RootElement.WriteTo(json);
            json.WriteNumber("nonce", timestampMs);
            json.WriteString("sig", signature);
        });
        return new WireRequest(request.EncodedPathAndQuery, body, WireRequest.Json, [], [credentials.ApiKey, signature]);
    }

    /// <summary>Crypto.com sends no rate-limit headers.</summary>
    public RateLimitObservation? ObserveRateLimit(string pool, Func<string, string?> header) => null;

    public TimeSpan? RetryAfter(Func<string, string?> header) =>
        long.TryParse(header("Retry-After"), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ? TimeSpan.FromSeconds(seconds) : null;

    public TimeSpan? BanDuration(int httpStatus, Func<string, string?> header) => null;

    /// <summary>HTTP 429, or 42901 TOO_MANY_REQUESTS in the body.</summary>
    public bool IsThrottled(int httpStatus, ReadOnlySpan<byte> body) => httpStatus == 429 || (body.Length < 512 && body.IndexOf("42901"u8) >= 0);

    /// <summary>A private method's request: its parameters as the JSON object Crypto.com signs (numbers as strings).</summary>
    public static RestRequest Private(string method, string pool, Action<Utf8JsonWriter> parameters) =>
        new(HttpMethod.Post, CryptoComVenue.ApiPath + method, [], JsonText.Object(parameters), pool, 1, Signed: true);
}
