using System.Text;
using System.Text.Json;
using ActorTrading.Core.Ids;
using ActorTrading.Exchanges.CryptoCom.Ws;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace ActorTrading.Benchmarks;

/// <summary>
/// Crypto.com Exchange v1 frames as the market stream delivers them, parsed next to a bare <see cref="Utf8JsonReader"/>
/// pass over the same bytes: a <c>book.update</c> (a level a side, chained by <c>pu</c>) and a <c>trade</c>.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class CryptoComParseBenchmarks
{
    private static readonly byte[] DeltaFrame = Encoding.UTF8.GetBytes(
        """{"id":-1,"method":"subscribe","code":0,"result":{"instrument_name":"BTC_USDT","subscription":"book.BTC_USDT.50","channel":"book.update","depth":50,"data":[{"update":{"asks":[["43755.46","0.10000","1"]],"bids":[["43737.46","0.14096","1"]]},"t":1704484068898,"tt":1704484068892,"u":78795598253024,"pu":78795598162080,"cs":-781431132}]}}""");

    private static readonly byte[] TradeFrame = Encoding.UTF8.GetBytes(
        """{"id":-1,"method":"subscribe","code":0,"result":{"instrument_name":"BTC_USDT","subscription":"trade.BTC_USDT","channel":"trade","data":[{"d":"2030407068","t":1613581138462,"p":"51327.500000","q":"0.000100","s":"SELL","i":"BTC_USDT"}]}}""");

    private readonly CryptoComFrameParser _parser = new(MarketKind.Spot);
    private readonly ParseBenchmarks.CountingSink _sink = new();

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("book.update")]
    public int RawReaderDelta() => ParseBenchmarks.ReadAll(DeltaFrame);

    [Benchmark]
    [BenchmarkCategory("book.update")]
    public int ParseBookUpdate()
    {
        _parser.Parse(DeltaFrame, 0, _sink);
        return _sink.Count;
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("trade")]
    public int RawReaderTrade() => ParseBenchmarks.ReadAll(TradeFrame);

    [Benchmark]
    [BenchmarkCategory("trade")]
    public int ParseTrade()
    {
        _parser.Parse(TradeFrame, 0, _sink);
        return _sink.Count;
    }
}
