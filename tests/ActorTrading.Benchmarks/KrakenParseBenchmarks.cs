using System.Globalization;
using System.Text;
using System.Text.Json;
using ActorTrading.Core.Market;
using ActorTrading.Exchanges.Kraken.Ws;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace ActorTrading.Benchmarks;

/// <summary>
/// Kraken WebSocket v2 frames as the public stream delivers them, parsed next to a bare <see cref="Utf8JsonReader"/> pass
/// over the same bytes: a <c>book</c> update (a level each side, on a depth-10 book), whose parse includes applying it
/// to the socket's mirror, cutting to depth and verifying the CRC32 of the top ten; that checksum alone; a <c>trade</c>.
/// The update repeats the same absolute quantities, so its checksum holds on every pass.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class KrakenParseBenchmarks
{
    private static readonly BookLevel[] Bids =
    [
        new(45283.5m, 0.1m), new(45283.4m, 1.54582015m), new(45282.1m, 0.1m), new(45281.0m, 0.1m), new(45280.3m, 1.54592586m),
        new(45279.0m, 0.0799m), new(45277.6m, 0.03310103m), new(45277.5m, 0.3m), new(45277.3m, 1.54602737m), new(45276.6m, 0.15445238m),
    ];

    private static readonly BookLevel[] Asks =
    [
        new(45285.2m, 0.001m), new(45286.4m, 1.54571953m), new(45286.6m, 1.54571109m), new(45289.6m, 1.54560911m), new(45290.2m, 0.1589066m),
        new(45291.8m, 1.54553491m), new(45294.7m, 0.04454749m), new(45296.1m, 0.3538m), new(45297.5m, 0.09945542m), new(45299.5m, 0.18772827m),
    ];

    private static readonly byte[] TradeFrame = Encoding.UTF8.GetBytes(
        """{"channel":"trade","type":"update","data":[{"symbol":"BTC/USD","side":"sell","price":45283.5,"qty":0.0125,"ord_type":"market","trade_id":4665906,"timestamp":"2023-09-25T07:49:37.708706Z"}]}""");

    private readonly KrakenFrameParser _parser = new();
    private readonly ParseBenchmarks.CountingSink _sink = new();
    private byte[] _updateFrame = [];

    [GlobalSetup]
    public void Setup()
    {
        Feed("""{"channel":"instrument","type":"snapshot","data":{"assets":[],"pairs":[{"symbol":"BTC/USD","status":"online","price_precision":1,"qty_precision":8}]}}""");
        Feed("""{"method":"subscribe","result":{"channel":"book","depth":10,"snapshot":true,"symbol":"BTC/USD"},"success":true,"req_id":2}""");
        Feed($$"""{"channel":"book","type":"snapshot","data":[{"symbol":"BTC/USD","bids":[{{Levels(Bids)}}],"asks":[{{Levels(Asks)}}],"checksum":{{KrakenBookChecksum.Compute(Asks, Bids, 1, 8)}}}]}""");

        // One bid and one ask change quantity: the same values every time, so the book and its checksum stay as they are after the first.
        var bids = Bids.ToArray();
        var asks = Asks.ToArray();
        bids[1] = new BookLevel(45283.4m, 1.2m);
        asks[2] = new BookLevel(45286.6m, 0.75m);
        _updateFrame = Encoding.UTF8.GetBytes($$"""
            {"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[{"price":45283.4,"qty":1.20000000}],"asks":[{"price":45286.6,"qty":0.75000000}],"checksum":{{KrakenBookChecksum.Compute(asks, bids, 1, 8)}},"timestamp":"2023-10-06T17:35:55.440295Z"}]}
            """.Trim());
        var before = _sink.Count;
        _parser.Parse(_updateFrame, 0, _sink);
        if (_sink.Count != before + 1)
        {
            throw new InvalidOperationException("the benchmark's book did not verify");
        }
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("book")]
    public int RawReaderBookUpdate() => ParseBenchmarks.ReadAll(_updateFrame);

    [Benchmark]
    [BenchmarkCategory("book")]
    public int ParseBookUpdateWithChecksum()
    {
        _parser.Parse(_updateFrame, 0, _sink);
        return _sink.Count;
    }

    [Benchmark]
    [BenchmarkCategory("book")]
    public uint ChecksumOfTopTen() => KrakenBookChecksum.Compute(Asks, Bids, 1, 8);

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

    private void Feed(string frame) => _parser.Parse(Encoding.UTF8.GetBytes(frame), 0, _sink);

    private static string Levels(IEnumerable<BookLevel> levels) =>
        string.Join(",", levels.Select(l => string.Create(CultureInfo.InvariantCulture, $$"""{"price":{{l.Price}},"qty":{{l.Size}}}""")));
}
