using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ActorTrading.Core.Errors;

namespace ActorTrading.Exchanges.Kraken.Auth;

/// <summary>A Kraken API key and its base64 secret. <see cref="ToString"/> never shows the secret, and only the key's start.</summary>
public sealed class KrakenCredentials
{
    public KrakenCredentials(string apiKey, string secret)
    {
        ApiKey = apiKey;
        try
        {
            Secret = Convert.FromBase64String(secret);
        }
        catch (FormatException)
        {
            // The message names the variable, never its value.
            throw new ExchangeException(new ConfigurationError("KRAKEN_API_SECRET is not base64: copy the private key exactly as Kraken shows it"));
        }
    }

    public string ApiKey { get; }

    internal byte[] Secret { get; }

    public override string ToString() => $"KrakenCredentials(key={ApiKeyAuth.Masked(ApiKey)})";

    /// <summary>Reads <c>KRAKEN_API_KEY</c> and <c>KRAKEN_API_SECRET</c>; a missing one is a configuration error naming it.</summary>
    public static KrakenCredentials FromEnvironment(Func<string, string?>? read = null)
    {
        var (key, secret) = ApiKeyAuth.FromEnvironment("Kraken", "KRAKEN_API_KEY", "KRAKEN_API_SECRET", read);
        return new KrakenCredentials(key, secret);
    }
}

/// <summary>
/// Kraken Spot REST signing (docs "Spot REST Authentication"): <c>API-Sign</c> = base64(HMAC-SHA512(base64-decoded
/// secret, URI path + SHA256(nonce + POST data))), the POST data being the form body exactly as sent (it carries the
/// nonce too).
/// </summary>
public static class KrakenSigner
{
    public static string Sign(KrakenCredentials credentials, string uriPath, long nonce, string postData)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(nonce.ToString(CultureInfo.InvariantCulture) + postData));
        var path = Encoding.UTF8.GetBytes(uriPath);
        var message = new byte[path.Length + hash.Length];
        path.CopyTo(message, 0);
        hash.CopyTo(message, path.Length);
        return Convert.ToBase64String(HMACSHA512.HashData(credentials.Secret, message));
    }
}

/// <summary>
/// Kraken's nonces: strictly increasing per key, also across restarts of the node. Unix time in microseconds, and one
/// more than the last when two ask within the same microsecond (or the clock stepped back). Signed requests take the
/// gateway's clock, which follows the venue's once a skew was found (an <c>EAPI:Invalid nonce</c> makes it measure): a
/// restart starts above every nonce of an earlier run unless that clock went back by more than the earlier run's surplus.
/// </summary>
public sealed class KrakenNonce(TimeProvider? clock = null)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private long _last;

    /// <summary>The process's nonces: every signed request of one key draws from one sequence, whichever adapter signs it.</summary>
    public static KrakenNonce Shared { get; } = new();

    /// <summary>The next nonce by this sequence's own clock.</summary>
    public long Next() => Above((_clock.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks / 10);

    /// <summary>The next nonce at <paramref name="timestampMs"/> (the signing clock, in Unix ms), never below one already given.</summary>
    public long Next(long timestampMs) => Above(timestampMs * 1000);

    private long Above(long candidate)
    {
        while (true)
        {
            var last = Interlocked.Read(ref _last);
            var next = Math.Max(candidate, last + 1);
            if (Interlocked.CompareExchange(ref _last, next, last) == last)
            {
                return next;
            }
        }
    }
}
