using System.IO.Compression;
using System.Text;
using System.Text.Json;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Ids;
using ActorTrading.Runtime.Capture;
using Xunit;

namespace ActorTrading.Runtime.Tests;

public sealed class CaptureSpecs : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("actortrading-capture-").FullName;

    [Fact]
    public void Frames_and_rest_answers_read_back_exactly_in_received_time_order_across_venues()
    {
        var clock = new ManualClock(DateTimeOffset.Parse("2026-11-25T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        using (var writer = new CaptureWriter(_dir, clock: clock))
        {
            writer.Frame(VenueId.KuCoin, MarketKind.Futures, "public", 1, 1000, """{"topic":"/contractMarket/execution:XBTUSDTM","data":{"price":"60000.5"}}"""u8);
            writer.Frame(new VenueId("binance"), MarketKind.Spot, "public", 3, 1500, "{\"e\":\"trade\",\"p\":\"1.5\"}"u8);
            using var data = JsonDocument.Parse("""{"sequence":42,"bids":[["60000","3"]]}""");
            writer.Rest(VenueId.KuCoin, MarketKind.Futures, 2000, RestRequest.Get("/api/v1/level2/snapshot", "public", 1, ("symbol", "XBTUSDTM")), data.RootElement);
            writer.Frame(VenueId.KuCoin, MarketKind.Futures, "public", 2, 2500, "\"quoted \\\" text\""u8);
        }

        Assert.Equal(2, Directory.GetFiles(_dir, "*.capture.jsonl.gz").Length);
        var records = CaptureReader.Read(_dir).ToArray();

        Assert.Equal([1000L, 1500, 2000, 2500], records.Select(r => r.ReceivedTs));
        Assert.Equal(("binance", MarketKind.Spot, 3L, "{\"e\":\"trade\",\"p\":\"1.5\"}"), (records[1].Venue.Value, records[1].Market, records[1].Connection, records[1].Payload));
        Assert.Equal((CaptureKind.Rest, "/api/v1/level2/snapshot?symbol=XBTUSDTM", """{"sequence":42,"bids":[["60000","3"]]}"""), (records[2].Kind, records[2].Path, records[2].Payload));
        Assert.Equal("\"quoted \\\" text\"", records[3].Payload);
        Assert.Equal("""{"topic":"/contractMarket/execution:XBTUSDTM","data":{"price":"60000.5"}}""", records[0].Payload);
    }

    [Fact]
    public void A_rest_answer_stamped_after_a_frame_that_overtook_it_is_written_in_order()
    {
        using (var writer = new CaptureWriter(_dir))
        {
            writer.Frame(VenueId.KuCoin, MarketKind.Futures, "public", 1, 2000, "{\"n\":1}"u8);
            using var data = JsonDocument.Parse("[]");
            writer.Rest(VenueId.KuCoin, MarketKind.Futures, 1990, RestRequest.Get("/api/v1/contracts/active", "public", 3), data.RootElement);   // raced the frame to the writer
            writer.Frame(VenueId.KuCoin, MarketKind.Futures, "public", 1, 2010, "{\"n\":2}"u8);
        }

        var records = CaptureReader.Read(_dir).ToArray();
        Assert.Equal([(CaptureKind.Frame, 2000L), (CaptureKind.Rest, 2000L), (CaptureKind.Frame, 2010L)], records.Select(r => (r.Kind, r.ReceivedTs)));
    }

    [Fact]
    public void A_file_rotates_by_size_and_every_rotated_file_is_complete()
    {
        var clock = new ManualClock(DateTimeOffset.Parse("2026-11-25T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var frame = Encoding.UTF8.GetBytes("{\"data\":\"" + new string('x', 4000) + "\"}");
        using (var writer = new CaptureWriter(_dir, rotateBytes: 1, clock: clock))
        {
            for (var i = 0; i < 300; i++)
            {
                writer.Frame(VenueId.KuCoin, MarketKind.Futures, "public", 1, 1000 + i, frame);
                if (i % 100 == 99)
                {
                    clock.Now += TimeSpan.FromSeconds(1);
                }
            }
        }

        var files = Directory.GetFiles(_dir).Order(StringComparer.Ordinal).ToArray();
        Assert.True(files.Length >= 2, $"{files.Length} file(s)");
        Assert.Equal(Enumerable.Range(0, 300).Select(i => 1000L + i), CaptureReader.Read(_dir).Select(r => r.ReceivedTs));
    }

    [Fact]
    public void A_torn_last_line_after_a_crash_ends_the_file_without_losing_the_lines_before_it()
    {
        var path = Path.Combine(_dir, "kucoin-futures-torn.capture.jsonl.gz");
        using (var gzip = new GZipStream(File.Create(path), CompressionLevel.Fastest))
        {
            gzip.Write("""{"k":"f","v":"kucoin","m":"futures","t":1,"c":1,"p":"a"}"""u8);
            gzip.Write("\n"u8);
            gzip.Write("""{"k":"f","v":"kucoin","m":"futures","t":2,"c":1,"p":"b"}"""u8);
            gzip.Write("\n{\"k\":\"f\",\"v\":\"ku"u8);
        }

        Assert.Equal(["a", "b"], CaptureReader.Read(path).Select(r => r.Payload));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private sealed class ManualClock(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = start;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
