using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using ActorTrading.Core.Ids;
using ActorTrading.Exchanges;

namespace ActorTrading.Journal;

/// <summary>
/// Deterministic client order ids: the same strategy and request id give the same id, so a retried placement finds
/// the order it already made instead of placing a second one. Ids fit every venue's rules (at most 40 of
/// <c>[A-Za-z0-9_-]</c>). Readable <c>{strategy}-{request}</c> when the strategy id has no <c>-</c> (its first <c>-</c>
/// then ends it, so no two pairs give one id: <c>desk-a</c>/<c>1</c> and <c>desk</c>/<c>a-1</c> cannot both be
/// readable) and it fits; else a hash of both. A venue with a shorter rule (Kraken: 18) gets ids of its length: readable
/// when they fit, else a four-letter prefix and the hash in 64 symbols (<c>[A-Za-z0-9_-]</c>, 78 bits at 18).
/// </summary>
public static partial class ClientOrderIds
{
    public const int MaxLength = 36;

    private const int ShortPrefix = 4;

    /// <summary>The order's id on <paramref name="venue"/>, fitting the strictest of its markets' rules.</summary>
    public static ClientOrderId For(string strategyId, string requestId, VenueId venue) =>
        For(strategyId, requestId, ExchangeCatalog.ClientOrderIdMaxLength(venue) ?? MaxLength);

    /// <param name="strategyId">The strategy placing it.</param>
    /// <param name="requestId">The strategy's id for the request (the same on a retry).</param>
    /// <param name="maxLength">The venue's longest id; above <see cref="MaxLength"/> ids stay within it (ids already made keep their form).</param>
    public static ClientOrderId For(string strategyId, string requestId, int maxLength = MaxLength)
    {
        maxLength = Math.Min(maxLength, MaxLength);
        var readable = $"{strategyId}-{requestId}";
        if (readable.Length <= maxLength && StrategyRule().IsMatch(strategyId) && Allowed().IsMatch(requestId))
        {
            return new ClientOrderId(readable);
        }

        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(strategyId + "\n" + requestId));
        var prefix = Disallowed().Replace(strategyId, string.Empty);
        prefix = prefix[..Math.Min(prefix.Length, maxLength < MaxLength ? ShortPrefix : 10)];
        var hash = maxLength < MaxLength ? Base64Url.EncodeToString(digest) : Convert.ToHexStringLower(digest);
        return new ClientOrderId((prefix.Length > 0 ? prefix + "-" : "o-") + hash[..(maxLength - Math.Max(prefix.Length, 1) - 1)]);
    }

    [GeneratedRegex("^[A-Za-z0-9_]+$")]
    private static partial Regex StrategyRule();

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex Allowed();

    [GeneratedRegex("[^A-Za-z0-9_]")]
    private static partial Regex Disallowed();
}
