using ActorTrading.Core.Adapters;
using ActorTrading.Core.Ids;

namespace ActorTrading.Exchanges.Calls;

/// <summary>
/// What a <c>call</c> operation runs against: the venue+market's public REST and (only when asked, as it needs
/// credentials) its signed REST, or another market's of the same venue (KuCoin transfers run on the spot host).
/// </summary>
public interface ICallContext
{
    MarketKind Market { get; }

    IRestExecutor Public => PublicOn(Market);

    IRestExecutor Signed() => SignedOn(Market);

    IRestExecutor PublicOn(MarketKind market);

    IRestExecutor SignedOn(MarketKind market);
}

/// <summary>
/// An operation of <c>actortrading call</c> on one venue+market: the unified ones under the same names and parameters
/// on every venue, and each venue's own by its official names in kebab-case. A venue's module lists them.
/// </summary>
public sealed record CallOperation(
    string Name, MarketKind Market, string Description, IReadOnlyList<OperationParameter> Parameters,
    Func<ICallContext, OperationArguments, CancellationToken, Task<object>> Run);
