using System.Globalization;
using System.Text.Json;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Market;
using static ActorTrading.Exchanges.KuCoin.Rest.KuCoinRestCalls;

namespace ActorTrading.Exchanges.KuCoin.Rest;

/// <summary>
/// KuCoin HF spot margin (signed, spot host, Spot pool), per docs-new "margin-trading/orders" and "margin-trading/debit":
/// the v3 HF endpoints replace the seed's abandoned <c>POST /api/v1/margin/order</c>.
/// </summary>
public sealed class KuCoinMargin(IRestExecutor rest)
{
    private const string Pool = KuCoinVenue.Pools.Spot;

    public Task<MarginOrderAck> PlaceOrderAsync(SpotOrderRequest order, CancellationToken ct = default) =>
        rest.SendAsync(KuCoinOrderRequests.MarginPlace(order), KuCoinSpotJsonContext.Default.MarginOrderAck, ct);

    public Task<MarginOrderAck> PlaceTestOrderAsync(SpotOrderRequest order, CancellationToken ct = default) =>
        rest.SendAsync(KuCoinOrderRequests.MarginPlaceTest(order), KuCoinSpotJsonContext.Default.MarginOrderAck, ct);

    public Task<SpotCancelAck> CancelOrderAsync(string symbol, string orderId, CancellationToken ct = default) =>
        rest.SendAsync(KuCoinOrderRequests.MarginCancel(symbol, orderId), KuCoinSpotJsonContext.Default.SpotCancelAck, ct);

    public Task<SpotCancelAck> CancelOrderByClientOidAsync(string symbol, string clientOid, CancellationToken ct = default) =>
        rest.SendAsync(KuCoinOrderRequests.MarginCancelByClientOid(symbol, clientOid), KuCoinSpotJsonContext.Default.SpotCancelAck, ct);

    /// <summary><paramref name="tradeType"/>: <c>MARGIN_TRADE</c> (cross) or <c>MARGIN_ISOLATED_TRADE</c>.</summary>
    public Task<string> CancelAllOrdersAsync(string symbol, string tradeType, CancellationToken ct = default) =>
        rest.SendAsync(Signed(HttpMethod.Delete, "/api/v3/hf/margin/orders", Pool, 10, null, ("symbol", symbol), ("tradeType", tradeType)), KuCoinSpotJsonContext.Default.String, ct);

    public Task<SpotOrder> GetOrderAsync(string symbol, string orderId, CancellationToken ct = default) =>
        rest.SendAsync(Signed(HttpMethod.Get, $"/api/v3/hf/margin/orders/{Uri.EscapeDataString(orderId)}", Pool, 5, null, ("symbol", symbol)), KuCoinSpotJsonContext.Default.SpotOrder, ct);

    public Task<SpotOrder> GetOrderByClientOidAsync(string symbol, string clientOid, CancellationToken ct = default) =>
        rest.SendAsync(Signed(HttpMethod.Get, $"/api/v3/hf/margin/orders/client-order/{Uri.EscapeDataString(clientOid)}", Pool, 5, null, ("symbol", symbol)), KuCoinSpotJsonContext.Default.SpotOrder, ct);

    public Task<IReadOnlyList<SpotOrder>> GetOpenOrdersAsync(string symbol, string tradeType, CancellationToken ct = default) =>
        rest.SendAsync(Signed(HttpMethod.Get, "/api/v3/hf/margin/orders/active", Pool, 4, null, ("symbol", symbol), ("tradeType", tradeType)), KuCoinSpotJsonContext.Default.IReadOnlyListSpotOrder, ct);

    public Task<SpotCursorPage<SpotOrder>> GetDoneOrdersAsync(string symbol, string tradeType, Side? side = null, string? type = null, long? startAt = null, long? endAt = null, long? lastId = null, int? limit = null, CancellationToken ct = default) =>
        rest.SendAsync(Signed(HttpMethod.Get, "/api/v3/hf/margin/orders/done", Pool, 10, null, [("tradeType", tradeType), .. KuCoinSpot.CursorQuery(symbol, null, side, type, startAt, endAt, lastId, limit)]),
            KuCoinSpotJsonContext.Default.SpotCursorPageSpotOrder, ct);

