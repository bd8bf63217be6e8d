using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Json;
using ActorTrading.Core.Market;

namespace ActorTrading.Exchanges.Bybit.Rest;

/// <summary>
/// Bybit v5 public REST (<c>/v5/market/*</c>) for one category (<c>spot</c> or <c>linear</c>), one typed method per
/// endpoint; every request spends one from the IP's 600-per-5-s window.
/// </summary>
public sealed class BybitMarketData(IRestExecutor rest, MarketKind market)
{
    internal const string Venue = "Bybit";
    private const string Pool = BybitVenue.Pools.Ip;

    private readonly string _category = BybitVenue.Category(market);

    public async Task<long> GetServerTimeAsync(CancellationToken ct = default)
    {
        var time = await rest.SendAsync(Venue, RestRequest.Get("/v5/market/time", Pool, 1), BybitJsonContext.Default.BybitServerTime, ct).ConfigureAwait(false);
        return long.Parse(time.TimeNano, NumberStyles.None, CultureInfo.InvariantCulture) / 1_000_000;
    }

    /// <summary>Instruments and their trading rules (<c>instruments-info</c>, up to 1,000 a page: every spot and linear symbol).</summary>
    public async Task<IReadOnlyList<BybitInstrument>> GetInstrumentsAsync(string? symbol = null, CancellationToken ct = default) =>
        (await rest.SendAsync(Venue, BybitInstruments.RequestFor(market, symbol), BybitJsonContext.Default.BybitPageBybitInstrument, ct).ConfigureAwait(false)).List;

    /// <summary>
    /// The book to <paramref name="limit"/> levels a side (1–1,000; the venue's default is 1 on spot and 25 on linear).
    /// Its update id is the 1,000-level stream's: it does not sync a 50- or 200-level stream, which sends its own snapshot.
    /// </summary>
    public async Task<OrderBookUpdate> GetOrderBookAsync(string symbol, int limit = 50, long receivedTs = 0, CancellationToken ct = default)
    {
        if (limit is < 1 or > 1000)
        {
            throw new ExchangeException(new ConfigurationError($"Bybit book limit {limit}: 1 to 1000"));
        }

        var request = RestRequest.Get("/v5/market/orderbook", Pool, 1, ("category", _category), ("symbol", symbol), ("limit", Invariant(limit)));
        var data = await rest.SendAsync(request, ct).ConfigureAwait(false);
        return VenueAnswers.Read(Venue, request.Path, () => ParseOrderBook(data, market, new Symbol(symbol), receivedTs));
    }

    /// <summary><c>{"s","b":[[p,q]],"a":[[p,q]],"ts","u","seq","cts"}</c> as a snapshot at update <c>u</c>.</summary>
    public static OrderBookUpdate ParseOrderBook(JsonElement data, MarketKind market, Symbol symbol, long receivedTs)
    {
        var u = data.Required("u").GetLong("u");
        return new OrderBookUpdate(BybitVenue.Id, market, symbol, data.Required("ts").GetLong("ts"), receivedTs, DataChannel.BookDelta, BookUpdateKind.Snapshot, u, u,
            Levels(data.Required("b"), "b"), Levels(data.Required("a"), "a"));
    }

    private static ImmutableArray<BookLevel> Levels(JsonElement side, string field) =>
        side.EnumerateArray().Select(l => JsonReading.Level(l[0].GetDecimal(field), l[1].GetDecimal(field), field)).ToImmutableArray();

    /// <summary>Tickers of the category, or of one symbol.</summary>
    public async Task<IReadOnlyList<BybitTicker>> GetTickersAsync(string? symbol = null, CancellationToken ct = default) =>
        (await rest.SendAsync(Venue, RestRequest.Get("/v5/market/tickers", Pool, 1, ("category", _category), ("symbol", symbol)),
            BybitJsonContext.Default.BybitPageBybitTicker, ct).ConfigureAwait(false)).List;

