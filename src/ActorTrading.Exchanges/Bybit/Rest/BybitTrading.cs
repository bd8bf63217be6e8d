using System.Globalization;
using System.Text.Json;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;

namespace ActorTrading.Exchanges.Bybit.Rest;

/// <summary>An order as <see cref="BybitOrderRequests.Place"/> takes it: Bybit's own words (<c>Buy</c>, <c>Limit</c>, <c>GTC</c>/<c>PostOnly</c>, …).</summary>
public sealed record BybitOrderSpec(
    string Symbol, Side Side, bool Limit, decimal Qty, decimal? Price, string OrderLinkId, string TimeInForce, bool ReduceOnly = false)
{
    /// <summary>A conditional order's trigger (<c>triggerPrice</c>), its direction (1 rises to, 2 falls to) and price type (<c>LastPrice</c>, <c>MarkPrice</c>, <c>IndexPrice</c>).</summary>
    public (decimal Price, int Direction, string By)? Trigger { get; init; }
}

/// <summary>
/// The signed requests of Bybit v5 trading, as data: POST bodies are JSON written once, so the bytes signed are the
/// bytes sent. Spot market orders state their quantity in the base coin (<c>marketUnit=baseCoin</c>), as every other
/// order does.
/// </summary>
public static class BybitOrderRequests
{
    public static RestRequest Place(string category, BybitOrderSpec o) => Post("/v5/order/create", BybitVenue.Pools.Create, w =>
    {
        w.WriteString("category", category);
        w.WriteString("symbol", o.Symbol);
        w.WriteString("side", o.Side == Side.Buy ? "Buy" : "Sell");
        w.WriteString("orderType", o.Limit ? "Limit" : "Market");
        w.WriteString("qty", Text(o.Qty));
        if (o.Price is { } price)
        {
            w.WriteString("price", Text(price));
        }

        if (!o.Limit && category == "spot")
        {
            w.WriteString("marketUnit", "baseCoin");
        }

        w.WriteString("timeInForce", o.TimeInForce);
        w.WriteString("orderLinkId", o.OrderLinkId);
        if (o.ReduceOnly)
        {
            w.WriteBoolean("reduceOnly", true);
        }

        if (o.Trigger is { } trigger)
        {
            w.WriteString("triggerPrice", Text(trigger.Price));
            if (category == "spot")
            {
                w.WriteString("orderFilter", "StopOrder");
            }
            else
            {
                w.WriteNumber("triggerDirection", trigger.Direction);
                w.WriteString("triggerBy", trigger.By);
            }
        }
    });

    public static RestRequest Cancel(string category, string symbol, string? orderId, string? orderLinkId) => Post("/v5/order/cancel", BybitVenue.Pools.Cancel, w =>
    {
        w.WriteString("category", category);
        w.WriteString("symbol", symbol);
        WriteIds(w, orderId, orderLinkId);
    });

    /// <summary>A new price and/or quantity; what is not given stays.</summary>
    public static RestRequest Amend(string category, string symbol, string? orderId, string? orderLinkId, decimal? qty, decimal? price) =>
        Post("/v5/order/amend", BybitVenue.Pools.Amend, w =>
        {
            w.WriteString("category", category);
            w.WriteString("symbol", symbol);
            WriteIds(w, orderId, orderLinkId);
            if (qty is { } q)
            {
                w.WriteString("qty", Text(q));
            }

            if (price is { } p)
            {
                w.WriteString("price", Text(p));
            }
        });

    /// <summary>Every open order of a symbol, or (linear) of a settle coin.</summary>
    public static RestRequest CancelAll(string category, string? symbol, string? settleCoin) => Post("/v5/order/cancel-all", BybitVenue.Pools.Cancel, w =>
    {
        w.WriteString("category", category);
        if (symbol is not null)
        {
            w.WriteString("symbol", symbol);
        }

        if (settleCoin is not null)
        {
            w.WriteString("settleCoin", settleCoin);
        }
    });

    /// <summary>Open orders (<c>openOnly=0</c>), 50 a page; linear needs a symbol or a settle coin.</summary>
    public static RestRequest OpenOrders(string category, string? symbol, string? settleCoin, string? orderLinkId = null, string? cursor = null) =>
        SignedGet("/v5/order/realtime", BybitVenue.Pools.Query, ("category", category), ("symbol", symbol), ("settleCoin", symbol is null ? settleCoin : null),
            ("orderLinkId", orderLinkId), ("limit", "50"), ("cursor", cursor));

