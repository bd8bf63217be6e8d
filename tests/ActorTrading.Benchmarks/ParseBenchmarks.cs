using System.Text;
using System.Text.Json;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Market;
using ActorTrading.Exchanges.KuCoin.Ws;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace ActorTrading.Benchmarks;

/// <summary>
/// KuCoin frame parsing next to a bare <see cref="Utf8JsonReader"/> pass over the same bytes: the ratio is what
/// normalizing costs on top of reading the JSON at all.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class ParseBenchmarks
{
    private static readonly byte[] Level2Frame = Encoding.UTF8.GetBytes(
        """{"topic":"/contractMarket/level2:XBTUSDTM","type":"message","subject":"level2","sn":1709400450243,"data":{"sequence":1709400450243,"change":"90631.2,sell,2","timestamp":1731897467182}}""");

    private static readonly byte[] TradeFrame = Encoding.UTF8.GetBytes(
        """{"topic":"/contractMarket/execution:XBTUSDTM","type":"message","subject":"match","sn":1794100537695,"data":{"symbol":"XBTUSDTM","sequence":1794100537695,"side":"buy","size":2,"price":"90503.9","takerOrderId":"247822202957807616","makerOrderId":"247822167163555840","tradeId":"1794100537695","ts":1731898619520000000}}""");

    private readonly KuCoinFrameParser _parser = new();
    private readonly CountingSink _sink = new();

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("level2")]
    public int RawReaderLevel2() => ReadAll(Level2Frame);

    [Benchmark]
    [BenchmarkCategory("level2")]
    public int ParseLevel2Delta()
    {
        _parser.Parse(Level2Frame, 0, _sink);
        return _sink.Count;
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("trade")]
    public int RawReaderTrade() => ReadAll(TradeFrame);

    [Benchmark]
    [BenchmarkCategory("trade")]
    public int ParseTrade()
    {
        _parser.Parse(TradeFrame, 0, _sink);
        return _sink.Count;
    }

    /// <summary>Touches every token, as any parser must.</summary>
    internal static int ReadAll(byte[] frame)
    {
        var reader = new Utf8JsonReader(frame);
        var tokens = 0;
        while (reader.Read())
        {
            tokens += reader.ValueSpan.Length;
        }

        return tokens;
    }

    internal sealed class CountingSink : IFrameSink
    {
        public int Count { get; private set; }

        public void OnData(DataMessage message) => Count++;

        public void OnControl(in ControlEvent control) => Count++;

        public void OnError(ExchangeError error) => throw new InvalidOperationException(error.ToString());
    }
}
