using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;

namespace ActorTrading.Exchanges.Calls;

/// <summary>
/// The pieces of the unified <c>call</c> operations every venue declares alike: their common parameters, how a
/// placement's side and type are read, the one-of-two order ids, and operations on both markets or on futures only.
/// </summary>
public static class UnifiedCalls
{
    public static readonly OperationParameter OrderId = new("orderId", "the venue's order id");
    public static readonly OperationParameter StartTime = new("startTime", "from, Unix ms");
    public static readonly OperationParameter EndTime = new("endTime", "to, Unix ms");
    public static readonly OperationParameter Limit = new("limit", "rows");

    /// <summary>A required symbol, with an example in the venue's spelling.</summary>
    public static OperationParameter Symbol(string venue, string example) => new("symbol", $"symbol as {venue} spells it, e.g. {example}", Required: true);

    /// <summary><c>side</c>: buy or sell.</summary>
    public static Side Side(OperationArguments a) => a.Text("side").ToLowerInvariant() switch
    {
        "buy" => Core.Market.Side.Buy,
        "sell" => Core.Market.Side.Sell,
        var other => throw new ExchangeException(new ConfigurationError($"side is buy or sell, not '{other}'")),
    };

    /// <summary><c>type</c>: limit (the default) or market.</summary>
    public static bool IsLimit(OperationArguments a) => (a.Optional("type") ?? "limit").ToLowerInvariant() switch
    {
        "limit" => true,
        "market" => false,
        var other => throw new ExchangeException(new ConfigurationError($"type is limit or market, not '{other}'")),
    };

    /// <summary>The <c>clientOrderId</c> given, or a fresh one.</summary>
    public static string ClientOrderId(OperationArguments a) => a.Optional("clientOrderId") ?? "at-" + Guid.NewGuid().ToString("N")[..24];

    /// <summary>An order named by <c>orderId</c> or <c>clientOrderId</c>: the client id (null when the venue id names it); neither is an error.</summary>
    public static string? RequireOneId(OperationArguments a) => a.Optional("orderId") is null && a.Optional("clientOrderId") is null
        ? throw new ExchangeException(new ConfigurationError("give orderId or clientOrderId"))
        : a.Optional("clientOrderId");

    public static CallOperation[] Both(string name, string description, IReadOnlyList<OperationParameter> parameters,
        Func<ICallContext, OperationArguments, CancellationToken, Task<object>> run) =>
        [new(name, MarketKind.Spot, description, parameters, run), new(name, MarketKind.Futures, description, parameters, run)];

    public static CallOperation Futures(string name, string description, IReadOnlyList<OperationParameter> parameters,
        Func<ICallContext, OperationArguments, CancellationToken, Task<object>> run) =>
        new(name, MarketKind.Futures, description, parameters, run);
}
