using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using ActorTrading.Core.Errors;

namespace ActorTrading.Exchanges;

/// <summary>What venues with an HMAC API key and secret share: reading them from the environment, hiding them, signing.</summary>
public static class ApiKeyAuth
{
    /// <summary>
    /// The key and secret from <paramref name="keyVariable"/> and <paramref name="secretVariable"/> (trimmed); a missing
    /// one is a configuration error naming it.
    /// </summary>
    public static (string Key, string Secret) FromEnvironment(string venue, string keyVariable, string secretVariable, Func<string, string?>? read)
    {
        read ??= Environment.GetEnvironmentVariable;
        var missing = new[] { keyVariable, secretVariable }.Where(v => string.IsNullOrWhiteSpace(read(v))).ToArray();
        if (missing.Length > 0)
        {
            throw new ExchangeException(new ConfigurationError($"{venue} credentials missing: set {string.Join(", ", missing)} in the environment"));
        }

        return (read(keyVariable)!.Trim(), read(secretVariable)!.Trim());
    }

    /// <summary>The key as logs and <c>ToString</c> may show it: its first four characters only.</summary>
    public static string Masked(string apiKey) => apiKey.Length <= 4 ? "****" : apiKey[..4] + "****";

    /// <summary>Lower-case hex HMAC-SHA256 of <paramref name="payload"/> with <paramref name="secret"/> (UTF-8 both).</summary>
    public static string HmacSha256Hex(string secret, string payload) => HmacSha256Hex(Encoding.UTF8.GetBytes(secret), payload);

    /// <summary>
    /// The same with the secret's bytes (credentials keep them: a key is not encoded per request), the payload encoded
    /// on the stack when it is short (an order's is), the MAC and its hex without another buffer.
    /// </summary>
    public static string HmacSha256Hex(byte[] secret, string payload)
    {
        const int OnStack = 1024;
        var rented = Encoding.UTF8.GetMaxByteCount(payload.Length) > OnStack ? ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(payload.Length)) : null;
        try
        {
            Span<byte> bytes = rented ?? stackalloc byte[OnStack];
            var length = Encoding.UTF8.GetBytes(payload, bytes);
            Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
            HMACSHA256.HashData(secret, bytes[..length], mac);
            return Convert.ToHexStringLower(mac);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
