using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;

namespace ActorTrading.Runtime.Capture;

/// <summary>What a capture holds: a WebSocket frame as received, or a REST answer a feed used (a book snapshot).</summary>
public enum CaptureKind
{
    Frame,
    Rest,
}

/// <summary>
/// One captured record. <see cref="Feed"/> names the socket it came by (<c>public</c>, or one of a venue's several:
/// <c>public-market</c>); <see cref="Connection"/> numbers that feed's connections (a reconnect starts a new one);
/// <see cref="Payload"/> is the frame's text, or the REST answer's data as JSON; <see cref="Path"/> the REST path
/// with its query.
/// </summary>
public sealed record CaptureRecord(CaptureKind Kind, VenueId Venue, MarketKind Market, long Connection, long ReceivedTs, string Payload, string? Path = null, string Feed = CaptureRecord.PublicFeed)
{
    /// <summary>The feed of captures written before feeds were named: a venue's one public socket.</summary>
    public const string PublicFeed = "public";
}

/// <summary>Where feeds hand what they receive, for capture. Called on socket threads: implementations are thread-safe.</summary>
public interface IFrameCapture
{
    void Frame(VenueId venue, MarketKind market, string feed, long connection, long receivedTs, ReadOnlySpan<byte> frame);

    void Rest(VenueId venue, MarketKind market, long receivedTs, RestRequest request, JsonElement data);
}

/// <summary>
/// Writes captures as gzip-compressed JSON lines (<c>{"k":"f","v":"kucoin","m":"futures","t":1729163001780,"f":"public","c":1,"p":"..."}</c>),
/// one file per venue+market, rotated by size and age: <c>{venue}-{market}-{yyyyMMddTHHmmssZ}.capture.jsonl.gz</c>.
/// A rotated file is complete; the open one is flushed every second's worth of records so a crash loses little.
/// </summary>
public sealed class CaptureWriter : IFrameCapture, IDisposable
{
    private readonly string _directory;
    private readonly long _rotateBytes;
    private readonly TimeSpan _rotateAge;
    private readonly TimeProvider _clock;
    private readonly Dictionary<(VenueId, MarketKind), OpenFile> _files = new();
    private readonly Lock _gate = new();
    private bool _disposed;

    public CaptureWriter(string directory, long rotateBytes = 64L << 20, TimeSpan? rotateAge = null, TimeProvider? clock = null)
    {
        _directory = Path.GetFullPath(directory);
        _rotateBytes = rotateBytes;
        _rotateAge = rotateAge ?? TimeSpan.FromHours(1);
        _clock = clock ?? TimeProvider.System;
        Directory.CreateDirectory(_directory);
    }