    public Task<SpotCursorPage<SpotFill>> GetFillsAsync(string symbol, string tradeType, string? orderId = null, Side? side = null, string? type = null, long? startAt = null, long? endAt = null, long? lastId = null, int? limit = null, CancellationToken ct = default) =>
        rest.SendAsync(Signed(HttpMethod.Get, "/api/v3/hf/margin/fills", Pool, 5, null, [("tradeType", tradeType), .. KuCoinSpot.CursorQuery(symbol, orderId, side, type, startAt, endAt, lastId, limit)]),
            KuCoinSpotJsonContext.Default.SpotCursorPageSpotFill, ct);

    /// <summary>The cross margin account (<c>GET /api/v3/margin/accounts</c>, Management pool).</summary>
    public Task<CrossMarginAccount> GetCrossAccountAsync(string? quoteCurrency = null, string? queryType = null, CancellationToken ct = default) =>
        rest.SendAsync(Signed(HttpMethod.Get, "/api/v3/margin/accounts", KuCoinVenue.Pools.Management, 15, null, ("quoteCurrency", quoteCurrency), ("queryType", queryType)),
            KuCoinSpotJsonContext.Default.CrossMarginAccount, ct);

    /// <summary>The isolated margin accounts (<c>GET /api/v3/isolated/accounts</c>, Management pool).</summary>
    public Task<IsolatedMarginAccount> GetIsolatedAccountsAsync(string? symbol = null, string? quoteCurrency = null, string? queryType = null, CancellationToken ct = default) =>
        rest.SendAsync(Signed(HttpMethod.Get, "/api/v3/isolated/accounts", KuCoinVenue.Pools.Management, 15, null, ("symbol", symbol), ("quoteCurrency", quoteCurrency), ("queryType", queryType)),
            KuCoinSpotJsonContext.Default.IsolatedMarginAccount, ct);

    /// <summary>
    /// Borrows for the cross (or, with <see cref="MarginLoanRequest.Symbol"/> and IsIsolated, isolated) margin account
    /// (<c>POST /api/v3/margin/borrow</c>); IOC may borrow less than asked, FOK all or nothing.
    /// </summary>
    public Task<MarginBorrowAck> BorrowAsync(MarginLoanRequest borrow, CancellationToken ct = default) =>
        rest.SendAsync(Signed(HttpMethod.Post, "/api/v3/margin/borrow", Pool, 15, JsonSerializer.Serialize(ValidateLoan(borrow, isBorrow: true), KuCoinSpotJsonContext.Default.MarginLoanRequest)),
            KuCoinSpotJsonContext.Default.MarginBorrowAck, ct);

    /// <summary>Repays a margin liability (<c>POST /api/v3/margin/repay</c>); <see cref="MarginLoanRequest.TimeInForce"/> must be unset.</summary>
    public Task<MarginRepayAck> RepayAsync(MarginLoanRequest repay, CancellationToken ct = default) =>
        rest.SendAsync(Signed(HttpMethod.Post, "/api/v3/margin/repay", Pool, 10, JsonSerializer.Serialize(ValidateLoan(repay, isBorrow: false), KuCoinSpotJsonContext.Default.MarginLoanRequest)),
            KuCoinSpotJsonContext.Default.MarginRepayAck, ct);

    /// <summary>Borrow orders (<c>GET /api/v3/margin/borrow</c>); <see cref="MarginHistoryQuery.Currency"/> is required.</summary>
    public Task<MarginHistoryPage<MarginBorrowRecord>> GetBorrowHistoryAsync(MarginHistoryQuery query, CancellationToken ct = default) =>
        rest.SendAsync(Signed(HttpMethod.Get, "/api/v3/margin/borrow", Pool, 15, null, HistoryQuery(query, currencyRequired: true)),
            KuCoinSpotJsonContext.Default.MarginHistoryPageMarginBorrowRecord, ct);

    /// <summary>Repay orders (<c>GET /api/v3/margin/repay</c>); <see cref="MarginHistoryQuery.Currency"/> is required.</summary>
    public Task<MarginHistoryPage<MarginRepayRecord>> GetRepayHistoryAsync(MarginHistoryQuery query, CancellationToken ct = default) =>
        rest.SendAsync(Signed(HttpMethod.Get, "/api/v3/margin/repay", Pool, 15, null, HistoryQuery(query, currencyRequired: true)),
            KuCoinSpotJsonContext.Default.MarginHistoryPageMarginRepayRecord, ct);

