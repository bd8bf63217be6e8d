using System.Security.Cryptography;
using System.Text;
using ActorTrading.Core.Errors;

namespace ActorTrading.Exchanges.KuCoin.Auth;

/// <summary>API credentials. <see cref="ToString"/> never shows the secret parts.</summary>
public sealed class KuCoinCredentials(string apiKey, string secret, string passphrase, string keyVersion = "3")
{
    public string ApiKey { get; } = apiKey;

    public string KeyVersion { get; } = keyVersion;

    internal string Secret { get; } = secret;

    internal string Passphrase { get; } = passphrase;

    /// <summary>The secret's bytes, for the HMAC of every request.</summary>
    internal byte[] SecretBytes => field ??= Encoding.UTF8.GetBytes(Secret);

    /// <summary>
    /// The passphrase as <c>KC-API-PASSPHRASE</c> carries it: HMAC-signed with the secret for key versions 2 and 3. The
    /// same for every request of this key, so signed once rather than with each.
    /// </summary>
    internal string SignedPassphrase => field ??= KeyVersion == "1" ? Passphrase : KuCoinSigner.Sign(Secret, Passphrase);

    public override string ToString() => $"KuCoinCredentials(key={Mask(ApiKey)}, version={KeyVersion})";

    /// <summary>Variables read by <see cref="FromEnvironment"/>.</summary>
    public static readonly IReadOnlyList<string> RequiredVariables = ["KC_KEY", "KC_SECRET", "KC_PASSPHRASE"];

    /// <summary>
    /// Reads <c>KC_KEY</c>, <c>KC_SECRET</c>, <c>KC_PASSPHRASE</c> and optionally <c>KC_KEY_VERSION</c> (default 3).
    /// A missing variable is a <see cref="ConfigurationError"/> that names it (and never shows a value).
    /// </summary>
    public static KuCoinCredentials FromEnvironment(Func<string, string?>? read = null)
    {
        read ??= Environment.GetEnvironmentVariable;
        var missing = RequiredVariables.Where(v => string.IsNullOrWhiteSpace(read(v))).ToArray();
        if (missing.Length > 0)
        {
            throw new ExchangeException(new ConfigurationError(
                $"KuCoin credentials missing: set {string.Join(", ", missing)} in the environment"));
        }

        var version = read("KC_KEY_VERSION") is { Length: > 0 } v ? v.Trim() : "3";
        if (version is not ("1" or "2" or "3"))
        {
            throw new ExchangeException(new ConfigurationError($"KC_KEY_VERSION must be 1, 2 or 3, got '{version}'"));
        }

        return new KuCoinCredentials(read("KC_KEY")!.Trim(), read("KC_SECRET")!.Trim(), read("KC_PASSPHRASE")!, version);
    }

    private static string Mask(string value) => value.Length <= 4 ? "****" : value[..4] + "****";
}

/// <summary>
/// KuCoin request signing (docs-new "authentication"): <c>base64(HMAC-SHA256(secret, timestamp + METHOD + path?query + body))</c>,
/// query values not URL-encoded; the passphrase of v2/v3 keys is itself HMAC-signed with the secret.
/// </summary>
public static class KuCoinSigner
{
    public static string Sign(string secret, string prehash) => Sign(Encoding.UTF8.GetBytes(secret), prehash);

    private static string Sign(byte[] secret, string prehash) => Convert.ToBase64String(HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes(prehash)));

    public static string Prehash(long timestampMs, string method, string unencodedPathAndQuery, string? body) =>
        string.Concat(timestampMs.ToString(System.Globalization.CultureInfo.InvariantCulture), method.ToUpperInvariant(), unencodedPathAndQuery, body ?? string.Empty);

    public static string SignPassphrase(KuCoinCredentials credentials) => credentials.SignedPassphrase;

    public static IReadOnlyList<KeyValuePair<string, string>> Headers(
        KuCoinCredentials credentials, long timestampMs, string method, string unencodedPathAndQuery, string? body)
    {
        var ts = timestampMs.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return
        [
            KeyValuePair.Create("KC-API-KEY", credentials.ApiKey),
            KeyValuePair.Create("KC-API-SIGN", Sign(credentials.SecretBytes, Prehash(timestampMs, method, unencodedPathAndQuery, body))),
            KeyValuePair.Create("KC-API-TIMESTAMP", ts),
            KeyValuePair.Create("KC-API-PASSPHRASE", SignPassphrase(credentials)),
            KeyValuePair.Create("KC-API-KEY-VERSION", credentials.KeyVersion),
        ];
    }
}