    public void Frame(VenueId venue, MarketKind market, string feed, long connection, long receivedTs, ReadOnlySpan<byte> frame)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;   // frames of feeds still closing after the capture ended
            }

            var file = File(venue, market);
            var json = file.Json;
            json.WriteStartObject();
            json.WriteString("k", "f");
            Common(json, venue, market, file.InOrder(receivedTs));
            json.WriteString("f", feed);
            json.WriteNumber("c", connection);
            json.WriteString("p", frame);
            json.WriteEndObject();
            EndLine(file);
        }
    }

    public void Rest(VenueId venue, MarketKind market, long receivedTs, RestRequest request, JsonElement data)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            var file = File(venue, market);
            var json = file.Json;
            json.WriteStartObject();
            json.WriteString("k", "r");
            Common(json, venue, market, file.InOrder(receivedTs));
            json.WriteString("u", PathOf(request));
            json.WriteString("p", data.GetRawText());
            json.WriteEndObject();
            EndLine(file);
        }
    }

    /// <summary>The path and query a REST answer is found by on replay.</summary>
    public static string PathOf(RestRequest request) =>
        request.Query.Count == 0 ? request.Path : request.Path + "?" + string.Join('&', request.Query.Select(q => $"{q.Key}={q.Value}"));

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            foreach (var file in _files.Values)
            {
                file.Dispose();
            }

            _files.Clear();
        }
    }

    private static void Common(Utf8JsonWriter json, VenueId venue, MarketKind market, long receivedTs)
    {
        json.WriteString("v", venue.Value);
        json.WriteString("m", market.ToWire());
        json.WriteNumber("t", receivedTs);
    }

    private void EndLine(OpenFile file)
    {
        file.Json.Flush();
        file.Json.Reset();
        file.Gzip.WriteByte((byte)'\n');
        if (++file.SinceFlush >= 256)
        {
            file.Gzip.Flush();
            file.SinceFlush = 0;
        }
    }

    private OpenFile File(VenueId venue, MarketKind market)
    {
        var now = _clock.GetUtcNow();
        if (_files.TryGetValue((venue, market), out var file) && file.Counter.Count < _rotateBytes && now - file.Opened < _rotateAge)
        {
            return file;
        }

        file?.Dispose();
        var name = $"{venue}-{market.ToWire()}-{now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}.capture.jsonl.gz";
        var path = Path.Combine(_directory, name);
        for (var n = 1; System.IO.File.Exists(path); n++)
        {
            path = Path.Combine(_directory, name.Replace(".capture", $"-{n}.capture", StringComparison.Ordinal));
        }

        return _files[(venue, market)] = new OpenFile(path, now);
    }

    private sealed class OpenFile : IDisposable
    {
        private long _lastTs;

        public OpenFile(string path, DateTimeOffset opened)
        {
            Opened = opened;
            Counter = new CountingStream(System.IO.File.Create(path));
            Gzip = new GZipStream(Counter, CompressionLevel.Fastest);
            // Frames are JSON themselves: kept readable (quotes unescaped) in the capture.
            Json = new Utf8JsonWriter(Gzip, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        }

        public DateTimeOffset Opened { get; }

        /// <summary>
        /// The time to write: never before the last record of this file. A REST answer is stamped when it returns and a
        /// frame when it arrived, so the two can reach the writer out of order by a moment; readers merge files by time
        /// and need each file in order.
        /// </summary>
        public long InOrder(long receivedTs) => _lastTs = Math.Max(_lastTs, receivedTs);

        public CountingStream Counter { get; }

        public GZipStream Gzip { get; }

        public Utf8JsonWriter Json { get; }

        public int SinceFlush { get; set; }

        public void Dispose()
        {
            Json.Dispose();
            Gzip.Dispose();
            Counter.Dispose();
        }
    }

    /// <summary>Counts the compressed bytes written, for rotation by size.</summary>
    private sealed class CountingStream(Stream inner) : Stream
    {
        public long Count { get; private set; }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => Count;

        public override long Position { get => Count; set => throw new NotSupportedException(); }

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            inner.Write(buffer);
            Count += buffer.Length;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}

/// <summary>Reads capture files (one, or every <c>*.capture.jsonl.gz</c> of a folder) as one stream in received-time order.</summary>
public static class CaptureReader
{
    public static IEnumerable<CaptureRecord> Read(string path)
    {
        var files = Directory.Exists(path)
            ? Directory.GetFiles(path, "*.capture.jsonl*").Order(StringComparer.Ordinal).ToArray()
            : File.Exists(path) ? [path] : throw new FileNotFoundException($"capture '{path}' not found", path);
        var streams = files.Select(f => ReadFile(f).GetEnumerator()).ToList();
        var queue = new PriorityQueue<int, (long Ts, int File)>();
        for (var i = 0; i < streams.Count; i++)
        {
            if (streams[i].MoveNext())
            {
                queue.Enqueue(i, (streams[i].Current.ReceivedTs, i));
            }
        }

        while (queue.TryDequeue(out var i, out _))
        {
            yield return streams[i].Current;
            if (streams[i].MoveNext())
            {
                queue.Enqueue(i, (streams[i].Current.ReceivedTs, i));
            }
        }
    }

    /// <summary>
    /// One file's records in file order. A torn last line (a crash while writing) ends the file; a file that is not a
    /// capture, or a damaged line with records after it, is an error naming the file and line: nothing is skipped in
    /// silence.
    /// </summary>
    public static IEnumerable<CaptureRecord> ReadFile(string file)
    {
        using var stream = File.OpenRead(file);
        using var unzipped = file.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(stream, CompressionMode.Decompress) : (Stream)stream;
        using var reader = new StreamReader(unzipped, Encoding.UTF8);
        var number = 0;
        while (true)
        {
            string? line;
            try
            {
                line = reader.ReadLine();
                number++;
            }
            catch (InvalidDataException) when (number > 0)
            {
                yield break;   // the compressed stream ends mid-block: a torn tail
            }
            catch (InvalidDataException e)
            {
                throw Damaged(file, 1, e.Message);
            }

            if (line is null)
            {
                yield break;
            }

            if (line.Length == 0)
            {
                continue;
            }

            CaptureRecord? record;
            try
            {
                record = Parse(line);
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                if (number > 1 && IsLastLine(reader))
                {
                    yield break;
                }

                throw Damaged(file, number, number == 1 ? "not a capture record: " + e.Message : e.Message);
            }

            yield return record;
        }
    }

    private static bool IsLastLine(StreamReader reader)
    {
        try
        {
            string? next;
            do
            {
                next = reader.ReadLine();
            }
            while (next is { Length: 0 });

            return next is null;
        }
        catch (InvalidDataException)
        {
            return true;
        }
    }

    private static ExchangeException Damaged(string file, int line, string reason) =>
        new(new ConfigurationError($"capture '{file}' line {line}: {reason.ReplaceLineEndings(" ")}"));

    private static CaptureRecord Parse(string line)
    {
        using var doc = JsonDocument.Parse(line);
        var root = doc.RootElement;
        var kind = root.GetProperty("k").GetString() == "r" ? CaptureKind.Rest : CaptureKind.Frame;
        var market = MarketKindNames.TryParse(root.GetProperty("m").GetString(), out var m) ? m : throw new FormatException("unknown market");
        return new CaptureRecord(kind, new VenueId(root.GetProperty("v").GetString()!), market,
            root.TryGetProperty("c", out var c) ? c.GetInt64() : 0, root.GetProperty("t").GetInt64(), root.GetProperty("p").GetString()!,
            root.TryGetProperty("u", out var u) ? u.GetString() : null,
            root.TryGetProperty("f", out var f) ? f.GetString() ?? CaptureRecord.PublicFeed : CaptureRecord.PublicFeed);
    }
}

/// <summary>A REST executor that hands every answer to the capture as it passes.</summary>
public sealed class CapturingRestExecutor(IRestExecutor inner, IFrameCapture capture, VenueId venue, MarketKind market, TimeProvider clock) : IRestExecutor
{
    public async Task<JsonElement> SendAsync(RestRequest request, CancellationToken cancellationToken)
    {
        var data = await inner.SendAsync(request, cancellationToken).ConfigureAwait(false);
        capture.Rest(venue, market, clock.GetUtcNow().ToUnixTimeMilliseconds(), request, data);
        return data;
    }
}
