using System.Text.Json.Serialization;
using ActorTrading.Core.Adapters;
using static ActorTrading.Exchanges.KuCoin.Rest.KuCoinRestCalls;

namespace ActorTrading.Exchanges.KuCoin.Rest;

/// <summary>
/// KuCoin Unified Trading Account reads (signed, spot host, Unified pool): the <c>/api/ua/v2</c> endpoints of the
/// official universal SDK. A classic account answers them with an exchange error, which surfaces as typed.
/// </summary>
public sealed class KuCoinUnified(IRestExecutor rest)
{
    private const string Pool = KuCoinVenue.Pools.Unified;

    /// <summary><c>GET /api/ua/v2/account/mode</c>: whether this (and each sub-) account is unified or classic.</summary>
    public Task<UnifiedAccountMode> GetAccountModeAsync(CancellationToken ct = default) =>
        rest.SendAsync(Signed(HttpMethod.Get, "/api/ua/v2/account/mode", Pool, 5, null), KuCoinUnifiedJsonContext.Default.UnifiedAccountMode, ct);

    /// <summary><c>GET /api/ua/v2/unified/account/balance</c>: per-currency equity, liability and borrowing headroom.</summary>
    public Task<UnifiedAccountBalance> GetAccountBalanceAsync(CancellationToken ct = default) =>
        rest.SendAsync(Signed(HttpMethod.Get, "/api/ua/v2/unified/account/balance", Pool, 5, null), KuCoinUnifiedJsonContext.Default.UnifiedAccountBalance, ct);

    /// <summary><c>GET /api/ua/v2/unified/account/overview</c>: account-level risk (equity, IM, MM, risk ratio).</summary>
    public Task<UnifiedAccountOverview> GetAccountOverviewAsync(CancellationToken ct = default) =>
        rest.SendAsync(Signed(HttpMethod.Get, "/api/ua/v2/unified/account/overview", Pool, 5, null), KuCoinUnifiedJsonContext.Default.UnifiedAccountOverview, ct);

    /// <summary><c>GET /api/ua/v2/unified/position/open-list</c>: open futures positions of the unified account.</summary>
    public Task<IReadOnlyList<UnifiedPosition>> GetOpenPositionsAsync(string? symbol = null, int? pageNumber = null, int? pageSize = null, CancellationToken ct = default) =>
        rest.SendAsync(Signed(HttpMethod.Get, "/api/ua/v2/unified/position/open-list", Pool, 5, null,
                ("symbol", symbol), ("pageNumber", Invariant(pageNumber)), ("pageSize", Invariant(pageSize))),
            KuCoinUnifiedJsonContext.Default.IReadOnlyListUnifiedPosition, ct);
}

/// <summary><see cref="SelfAccountMode"/> is <c>UNIFIED</c> or <c>CLASSIC</c>; the lists hold sub-account uids.</summary>
public sealed record UnifiedAccountMode(string SelfAccountMode, IReadOnlyList<long>? UnifiedSubAccount, IReadOnlyList<long>? ClassicSubAccount);

public sealed record UnifiedCurrencyBalance(
    string Currency, decimal Equity, decimal Hold, decimal Balance, decimal Available, decimal Liability, decimal? PotentialBorrow, string? CollateralStatus);

public sealed record UnifiedAccount(IReadOnlyList<UnifiedCurrencyBalance> Currencies);

public sealed record UnifiedAccountBalance(string AccountType, long Ts, IReadOnlyList<UnifiedAccount> Accounts);

/// <summary>Account-level margin: <see cref="Im"/>/<see cref="Mm"/> are the initial/maintenance margin in the valuation currency.</summary>
public sealed record UnifiedAccountOverview(
    string AccountType, decimal RiskRatio, decimal Equity, decimal AdjustedEquity, decimal Liability, decimal AvailableMargin, decimal Im, decimal Mm);

/// <summary>An open position of the unified account; <see cref="Mmr"/> is the maintenance margin rate.</summary>
public sealed record UnifiedPosition(
    string Symbol, string Id, string MarginMode, decimal Size, decimal EntryPrice, decimal PositionValue, decimal? PositionMargin,
    decimal MarkPrice, decimal Leverage, decimal UnrealizedPnL, decimal RealizedPnL, decimal? InitialMargin, decimal? Mmr,
    decimal? MaintenanceMargin, long CreationTime, decimal? LiquidationPrice, decimal? RiskRatio, decimal? AdlPercentage, long UpdateTime);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(UnifiedAccountMode))]
[JsonSerializable(typeof(UnifiedAccountBalance))]
[JsonSerializable(typeof(UnifiedAccountOverview))]
[JsonSerializable(typeof(IReadOnlyList<UnifiedPosition>))]
public sealed partial class KuCoinUnifiedJsonContext : JsonSerializerContext;