    /// <summary>
    /// One order by venue id or else client id, open or recently closed: <c>/v5/order/realtime</c> with <c>openOnly=1</c>
    /// answers the open ones and the account's last 500 closed ones.
    /// </summary>
    public static RestRequest Order(string category, string symbol, string? orderId, string? orderLinkId) =>
        SignedGet("/v5/order/realtime", BybitVenue.Pools.Query, ("category", category), ("symbol", symbol), ("orderId", orderId),
            ("orderLinkId", orderId is null ? orderLinkId : null), ("openOnly", "1"));

    /// <summary>Orders of the last 7 days (or from <paramref name="startTime"/>), 50 a page.</summary>
    public static RestRequest History(string category, string? symbol, string? orderLinkId, long? startTime, long? endTime, string? cursor = null) =>
        SignedGet("/v5/order/history", BybitVenue.Pools.Query, ("category", category), ("symbol", symbol), ("orderLinkId", orderLinkId),
            ("startTime", BybitMarketData.Invariant(startTime)), ("endTime", BybitMarketData.Invariant(endTime)), ("limit", "50"), ("cursor", cursor));

    /// <summary>The account's fills (last 7 days unless a start is given), 100 a page.</summary>
    public static RestRequest Executions(string category, string? symbol, string? orderId, long? startTime = null, string? cursor = null) =>
        SignedGet("/v5/execution/list", BybitVenue.Pools.Query, ("category", category), ("symbol", symbol), ("orderId", orderId),
            ("startTime", BybitMarketData.Invariant(startTime)), ("limit", "100"), ("cursor", cursor));

    /// <summary>Linear positions of a symbol or of a settle coin (non-zero ones), 200 a page.</summary>
    public static RestRequest Positions(string? symbol, string? settleCoin, string? cursor = null) =>
        SignedGet("/v5/position/list", BybitVenue.Pools.Query, ("category", "linear"), ("symbol", symbol), ("settleCoin", symbol is null ? settleCoin : null),
            ("limit", "200"), ("cursor", cursor));

    /// <summary>The Unified account's wallet, every coin with a balance (or the ones named, comma-separated).</summary>
    public static RestRequest Wallet(string? coins = null) =>
        SignedGet("/v5/account/wallet-balance", BybitVenue.Pools.Query, ("accountType", "UNIFIED"), ("coin", coins));

    /// <summary>One-way mode: the same leverage for buys and sells.</summary>
    public static RestRequest SetLeverage(string symbol, decimal leverage) => Post("/v5/position/set-leverage", BybitVenue.Pools.Setup, w =>
    {
        w.WriteString("category", "linear");
        w.WriteString("symbol", symbol);
        w.WriteString("buyLeverage", Text(leverage));
        w.WriteString("sellLeverage", Text(leverage));
    });

    private static void WriteIds(Utf8JsonWriter w, string? orderId, string? orderLinkId)
    {
        if (orderId is null && orderLinkId is null)
        {
            throw new ExchangeException(new ConfigurationError("Bybit needs the orderId or the orderLinkId"));
        }

        if (orderId is not null)
        {
            w.WriteString("orderId", orderId);
        }
        else
        {
            w.WriteString("orderLinkId", orderLinkId);
        }
    }

    /// <summary>Every signed request also spends from the IP's window.</summary>
    private static readonly IReadOnlyList<RateCharge> AlsoIp = [new(BybitVenue.Pools.Ip, 1)];

    private static RestRequest SignedGet(string path, string pool, params (string Key, string? Value)[] query) =>
        new(HttpMethod.Get, path, RestRequest.BuildQuery(query), null, pool, 1, Signed: true, AlsoCharges: AlsoIp);

    private static RestRequest Post(string path, string pool, Action<Utf8JsonWriter> write) =>
        new(HttpMethod.Post, path, [], JsonText.Object(write), pool, 1, Signed: true, AlsoCharges: AlsoIp);

    /// <summary>A decimal as Bybit takes it: plain, invariant, no exponent, no trailing zeros.</summary>
    public static string Text(decimal value) => (value / 1.000000000000000000000000000000000m).ToString(CultureInfo.InvariantCulture);
}

/// <summary>Bybit v5 signed REST for one category, one typed method per endpoint.</summary>
public sealed class BybitTrading(IRestExecutor rest, MarketKind market)
{
    private const string Venue = BybitMarketData.Venue;

    public string Category { get; } = BybitVenue.Category(market);

    public Task<BybitOrderAck> PlaceAsync(BybitOrderSpec order, CancellationToken ct = default) =>
        rest.SendAsync(Venue, BybitOrderRequests.Place(Category, order), BybitJsonContext.Default.BybitOrderAck, ct);