    /// <summary>Klines, oldest first (the venue sends them newest first); <paramref name="interval"/> 1, 3, 5, 15, 30, 60, 120, 240, 360, 720, D, W or M.</summary>
    public async Task<IReadOnlyList<BybitKline>> GetKlinesAsync(string symbol, string interval, long? start = null, long? end = null, int? limit = null, CancellationToken ct = default)
    {
        if (!KlineIntervals.Contains(interval))
        {
            throw new ExchangeException(new ConfigurationError($"Bybit kline interval '{interval}': one of {string.Join(", ", KlineIntervals)}"));
        }

        var request = RestRequest.Get("/v5/market/kline", Pool, 1, ("category", _category), ("symbol", symbol), ("interval", interval),
            ("start", Invariant(start)), ("end", Invariant(end)), ("limit", Invariant(limit)));
        var data = await rest.SendAsync(request, ct).ConfigureAwait(false);
        return VenueAnswers.Read(Venue, request.Path, () => data.Required("list").EnumerateArray()
            .Select(row => new BybitKline(row[0].GetLong("start"), row[1].GetDecimal("open"), row[2].GetDecimal("high"), row[3].GetDecimal("low"),
                row[4].GetDecimal("close"), row[5].GetDecimal("volume"), row[6].GetDecimal("turnover")))
            .OrderBy(k => k.Start)
            .ToArray());
    }

    /// <summary>The kline intervals of REST and of the <c>kline.{interval}</c> stream.</summary>
    public static readonly IReadOnlyList<string> KlineIntervals = ["1", "3", "5", "15", "30", "60", "120", "240", "360", "720", "D", "W", "M"];

    /// <summary>Recent public trades (spot up to 60, linear up to 1,000).</summary>
    public async Task<IReadOnlyList<BybitPublicTrade>> GetRecentTradesAsync(string symbol, int? limit = null, CancellationToken ct = default) =>
        (await rest.SendAsync(Venue, RestRequest.Get("/v5/market/recent-trade", Pool, 1, ("category", _category), ("symbol", symbol), ("limit", Invariant(limit))),
            BybitJsonContext.Default.BybitPageBybitPublicTrade, ct).ConfigureAwait(false)).List;

    /// <summary>Settled funding rates of a perpetual (linear only), newest first as the venue gives them.</summary>
    public async Task<IReadOnlyList<BybitFundingRate>> GetFundingHistoryAsync(string symbol, long? startTime = null, long? endTime = null, int? limit = null, CancellationToken ct = default) =>
        (await rest.SendAsync(Venue, RestRequest.Get("/v5/market/funding/history", Pool, 1, ("category", Linear()), ("symbol", symbol),
            ("startTime", Invariant(startTime)), ("endTime", Invariant(endTime)), ("limit", Invariant(limit))),
            BybitJsonContext.Default.BybitPageBybitFundingRate, ct).ConfigureAwait(false)).List;

    /// <summary>Open interest of a contract (linear only) per <paramref name="intervalTime"/>: 5min, 15min, 30min, 1h, 4h or 1d.</summary>
    public async Task<IReadOnlyList<BybitOpenInterest>> GetOpenInterestAsync(string symbol, string intervalTime = "5min", long? startTime = null, long? endTime = null,
        int? limit = null, CancellationToken ct = default) =>
        (await rest.SendAsync(Venue, RestRequest.Get("/v5/market/open-interest", Pool, 1, ("category", Linear()), ("symbol", symbol), ("intervalTime", intervalTime),
            ("startTime", Invariant(startTime)), ("endTime", Invariant(endTime)), ("limit", Invariant(limit))),
            BybitJsonContext.Default.BybitPageBybitOpenInterest, ct).ConfigureAwait(false)).List;

    private string Linear() => market == MarketKind.Futures
        ? "linear"
        : throw new ExchangeException(new ConfigurationError("funding and open interest are linear (futures) data: use --market futures"));

    internal static string? Invariant(long? value) => value?.ToString(CultureInfo.InvariantCulture);
}
