using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
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

    public static string Sign(CryptoComCredentials credentials, string method, long id, JsonElement? parameters, long nonce)
    {
        var payload = new ArrayBufferWriter<byte>(512);
        WritePayload(payload, method, id, credentials.ApiKey, parameters, nonce);
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(credentials.SecretBytes, payload.WrittenSpan, mac);
        return Convert.ToHexStringLower(mac);
    }

    /// <summary>The text signed: <c>method + id + api_key + parameter string + nonce</c>.</summary>
    public static string Payload(string method, long id, string apiKey, JsonElement? parameters, long nonce)
    {
        var payload = new ArrayBufferWriter<byte>(512);
        WritePayload(payload, method, id, apiKey, parameters, nonce);
        return Encoding.UTF8.GetString(payload.WrittenSpan);
    }

    // Written as UTF-8 straight from the parameters' own bytes: the names and values as the request carries them, no
    // string per member (a signature per order is on the order path).
    private static void WritePayload(ArrayBufferWriter<byte> payload, string method, long id, string apiKey, JsonElement? parameters, long nonce)
    {
        Text(payload, method);
        Number(payload, id);
        Text(payload, apiKey);
        if (parameters is { ValueKind: JsonValueKind.Object } p)
        {
            WriteObject(payload, p, 0);
        }

        Number(payload, nonce);
    }

    private static void WriteObject(ArrayBufferWriter<byte> payload, JsonElement obj, int level)
    {
        var properties = obj.EnumerateObject().ToArray();
        // Ascending by name, ordinal: the names are ASCII, where UTF-8 byte order is the docs' string order.
        Array.Sort(properties, static (a, b) => JsonMarshal.GetRawUtf8PropertyName(a).SequenceCompareTo(JsonMarshal.GetRawUtf8PropertyName(b)));
        foreach (var property in properties)
        {
            var name = JsonMarshal.GetRawUtf8PropertyName(property);
            if (name.Contains((byte)'\\'))
            {
                Text(payload, property.Name);   // an escaped name: its value, not its escapes
            }
            else
            {
                payload.Write(name);
            }

            WriteValue(payload, property.Value, level);
        }
    }

    private static void WriteValue(ArrayBufferWriter<byte> payload, JsonElement value, int level)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                payload.Write("null"u8);
                break;
            case JsonValueKind.Array when level < MaxLevel:
                foreach (var item in value.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.Object)
                    {
                        WriteObject(payload, item, level + 1);
                    }
                    else
                    {
                        WriteValue(payload, item, level + 1);
                    }
                }

                break;
            case JsonValueKind.Object when level < MaxLevel:
                WriteObject(payload, value, level + 1);
                break;
            case JsonValueKind.String:
                var raw = JsonMarshal.GetRawUtf8Value(value)[1..^1];
                if (raw.Contains((byte)'\\'))
                {
                    Text(payload, value.GetString()!);   // escaped: its value, not its escapes
                }
                else
                {
                    payload.Write(raw);
                }

                break;
            default:
                payload.Write(JsonMarshal.GetRawUtf8Value(value));
                break;
        }
    }

    private static void Text(ArrayBufferWriter<byte> payload, string text)
    {
        var written = Encoding.UTF8.GetBytes(text, payload.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length)));
        payload.Advance(written);
    }

    private static void Number(ArrayBufferWriter<byte> payload, long number)
    {
        number.TryFormat(payload.GetSpan(20), out var written, provider: CultureInfo.InvariantCulture);
        payload.Advance(written);
    }
}