    public Task<BybitOrderAck> CancelAsync(string symbol, string? orderId, string? orderLinkId, CancellationToken ct = default) =>
        rest.SendAsync(Venue, BybitOrderRequests.Cancel(Category, symbol, orderId, orderLinkId), BybitJsonContext.Default.BybitOrderAck, ct);

    public Task<BybitOrderAck> AmendAsync(string symbol, string? orderId, string? orderLinkId, decimal? qty, decimal? price, CancellationToken ct = default) =>
        rest.SendAsync(Venue, BybitOrderRequests.Amend(Category, symbol, orderId, orderLinkId, qty, price), BybitJsonContext.Default.BybitOrderAck, ct);

    public async Task<IReadOnlyList<BybitOrderAck>> CancelAllAsync(string? symbol, string? settleCoin, CancellationToken ct = default) =>
        (await rest.SendAsync(Venue, BybitOrderRequests.CancelAll(Category, symbol, SettleCoin(symbol, settleCoin)), BybitJsonContext.Default.BybitPageBybitOrderAck, ct)
            .ConfigureAwait(false)).List;

    public async Task<IReadOnlyList<BybitOrder>> GetOpenOrdersAsync(string? symbol, string? settleCoin, CancellationToken ct = default) =>
        (await rest.SendAsync(Venue, BybitOrderRequests.OpenOrders(Category, symbol, SettleCoin(symbol, settleCoin)), BybitJsonContext.Default.BybitPageBybitOrder, ct)
            .ConfigureAwait(false)).List;

    /// <summary>One order, open or among the last 500 closed, by venue id or client id.</summary>
    public async Task<BybitOrder?> GetOrderAsync(string symbol, string? orderId, string? orderLinkId, CancellationToken ct = default)
    {
        var page = await rest.SendAsync(Venue, BybitOrderRequests.Order(Category, symbol, orderId, orderLinkId), BybitJsonContext.Default.BybitPageBybitOrder, ct)
            .ConfigureAwait(false);
        return page.List.Count > 0 ? page.List[0] : null;
    }

    public async Task<IReadOnlyList<BybitOrder>> GetOrderHistoryAsync(string? symbol, string? orderLinkId, long? startTime, long? endTime, CancellationToken ct = default) =>
        (await rest.SendAsync(Venue, BybitOrderRequests.History(Category, symbol, orderLinkId, startTime, endTime), BybitJsonContext.Default.BybitPageBybitOrder, ct)
            .ConfigureAwait(false)).List;

    public async Task<IReadOnlyList<BybitExecution>> GetExecutionsAsync(string? symbol, string? orderId, long? startTime, CancellationToken ct = default) =>
        (await rest.SendAsync(Venue, BybitOrderRequests.Executions(Category, symbol, orderId, startTime), BybitJsonContext.Default.BybitPageBybitExecution, ct)
            .ConfigureAwait(false)).List;

    public async Task<IReadOnlyList<BybitPosition>> GetPositionsAsync(string? symbol, string? settleCoin, CancellationToken ct = default)
    {
        if (market != MarketKind.Futures)
        {
            throw new ExchangeException(new ConfigurationError("Bybit spot has no positions: use --market futures"));
        }

        return (await rest.SendAsync(Venue, BybitOrderRequests.Positions(symbol, symbol is null ? settleCoin ?? "USDT" : null), BybitJsonContext.Default.BybitPageBybitPosition, ct)
            .ConfigureAwait(false)).List;
    }

    public async Task<IReadOnlyList<BybitWallet>> GetWalletAsync(string? coins, CancellationToken ct = default) =>
        (await rest.SendAsync(Venue, BybitOrderRequests.Wallet(coins), BybitJsonContext.Default.BybitPageBybitWallet, ct).ConfigureAwait(false)).List;

    public async Task<JsonElement> SetLeverageAsync(string symbol, decimal leverage, CancellationToken ct = default) =>
        market == MarketKind.Futures
            ? await rest.SendAsync(BybitOrderRequests.SetLeverage(symbol, leverage), ct).ConfigureAwait(false)
            : throw new ExchangeException(new ConfigurationError("Bybit spot has no leverage setting: use --market futures"));

    /// <summary>Linear lists need a symbol or a settle coin: USDT unless one is given.</summary>
    private string? SettleCoin(string? symbol, string? settleCoin) => market == MarketKind.Futures && symbol is null ? settleCoin ?? "USDT" : null;
}
