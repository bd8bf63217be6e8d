using System.Text;
using System.Text.Json;
using ActorTrading.Core.Ids;
using ActorTrading.Exchanges.Binance.Ws;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace ActorTrading.Benchmarks;

/// <summary>
/// Binance USDⓈ-M frames as the combined stream delivers them, parsed next to a bare <see cref="Utf8JsonReader"/>
/// pass over the same bytes: a diff-depth event (three levels a side) and an aggregate trade.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class BinanceParseBenchmarks
{
    private static readonly byte[] DepthFrame = Encoding.UTF8.GetBytes(
        """{"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","E":1571889248277,"T":1571889248276,"s":"BTCUSDT","U":390497796,"u":390497878,"pu":390497794,"b":[["7403.89","0.002"],["7403.90","3.906"],["7404.00","1.428"]],"a":[["7405.96","3.340"],["7406.63","4.525"],["7407.08","2.475"]]}}""");

    private static readonly byte[] AggTradeFrame = Encoding.UTF8.GetBytes(
        """{"stream":"btcusdt@aggTrade","data":{"e":"aggTrade","E":1672515782136,"s":"BTCUSDT","a":5933014,"p":"60000.10","q":"0.250","f":100,"l":105,"T":1672515782136,"m":true,"nq":"0.250"}}""");

    private readonly BinanceFrameParser _parser = new(MarketKind.Futures);
    private readonly ParseBenchmarks.CountingSink _sink = new();

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("depth")]
    public int RawReaderDepth() => ParseBenchmarks.ReadAll(DepthFrame);

    [Benchmark]
    [BenchmarkCategory("depth")]
    public int ParseDepthUpdate()
    {
        _parser.Parse(DepthFrame, 0, _sink);
        return _sink.Count;
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("aggTrade")]
    public int RawReaderAggTrade() => ParseBenchmarks.ReadAll(AggTradeFrame);

    [Benchmark]
    [BenchmarkCategory("aggTrade")]
    public int ParseAggTrade()
    {
        _parser.Parse(AggTradeFrame, 0, _sink);
        return _sink.Count;
    }
}
