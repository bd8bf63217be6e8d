using System.Text.Json;
using System.Text.Json.Serialization;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;

using ActorTrading.Core.Json;

namespace ActorTrading.Exchanges.KuCoin.Rest;

/// <summary>KuCoin account types of the universal transfer.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<KuCoinAccountType>))]
public enum KuCoinAccountType
{
    [JsonStringEnumMemberName("MAIN")]
    Main,
    [JsonStringEnumMemberName("TRADE")]
    Trade,
    [JsonStringEnumMemberName("CONTRACT")]
    Contract,
    [JsonStringEnumMemberName("MARGIN")]
    Margin,
    [JsonStringEnumMemberName("ISOLATED")]
    Isolated,
    [JsonStringEnumMemberName("MARGIN_V2")]
    MarginV2,
    [JsonStringEnumMemberName("ISOLATED_V2")]
    IsolatedV2,
}

/// <summary><c>POST /api/v3/accounts/universal-transfer</c> ("Flex Transfer") body, fields in the docs' order.</summary>
public sealed record FlexTransferRequest
{
    public required string ClientOid { get; init; }

    public required string Currency { get; init; }

    [JsonConverter(typeof(DecimalStringConverter))]
    public required decimal Amount { get; init; }

    public string? FromUserId { get; init; }

    public required KuCoinAccountType FromAccountType { get; init; }

    /// <summary>The isolated-margin symbol when <see cref="FromAccountType"/> is isolated.</summary>
    public string? FromAccountTag { get; init; }

    /// <summary><c>INTERNAL</c>, <c>PARENT_TO_SUB</c> or <c>SUB_TO_PARENT</c>.</summary>
    public string Type { get; init; } = "INTERNAL";

    public string? ToUserId { get; init; }

    public required KuCoinAccountType ToAccountType { get; init; }

    public string? ToAccountTag { get; init; }
}

public sealed record TransferResult(string OrderId);

/// <summary>An item of the futures <c>GET /api/v1/transfer-list</c> (transfer-out requests).</summary>
public sealed record FuturesTransferRecord(
    string ApplyId, string Currency, string? RecRemark, string? RecSystem, string Status, decimal Amount, string? Reason,
    long? Offset, long CreatedAt, string? Remark);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(FlexTransferRequest))]
[JsonSerializable(typeof(TransferResult))]
[JsonSerializable(typeof(KuCoinPage<FuturesTransferRecord>))]
public sealed partial class KuCoinTransferJsonContext : JsonSerializerContext;

/// <summary>
/// Moving funds between KuCoin accounts. The seed's futures <c>transfer-out</c>/<c>transfer-in</c> endpoints are
/// superseded by the universal "Flex Transfer" on the spot host, which this uses for both directions.
/// </summary>
public sealed class KuCoinTransfers(IRestExecutor spotHost, IRestExecutor futuresHost)
{
    public async Task<TransferResult> FlexTransferAsync(FlexTransferRequest request, CancellationToken ct = default)
    {
        if (request.Amount <= 0)
        {
            throw new ExchangeException(new ConfigurationError("transfer amount must be positive"));
        }

        var body = JsonSerializer.Serialize(request, KuCoinTransferJsonContext.Default.FlexTransferRequest);
        return await spotHost.SendAsync(KuCoinRestCalls.Signed(HttpMethod.Post, "/api/v3/accounts/universal-transfer", KuCoinVenue.Pools.Management, 4, body),
            KuCoinTransferJsonContext.Default.TransferResult, ct).ConfigureAwait(false);
    }

    /// <summary>Futures account → main (funding) account.</summary>
    public Task<TransferResult> TransferToMainAsync(string currency, decimal amount, string? clientOid = null, CancellationToken ct = default) =>
        FlexTransferAsync(new FlexTransferRequest
        {
            ClientOid = clientOid ?? Guid.NewGuid().ToString("N"),
            Currency = currency,
            Amount = amount,
            FromAccountType = KuCoinAccountType.Contract,
            ToAccountType = KuCoinAccountType.Main,
        }, ct);

    /// <summary>Main (or trade) account → futures account.</summary>
    public Task<TransferResult> TransferToFuturesAsync(string currency, decimal amount, KuCoinAccountType from = KuCoinAccountType.Main, string? clientOid = null, CancellationToken ct = default) =>
        FlexTransferAsync(new FlexTransferRequest
        {
            ClientOid = clientOid ?? Guid.NewGuid().ToString("N"),
            Currency = currency,
            Amount = amount,
            FromAccountType = from,
            ToAccountType = KuCoinAccountType.Contract,
        }, ct);

    /// <summary>Transfers out of the futures account, one page (<c>GET /api/v1/transfer-list</c>, futures host).</summary>
    public async Task<KuCoinPage<FuturesTransferRecord>> GetTransferListAsync(
        string? currency = null, string? status = null, long? startAt = null, long? endAt = null, int? currentPage = null, int? pageSize = null, CancellationToken ct = default)
    {
        var request = KuCoinRestCalls.Signed(HttpMethod.Get, "/api/v1/transfer-list", KuCoinVenue.Pools.Management, 20, null,
            ("currency", currency), ("status", status), ("startAt", KuCoinRestCalls.Invariant(startAt)), ("endAt", KuCoinRestCalls.Invariant(endAt)),
            ("currentPage", KuCoinRestCalls.Invariant(currentPage)), ("pageSize", KuCoinRestCalls.Invariant(pageSize)));
        return await futuresHost.SendAsync(request, KuCoinTransferJsonContext.Default.KuCoinPageFuturesTransferRecord, ct).ConfigureAwait(false);
    }
}
