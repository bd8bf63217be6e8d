using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Json;
using ActorTrading.Core.Market;
using static ActorTrading.Exchanges.JsonItems;

namespace ActorTrading.Exchanges.CryptoCom.Rest;

/// <summary>An instrument's rules (<c>get-instruments</c>): its type (<c>CCY_PAIR</c> spot, <c>PERPETUAL_SWAP</c>), ticks and decimals.</summary>
public sealed record CryptoComInstrument(
    string Symbol, string InstrumentType, string BaseCurrency, string QuoteCurrency, decimal PriceTick, decimal QuantityTick, int PriceDecimals, int QuantityDecimals,
    decimal? MaxLeverage, decimal? ContractSize, bool Tradable);

/// <summary>A ticker (<c>get-tickers</c>): best quote with sizes, last trade, 24-hour high, low, volume, value and change, open interest.</summary>
public sealed record CryptoComTicker(
    string Symbol, decimal? Bid, decimal? BidSize, decimal? Ask, decimal? AskSize, decimal? Last, decimal? High, decimal? Low, decimal? Volume, decimal? Value,
    decimal? Change, decimal? OpenInterest, long Time);

/// <summary>A public trade (<c>get-trades</c>): the taker's side.</summary>
public sealed record CryptoComPublicTrade(string TradeId, string Symbol, Side Side, decimal Price, decimal Quantity, long Time);

/// <summary>A candle (<c>get-candlestick</c>): its start, prices and volume.</summary>
public sealed record CryptoComCandle(long Time, decimal Open, decimal High, decimal Low, decimal Close, decimal Volume);

/// <summary>Crypto.com's public REST (<c>/exchange/v1/public/*</c>), read into typed records.</summary>
public sealed class CryptoComMarketData(IRestExecutor rest)
{
    private const string Venue = CryptoComVenue.Name;

    public static RestRequest InstrumentsRequest() => Public("public/get-instruments");

    public static RestRequest BookRequest(string symbol, int depth) => Public("public/get-book", ("instrument_name", symbol), ("depth", depth.ToString(CultureInfo.InvariantCulture)));

    public static RestRequest TickersRequest(string? symbol) => Public("public/get-tickers", ("instrument_name", symbol));

    public static RestRequest TradesRequest(string symbol, int? count) => Public("public/get-trades", ("instrument_name", symbol), ("count", count?.ToString(CultureInfo.InvariantCulture)));

    public static RestRequest CandlesRequest(string symbol, string timeframe, int? count) =>
        Public("public/get-candlestick", ("instrument_name", symbol), ("timeframe", timeframe), ("count", count?.ToString(CultureInfo.InvariantCulture)));

    /// <summary><c>valuation_type</c>: index_price, mark_price, funding_hist or funding_rate (estimated).</summary>
    public static RestRequest ValuationsRequest(string symbol, string type, int? count) =>
        Public("public/get-valuations", ("instrument_name", symbol), ("valuation_type", type), ("count", count?.ToString(CultureInfo.InvariantCulture)));

    public async Task<IReadOnlyList<CryptoComInstrument>> GetInstrumentsAsync(CancellationToken ct) => ReadInstruments(await rest.SendAsync(InstrumentsRequest(), ct).ConfigureAwait(false));

    public async Task<OrderBookUpdate> GetBookAsync(Symbol symbol, MarketKind market, int depth, long receivedTs, CancellationToken ct) =>
        ReadBook(await rest.SendAsync(BookRequest(symbol.Value, depth), ct).ConfigureAwait(false), symbol, market, receivedTs);

    public async Task<IReadOnlyList<CryptoComTicker>> GetTickersAsync(string? symbol, CancellationToken ct) => ReadTickers(await rest.SendAsync(TickersRequest(symbol), ct).ConfigureAwait(false));

    public async Task<IReadOnlyList<CryptoComPublicTrade>> GetTradesAsync(string symbol, int? count, CancellationToken ct) =>
        ReadTrades(await rest.SendAsync(TradesRequest(symbol, count), ct).ConfigureAwait(false));

    public async Task<IReadOnlyList<CryptoComCandle>> GetCandlesAsync(string symbol, string timeframe, int? count, CancellationToken ct) =>
        ReadCandles(await rest.SendAsync(CandlesRequest(symbol, timeframe, count), ct).ConfigureAwait(false));

    public async Task<JsonElement> GetValuationsAsync(string symbol, string type, int? count, CancellationToken ct) =>
        await rest.SendAsync(ValuationsRequest(symbol, type, count), ct).ConfigureAwait(false);