    /// <summary>Interest charged (<c>GET /api/v3/margin/interest</c>); an order number does not apply.</summary>
    public Task<MarginHistoryPage<MarginInterestRecord>> GetInterestHistoryAsync(MarginHistoryQuery query, CancellationToken ct = default) =>
        rest.SendAsync(Signed(HttpMethod.Get, "/api/v3/margin/interest", Pool, 20, null, HistoryQuery(query with { OrderNo = null }, currencyRequired: false)),
            KuCoinSpotJsonContext.Default.MarginHistoryPageMarginInterestRecord, ct);

    /// <summary>
    /// Sets the margin leverage (<c>POST /api/v3/position/update-user-leverage</c>): above 1, at most two decimals; the
    /// venue refuses a value below the current debt leverage or above the pair's maximum. Success is the
    /// <c>200000</c> code; the data (documented as a string, often null) carries nothing.
    /// </summary>
    public async Task ModifyLeverageAsync(decimal leverage, string? symbol = null, bool? isIsolated = null, CancellationToken ct = default)
    {
        if (leverage <= 1m || decimal.Round(leverage, 2) != leverage)
        {
            throw new ExchangeException(new ConfigurationError($"margin leverage must be above 1 with at most two decimals, got {leverage.ToString(CultureInfo.InvariantCulture)}"));
        }

        if (isIsolated == true && string.IsNullOrEmpty(symbol))
        {
            throw new ExchangeException(new ConfigurationError("margin leverage: isolated leverage needs its symbol"));
        }

        var body = JsonSerializer.Serialize(new MarginLeverageRequest(symbol, isIsolated, leverage.ToString(CultureInfo.InvariantCulture)), KuCoinSpotJsonContext.Default.MarginLeverageRequest);
        await rest.SendAsync(Signed(HttpMethod.Post, "/api/v3/position/update-user-leverage", Pool, 8, body), ct).ConfigureAwait(false);
    }

    /// <summary>Cross margin pairs and their order limits (<c>GET /api/v3/margin/symbols</c>, public).</summary>
    public Task<CrossMarginSymbols> GetCrossMarginSymbolsAsync(string? symbol = null, CancellationToken ct = default) =>
        rest.SendAsync(RestRequest.Get("/api/v3/margin/symbols", KuCoinVenue.Pools.Public, 3, ("symbol", symbol)), KuCoinSpotJsonContext.Default.CrossMarginSymbols, ct);

    /// <summary>Isolated margin pairs: leverage, liquidation debt ratio, borrow/transfer flags (<c>GET /api/v1/isolated/symbols</c>, public).</summary>
    public Task<IReadOnlyList<IsolatedMarginSymbol>> GetIsolatedMarginSymbolsAsync(CancellationToken ct = default) =>
        rest.SendAsync(RestRequest.Get("/api/v1/isolated/symbols", KuCoinVenue.Pools.Public, 20), KuCoinSpotJsonContext.Default.IReadOnlyListIsolatedMarginSymbol, ct);

    private static (string Key, string? Value)[] HistoryQuery(MarginHistoryQuery q, bool currencyRequired)
    {
        if (currencyRequired && string.IsNullOrEmpty(q.Currency))
        {
            throw new ExchangeException(new ConfigurationError("margin history: currency is required"));
        }

        if (q.IsIsolated == true && string.IsNullOrEmpty(q.Symbol))
        {
            throw new ExchangeException(new ConfigurationError("margin history: isolated records need the symbol"));
        }

        return
        [
            ("currency", q.Currency), ("isIsolated", Invariant(q.IsIsolated)), ("symbol", q.Symbol), ("orderNo", q.OrderNo),
            ("startTime", Invariant(q.StartTime)), ("endTime", Invariant(q.EndTime)), ("currentPage", Invariant(q.CurrentPage)), ("pageSize", Invariant(q.PageSize)),
        ];
    }

    private static MarginLoanRequest ValidateLoan(MarginLoanRequest loan, bool isBorrow)
    {
        var what = isBorrow ? "borrow" : "repay";
        string? problem = loan switch
        {
            { Currency: null or "" } => "currency is required",
            { Size: <= 0 } => "size must be positive",
            { IsIsolated: true, Symbol: null or "" } => "an isolated loan needs its symbol",
            { TimeInForce: null } when isBorrow => "timeInForce (IOC or FOK) is required",
            { TimeInForce: not null } when !isBorrow => "timeInForce belongs to borrowing",
            { TimeInForce: not (null or "IOC" or "FOK") } => "timeInForce must be IOC or FOK",
            _ => null,
        };
        return problem is null ? loan : throw new ExchangeException(new ConfigurationError($"margin {what}: {problem}"));
    }
}
