using System.Text;
using System.Text.Json;
using ActorTrading.Core.Ids;
using ActorTrading.Exchanges.Bybit.Ws;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace ActorTrading.Benchmarks;

/// <summary>
/// Bybit v5 linear frames as the public stream delivers them, parsed next to a bare <see cref="Utf8JsonReader"/> pass
/// over the same bytes: an <c>orderbook.50</c> delta (three levels a side, chained to the update before it) and a
/// <c>publicTrade</c>.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class BybitParseBenchmarks
{
    private static readonly byte[] SnapshotFrame = Encoding.UTF8.GetBytes(
        """{"topic":"orderbook.50.BTCUSDT","type":"snapshot","ts":1687940967466,"data":{"s":"BTCUSDT","b":[["30247.20","30.028"]],"a":[["30248.70","1"]],"u":177400506,"seq":66544703341},"cts":1687940967464}""");

    private static readonly byte[] DeltaFrame = Encoding.UTF8.GetBytes(
        """{"topic":"orderbook.50.BTCUSDT","type":"delta","ts":1687940967466,"data":{"s":"BTCUSDT","b":[["30247.20","30.028"],["30245.40","0.224"],["30240.00","0"]],"a":[["30248.70","0"],["30249.30","0.892"],["30249.50","1.778"]],"u":177400507,"seq":66544703342},"cts":1687940967464}""");

    private static readonly byte[] TradeFrame = Encoding.UTF8.GetBytes(
        """{"topic":"publicTrade.BTCUSDT","type":"snapshot","ts":1672304486868,"data":[{"T":1672304486865,"s":"BTCUSDT","S":"Buy","v":"0.001","p":"16578.50","L":"PlusTick","i":"20f43950-d8dd-5b31-9112-a178eb6023af","BT":false,"seq":1783284617}]}""");

    private readonly BybitFrameParser _parser = new(MarketKind.Futures);
    private readonly ParseBenchmarks.CountingSink _sink = new();

    [GlobalSetup]
    public void Setup() => _parser.Parse(SnapshotFrame, 0, _sink);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("orderbook")]
    public int RawReaderDelta() => ParseBenchmarks.ReadAll(DeltaFrame);

    [Benchmark]
    [BenchmarkCategory("orderbook")]
    public int ParseOrderbookDelta()
    {
        _parser.Parse(DeltaFrame, 0, _sink);
        return _sink.Count;
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("publicTrade")]
    public int RawReaderTrade() => ParseBenchmarks.ReadAll(TradeFrame);

    [Benchmark]
    [BenchmarkCategory("publicTrade")]
    public int ParsePublicTrade()
    {
        _parser.Parse(TradeFrame, 0, _sink);
        return _sink.Count;
    }
}
