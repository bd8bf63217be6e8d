using System.Globalization;
using System.Text;

namespace ActorTrading.Exchanges.Binance.Auth;

/// <summary>An HMAC API key and its secret. <see cref="ToString"/> never shows the secret, and only the key's start.</summary>
public sealed class BinanceCredentials(string apiKey, string secret)
{
    public string ApiKey { get; } = apiKey;

    internal string Secret { get; } = secret;

    /// <summary>The secret as the HMAC takes it, encoded once.</summary>
    internal byte[] SecretBytes => field ??= Encoding.UTF8.GetBytes(Secret);

    public override string ToString() => $"BinanceCredentials(key={ApiKeyAuth.Masked(ApiKey)})";

    /// <summary>Variables read by <see cref="FromEnvironment"/>.</summary>
    public static readonly IReadOnlyList<string> RequiredVariables = ["BINANCE_API_KEY", "BINANCE_API_SECRET"];

    /// <summary>Reads <c>BINANCE_API_KEY</c> and <c>BINANCE_API_SECRET</c>; a missing one is a configuration error naming it.</summary>
    public static BinanceCredentials FromEnvironment(Func<string, string?>? read = null)
    {
        var (key, secret) = ApiKeyAuth.FromEnvironment("Binance", "BINANCE_API_KEY", "BINANCE_API_SECRET", read);
        return new BinanceCredentials(key, secret);
    }
}

/// <summary>
/// Binance HMAC signing (binance-spot-api-docs rest-api.md "SIGNED Endpoint Examples"): the payload is the query string
/// concatenated without separator to the body, percent-encoded first (since 2026-01-15 spot refuses a signature over
/// the unencoded text with -1022); the signature is lower-case hex HMAC-SHA256 with the secret key.
/// </summary>
public static class BinanceSigner
{
    public static string Sign(string secret, string payload) =>
        ApiKeyAuth.HmacSha256Hex(secret, payload);

    /// <summary>The signature of <paramref name="payload"/> with the credentials' secret (its bytes kept by the credentials).</summary>
    public static string Sign(BinanceCredentials credentials, string payload) =>
        ApiKeyAuth.HmacSha256Hex(credentials.SecretBytes, payload);

    /// <summary>
    /// <c>key=value&amp;…</c> with keys and values percent-encoded as they go on the wire (RFC 3986 unreserved
    /// characters kept, UTF-8 bytes as upper-case <c>%XX</c>).
    /// </summary>
    public static string Encode(IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var sb = new StringBuilder(256);
        foreach (var (key, value) in parameters)
        {
            if (sb.Length > 0)
            {
                sb.Append('&');
            }

            sb.Append(Uri.EscapeDataString(key)).Append('=').Append(Uri.EscapeDataString(value));
        }

        return sb.ToString();
    }

    /// <summary>
    /// A WebSocket API signature (web-socket-api.md "SIGNED request example (HMAC)"): every parameter but the signature,
    /// sorted by name, as <c>name=value</c> joined by <c>&amp;</c>, values as UTF-8 text (not percent-encoded).
    /// </summary>
    public static string SignWebSocketParams(BinanceCredentials credentials, IEnumerable<KeyValuePair<string, string>> parameters) =>
        Sign(credentials, string.Join('&', parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + p.Value)));

    /// <summary>The parameters of a signed request: the request's own, then <c>recvWindow</c> and <c>timestamp</c>.</summary>
    public static IEnumerable<KeyValuePair<string, string>> WithTiming(IEnumerable<KeyValuePair<string, string>> parameters, long timestampMs, int recvWindowMs) =>
        parameters.Concat([
            KeyValuePair.Create("recvWindow", recvWindowMs.ToString(CultureInfo.InvariantCulture)),
            KeyValuePair.Create("timestamp", timestampMs.ToString(CultureInfo.InvariantCulture)),
        ]);
}
