using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using ActorTrading.Core.Ids;

namespace ActorTrading.Journal;

/// <summary>
/// Deterministic client order ids: the same strategy and request id give the same id, so a retried placement finds
/// the order it already made instead of placing a second one. Ids fit every venue's rules (at most 40 of
/// <c>[A-Za-z0-9_-]</c>). Readable <c>{strategy}-{request}</c> when the strategy id has no <c>-</c> (its first <c>-</c>
/// then ends it, so no two pairs give one id: <c>desk-a</c>/<c>1</c> and <c>desk</c>/<c>a-1</c> cannot both be
/// readable) and it fits; else a hash of both.
/// </summary>
public static partial class ClientOrderIds
{
    public const int MaxLength = 36;

    public static ClientOrderId For(string strategyId, string requestId)
    {
        var readable = $"{strategyId}-{requestId}";
        if (readable.Length <= MaxLength && StrategyRule().IsMatch(strategyId) && Allowed().IsMatch(requestId))
        {
            return new ClientOrderId(readable);
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(strategyId + "\n" + requestId)));
        var prefix = Disallowed().Replace(strategyId, string.Empty);
        prefix = prefix[..Math.Min(prefix.Length, 10)];
        return new ClientOrderId((prefix.Length > 0 ? prefix + "-" : "o-") + hash[..(MaxLength - Math.Max(prefix.Length, 1) - 1)]);
    }

    [GeneratedRegex("^[A-Za-z0-9_]+$")]
    private static partial Regex StrategyRule();

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex Allowed();

    [GeneratedRegex("[^A-Za-z0-9_]")]
    private static partial Regex Disallowed();
}
