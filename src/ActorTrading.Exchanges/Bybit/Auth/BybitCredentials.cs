using System.Globalization;
using System.Text;

namespace ActorTrading.Exchanges.Bybit.Auth;

/// <summary>A Bybit v5 HMAC API key and its secret. <see cref="ToString"/> never shows the secret, and only the key's start.</summary>
public sealed class BybitCredentials(string apiKey, string secret)
{
    public string ApiKey { get; } = apiKey;

    internal string Secret { get; } = secret;

    /// <summary>The secret as the HMAC takes it, encoded once.</summary>
    internal byte[] SecretBytes => field ??= Encoding.UTF8.GetBytes(Secret);

    public override string ToString() => $"BybitCredentials(key={ApiKeyAuth.Masked(ApiKey)})";

    /// <summary>Variables read by <see cref="FromEnvironment"/>.</summary>
    public static readonly IReadOnlyList<string> RequiredVariables = ["BYBIT_API_KEY", "BYBIT_API_SECRET"];

    /// <summary>Reads <c>BYBIT_API_KEY</c> and <c>BYBIT_API_SECRET</c>; a missing one is a configuration error naming it.</summary>
    public static BybitCredentials FromEnvironment(Func<string, string?>? read = null)
    {
        var (key, secret) = ApiKeyAuth.FromEnvironment("Bybit", "BYBIT_API_KEY", "BYBIT_API_SECRET", read);
        return new BybitCredentials(key, secret);
    }
}

/// <summary>
/// Bybit v5 HMAC signing (bybit-exchange/docs v5/guide "Authentication"): a REST request signs
/// <c>timestamp + api_key + recv_window + payload</c>, the payload being the query string of a GET or the exact body
/// bytes of a POST, as lower-case hex HMAC-SHA256; a WebSocket <c>auth</c> frame signs <c>"GET/realtime" + expires</c>.
/// </summary>
public static class BybitSigner
{
    /// <summary>The default window the server accepts a request in (ms): <c>server_time - recv_window &lt;= timestamp &lt; server_time + 1000</c>.</summary>
    public const int DefaultRecvWindow = 5000;

    public static string Sign(string secret, string payload) =>
        ApiKeyAuth.HmacSha256Hex(secret, payload);

    /// <summary>The signature of a REST request (<paramref name="payload"/>: the GET query without <c>?</c>, or the POST body as sent).</summary>
    public static string SignRequest(BybitCredentials credentials, long timestamp, int recvWindow, string payload) =>
        ApiKeyAuth.HmacSha256Hex(credentials.SecretBytes, string.Create(CultureInfo.InvariantCulture, $"{timestamp}{credentials.ApiKey}{recvWindow}{payload}"));

    /// <summary>The headers that make a REST request signed.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Headers(BybitCredentials credentials, long timestamp, int recvWindow, string payload) =>
    [
        KeyValuePair.Create("X-BAPI-API-KEY", credentials.ApiKey),
        KeyValuePair.Create("X-BAPI-TIMESTAMP", timestamp.ToString(CultureInfo.InvariantCulture)),
        KeyValuePair.Create("X-BAPI-RECV-WINDOW", recvWindow.ToString(CultureInfo.InvariantCulture)),
        KeyValuePair.Create("X-BAPI-SIGN", SignRequest(credentials, timestamp, recvWindow, payload)),
    ];

    /// <summary>The signature of a WebSocket <c>auth</c> frame expiring at <paramref name="expires"/>: HMAC of <c>"GET/realtime" + expires</c>.</summary>
    public static string AuthSignature(BybitCredentials credentials, long expires) =>
        ApiKeyAuth.HmacSha256Hex(credentials.SecretBytes, string.Create(CultureInfo.InvariantCulture, $"GET/realtime{expires}"));

    /// <summary>
    /// The private or trade stream's <c>auth</c> frame, valid until <paramref name="expires"/> (Unix ms, after now):
    /// <c>{"req_id":…,"op":"auth","args":[api_key, expires, signature]}</c>.
    /// </summary>
    public static string AuthFrame(BybitCredentials credentials, long expires, string requestId)
    {
        var signature = AuthSignature(credentials, expires);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(160);
        using (var json = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("req_id", requestId);
            json.WriteString("op", "auth");
            json.WriteStartArray("args");
            json.WriteStringValue(credentials.ApiKey);
            json.WriteNumberValue(expires);
            json.WriteStringValue(signature);
            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