    public static IReadOnlyList<CryptoComInstrument> ReadInstruments(JsonElement data) => VenueAnswers.Read(Venue, "get-instruments", () =>
        data.Required("data").EnumerateArray().Select(i => new CryptoComInstrument(Text(i, "symbol"), Text(i, "inst_type"), Text(i, "base_ccy"), Text(i, "quote_ccy"),
            Number(i, "price_tick_size"), Number(i, "qty_tick_size"), (int)i.Required("quote_decimals").GetLong("quote_decimals"),
            (int)i.Required("quantity_decimals").GetLong("quantity_decimals"), Optional(i, "max_leverage"), Optional(i, "contract_size"),
            i.TryGetProperty("tradable", out var t) && t.ValueKind == JsonValueKind.True)).ToArray());

    /// <summary><c>{"data":[{"bids":[[price, qty, orders]],"asks":[…]}],"instrument_name","depth"}</c>: a REST book carries no sequence.</summary>
    public static OrderBookUpdate ReadBook(JsonElement data, Symbol symbol, MarketKind market, long receivedTs) => VenueAnswers.Read(Venue, "get-book", () =>
    {
        var book = data.Required("data")[0];
        return new OrderBookUpdate(CryptoComVenue.Id, market, symbol, book.TryGetProperty("t", out var t) ? t.GetLong("t") : receivedTs, receivedTs, DataChannel.BookDelta,
            BookUpdateKind.Snapshot, book.TryGetProperty("u", out var u) ? u.GetLong("u") : 0, book.TryGetProperty("u", out var u2) ? u2.GetLong("u") : 0,
            Levels(book.Required("bids")), Levels(book.Required("asks")));
    });

    public static IReadOnlyList<CryptoComTicker> ReadTickers(JsonElement data) => VenueAnswers.Read(Venue, "get-tickers", () =>
        data.Required("data").EnumerateArray().Select(t => new CryptoComTicker(Text(t, "i"), Optional(t, "b"), Optional(t, "bs"), Optional(t, "k"), Optional(t, "ks"),
            Optional(t, "a"), Optional(t, "h"), Optional(t, "l"), Optional(t, "v"), Optional(t, "vv"), Optional(t, "c"), Optional(t, "oi"), t.Required("t").GetLong("t"))).ToArray());

    public static IReadOnlyList<CryptoComPublicTrade> ReadTrades(JsonElement data) => VenueAnswers.Read(Venue, "get-trades", () =>
        data.Required("data").EnumerateArray().Select(t => new CryptoComPublicTrade(Text(t, "d"), Text(t, "i"), Text(t, "s") switch
        {
            "BUY" => Side.Buy,
            "SELL" => Side.Sell,
            var other => throw new FrameFormatException($"s '{other}' is neither BUY nor SELL"),
        }, Number(t, "p"), Number(t, "q"), t.Required("t").GetLong("t"))).ToArray());

    public static IReadOnlyList<CryptoComCandle> ReadCandles(JsonElement data) => VenueAnswers.Read(Venue, "get-candlestick", () =>
        data.Required("data").EnumerateArray().Select(c => new CryptoComCandle(c.Required("t").GetLong("t"), Number(c, "o"), Number(c, "h"), Number(c, "l"), Number(c, "c"),
            Number(c, "v"))).ToArray());

    private static ImmutableArray<BookLevel> Levels(JsonElement side) =>
        [.. side.EnumerateArray().Select(l => JsonReading.Level(l[0].GetDecimal("price"), l[1].GetDecimal("quantity"), "level"))];

    private static RestRequest Public(string method, params (string Key, string? Value)[] query) =>
        RestRequest.Get(CryptoComVenue.ApiPath + method, CryptoComVenue.Pools.Public, 1, query);

}

/// <summary>
/// Crypto.com's trading rules from <c>get-instruments</c> for one market: spot pairs (<c>CCY_PAIR</c>) or perpetuals
/// (<c>PERPETUAL_SWAP</c>); price tick, quantity tick (also the least quantity), contract size, <c>tradable</c>.
/// </summary>
public sealed class CryptoComInstruments(MarketKind market) : IInstrumentAdapter
{
    public RestRequest Request { get; } = CryptoComMarketData.InstrumentsRequest();

    public IReadOnlyList<InstrumentSpec> Read(JsonElement data) =>
        CryptoComMarketData.ReadInstruments(data)
            .Where(i => i.InstrumentType == (market == MarketKind.Futures ? "PERPETUAL_SWAP" : "CCY_PAIR"))
            .Select(i => new InstrumentSpec(new Symbol(i.Symbol), i.PriceTick, i.QuantityTick, i.QuantityTick, i.ContractSize is > 0 ? i.ContractSize.Value : 1m)
            {
                Trading = i.Tradable,
            })
            .ToArray();
}
