using System.Security.Cryptography;
using System.Text;

namespace ActorTrading.Exchanges.KuCoin.Auth;

/// <summary>API credentials. <see cref="ToString"/> never shows the secret parts.</summary>
public sealed class KuCoinCredentials(string apiKey, string secret, string passphrase, string keyVersion = "3")
{
    public string ApiKey { get; } = apiKey;

    public string KeyVersion { get; } = keyVersion;

    internal string Secret { get; } = secret;

    internal string Passphrase { get; } = passphrase;

    public override string ToString() => $"KuCoinCredentials(key={Mask(ApiKey)}, version={KeyVersion})";

    private static string Mask(string value) => value.Length <= 4 ? "****" : value[..4] + "****";
}

/// <summary>
/// KuCoin request signing (docs-new "authentication"): <c>base64(HMAC-SHA256(secret, timestamp + METHOD + path?query + body))</c>,
/// query values not URL-encoded; the passphrase of v2/v3 keys is itself HMAC-signed with the secret.
/// </summary>
public static class KuCoinSigner
{
    public static string Sign(string secret, string prehash)
    {
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(prehash));
        return Convert.ToBase64String(mac);
    }

    public static string Prehash(long timestampMs, string method, string unencodedPathAndQuery, string? body) =>
        string.Concat(timestampMs.ToString(System.Globalization.CultureInfo.InvariantCulture), method.ToUpperInvariant(), unencodedPathAndQuery, body ?? string.Empty);

    public static string SignPassphrase(KuCoinCredentials credentials) =>
        credentials.KeyVersion == "1" ? credentials.Passphrase : Sign(credentials.Secret, credentials.Passphrase);

    public static IReadOnlyList<KeyValuePair<string, string>> Headers(
        KuCoinCredentials credentials, long timestampMs, string method, string unencodedPathAndQuery, string? body)
    {
        var ts = timestampMs.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return
        [
            KeyValuePair.Create("KC-API-KEY", credentials.ApiKey),
            KeyValuePair.Create("KC-API-SIGN", Sign(credentials.Secret, Prehash(timestampMs, method, unencodedPathAndQuery, body))),
            KeyValuePair.Create("KC-API-TIMESTAMP", ts),
            KeyValuePair.Create("KC-API-PASSPHRASE", SignPassphrase(credentials)),
            KeyValuePair.Create("KC-API-KEY-VERSION", credentials.KeyVersion),
        ];
    }
}
