using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ActorTrading.Exchanges.CryptoCom.Auth;

/// <summary>A Crypto.com Exchange API key and secret. <see cref="ToString"/> never shows the secret, and only the key's start.</summary>
public sealed class CryptoComCredentials(string apiKey, string secret)
{
    public string ApiKey { get; } = apiKey;

    internal string Secret { get; } = secret;

    /// <summary>The secret as the HMAC takes it, encoded once.</summary>
    internal byte[] SecretBytes => field ??= Encoding.UTF8.GetBytes(Secret);

    public override string ToString() => $"CryptoComCredentials(key={ApiKeyAuth.Masked(ApiKey)})";

    /// <summary>Reads <c>CRYPTOCOM_API_KEY</c> and <c>CRYPTOCOM_API_SECRET</c>; a missing one is a configuration error naming it.</summary>
    public static CryptoComCredentials FromEnvironment(Func<string, string?>? read = null)
    {
        var (key, secret) = ApiKeyAuth.FromEnvironment("Crypto.com", "CRYPTOCOM_API_KEY", "CRYPTOCOM_API_SECRET", read);
        return new CryptoComCredentials(key, secret);
    }
}

/// <summary>
/// Crypto.com Exchange v1 signing (docs "Digital Signature"): <c>sig</c> = hex(HMAC-SHA256(secret, method + id + api_key
/// + parameter string + nonce)), the parameter string being every key of <c>params</c> in ascending order followed by its
/// value, a list's items and an object's sorted keys and values written the same way, to three levels deep, a null as
/// <c>null</c>. The same for REST requests and the user socket's <c>public/auth</c> (no params).
/// </summary>
public static class CryptoComSigner
{
    /// <summary>How deep nested lists and objects are written (the docs' <c>MAX_LEVEL</c>).</summary>
    public const int MaxLevel = 3;

    public static string Sign(CryptoComCredentials credentials, string method, long id, JsonElement? parameters, long nonce) =>
        ApiKeyAuth.HmacSha256Hex(credentials.SecretBytes, Payload(method, id, credentials.ApiKey, parameters, nonce));

    /// <summary>The text signed: <c>method + id + api_key + parameter string + nonce</c>.</summary>
    public static string Payload(string method, long id, string apiKey, JsonElement? parameters, long nonce)
    {
        var text = new StringBuilder(256).Append(method).Append(CultureInfo.InvariantCulture, $"{id}").Append(apiKey);
        if (parameters is { ValueKind: JsonValueKind.Object } p)
        {
            WriteObject(text, p, 0);
        }

        return text.Append(CultureInfo.InvariantCulture, $"{nonce}").ToString();
    }

    private static void WriteObject(StringBuilder text, JsonElement obj, int level)
    {
        var properties = obj.EnumerateObject().ToArray();
        Array.Sort(properties, static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        foreach (var property in properties)
        {
            text.Append(property.Name);
            WriteValue(text, property.Value, level);
        }
    }

    private static void WriteValue(StringBuilder text, JsonElement value, int level)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                text.Append("null");
                break;
            case JsonValueKind.Array when level < MaxLevel:
                foreach (var item in value.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.Object)
                    {
                        WriteObject(text, item, level + 1);
                    }
                    else
                    {
                        WriteValue(text, item, level + 1);
                    }
                }

                break;
            case JsonValueKind.Object when level < MaxLevel:
                WriteObject(text, value, level + 1);
                break;
            case JsonValueKind.String:
                text.Append(value.GetString());
                break;
            default:
                text.Append(value.GetRawText());
                break;
        }
    }
}
