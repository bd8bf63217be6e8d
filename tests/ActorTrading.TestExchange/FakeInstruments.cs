using System.Globalization;
using System.Text.Json.Nodes;

namespace ActorTrading.TestExchange;

/// <summary>
/// Instrument lists as the venues answer them, for the fakes: KuCoin's from the documented samples with the rules
/// swapped in per symbol, Binance's <c>exchangeInfo</c> with its filters. The defaults carry the real rules of the
/// symbols the specs trade.
/// </summary>
public static class FakeInstruments
{
    /// <summary>A KuCoin futures contract: tick, lot size, multiplier (negative: inverse).</summary>
    public sealed record KuCoinContract(string Symbol, decimal TickSize, decimal LotSize, decimal Multiplier, string Status = "Open");

    /// <summary>A KuCoin spot symbol: price and base increments, minimum base size and funds.</summary>
    public sealed record KuCoinSpotSymbol(string Symbol, decimal PriceIncrement, decimal BaseIncrement, decimal BaseMinSize, decimal MinFunds, bool EnableTrading = true);

    /// <summary>A Binance symbol: PRICE_FILTER tick, LOT_SIZE step and minimum, minimum notional.</summary>
    public sealed record BinanceSymbol(string Symbol, decimal TickSize, decimal StepSize, decimal MinQty, decimal MinNotional, string Status = "TRADING");

    public static IReadOnlyList<KuCoinContract> KuCoinFuturesDefaults { get; } =
    [
        new("XBTUSDTM", 0.1m, 1m, 0.001m), new("ETHUSDTM", 0.01m, 1m, 0.01m), new("XBTUSDM", 0.1m, 1m, -1m),
        new("PEOPLEUSDTM", 0.00001m, 1m, 1m), new("DOGEUSDTM", 0.00001m, 1m, 100m), new("ADAUSDTM", 0.0001m, 1m, 10m),
    ];

    public static IReadOnlyList<KuCoinSpotSymbol> KuCoinSpotDefaults { get; } =
    [
        new("BTC-USDT", 0.1m, 0.00000001m, 0.00001m, 0.1m), new("ETH-USDT", 0.01m, 0.0000001m, 0.0001m, 0.1m),
        new("KCS-BTC", 0.00000001m, 0.0001m, 0.01m, 0.000001m), new("ETH-BTC", 0.000001m, 0.0000001m, 0.0001m, 0.000001m),
    ];

    public static IReadOnlyList<BinanceSymbol> BinanceSpotDefaults { get; } =
    [
        new("BTCUSDT", 0.01m, 0.00001m, 0.00001m, 5m), new("ETHUSDT", 0.01m, 0.0001m, 0.0001m, 5m), new("BNBUSDT", 0.01m, 0.001m, 0.001m, 5m),
    ];

    public static IReadOnlyList<BinanceSymbol> BinanceFuturesDefaults { get; } =
    [
        new("BTCUSDT", 0.1m, 0.001m, 0.001m, 100m), new("ETHUSDT", 0.01m, 0.001m, 0.001m, 20m), new("BNBUSDT", 0.01m, 0.01m, 0.01m, 5m),
    ];

    /// <summary><c>GET /api/v1/contracts/active</c>: the documented sample contract, once per given contract with its rules.</summary>
    public static string KuCoinFutures(IEnumerable<KuCoinContract> contracts)
    {
        var sample = Sample("futures_rest_GET_api_v1_contracts_active.response.json");
        return Envelope(contracts.Select(c =>
        {
            var node = sample.DeepClone();
            node["symbol"] = c.Symbol;
            node["tickSize"] = c.TickSize;
            node["lotSize"] = c.LotSize;
            node["multiplier"] = c.Multiplier;
            node["isInverse"] = c.Multiplier < 0;
            node["status"] = c.Status;
            return node;
        }));
    }

    /// <summary><c>GET /api/v2/symbols</c>: the documented sample symbol, once per given symbol with its rules.</summary>
    public static string KuCoinSpot(IEnumerable<KuCoinSpotSymbol> symbols)
    {
        var sample = Sample("spot_rest_GET_api_v2_symbols.response.json");
        return Envelope(symbols.Select(s =>
        {
            var node = sample.DeepClone();
            node["symbol"] = s.Symbol;
            node["name"] = s.Symbol;
            node["priceIncrement"] = Text(s.PriceIncrement);
            node["baseIncrement"] = Text(s.BaseIncrement);
            node["baseMinSize"] = Text(s.BaseMinSize);
            node["minFunds"] = Text(s.MinFunds);
            node["enableTrading"] = s.EnableTrading;
            return node;
        }));
    }

    /// <summary><c>exchangeInfo</c> of spot (<c>NOTIONAL</c>) or USDⓈ-M (<c>MIN_NOTIONAL</c>, contract fields).</summary>
    public static string Binance(bool futures, IEnumerable<BinanceSymbol> symbols)
    {
        var list = new JsonArray();
        foreach (var s in symbols)
        {
            var filters = new JsonArray(
                new JsonObject { ["filterType"] = "PRICE_FILTER", ["minPrice"] = Text(s.TickSize), ["maxPrice"] = "1000000.00", ["tickSize"] = Text(s.TickSize) },
                new JsonObject { ["filterType"] = "LOT_SIZE", ["minQty"] = Text(s.MinQty), ["maxQty"] = "9000.00000000", ["stepSize"] = Text(s.StepSize) },
                futures
                    ? new JsonObject { ["filterType"] = "MIN_NOTIONAL", ["notional"] = Text(s.MinNotional) }
                    : new JsonObject { ["filterType"] = "NOTIONAL", ["minNotional"] = Text(s.MinNotional), ["applyMinToMarket"] = true, ["maxNotional"] = "9000000.00000000", ["applyMaxToMarket"] = false, ["avgPriceMins"] = 5 });
            var symbol = new JsonObject
            {
                ["symbol"] = s.Symbol,
                ["status"] = s.Status,
                ["baseAsset"] = s.Symbol[..^4],
                ["quoteAsset"] = s.Symbol[^4..],
                ["filters"] = filters,
            };
            if (futures)
            {
                symbol["contractType"] = "PERPETUAL";
                symbol["pricePrecision"] = 2;
                symbol["quantityPrecision"] = 3;
            }

            list.Add(symbol);
        }

        return new JsonObject { ["timezone"] = "UTC", ["serverTime"] = 1700000000000, ["rateLimits"] = new JsonArray(), ["symbols"] = list }.ToJsonString();
    }

    private static JsonNode Sample(string file) => JsonNode.Parse(Fixtures.KuCoin(file))!["data"]![0]!;

    private static string Envelope(IEnumerable<JsonNode> data) => new JsonObject { ["code"] = "200000", ["data"] = new JsonArray(data.ToArray()) }.ToJsonString();

    private static string Text(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}
