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
    public static string HmacSha256Hex(string secret, string payload) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(payload)));
}
