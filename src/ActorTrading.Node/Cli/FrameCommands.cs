using System.Text;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Market;
using ActorTrading.Exchanges;
using ActorTrading.Runtime.Books;

namespace ActorTrading.Node.Cli;

/// <summary>
/// <c>decode</c> and <c>book</c>: raw frames in (one JSON frame per line), normalized JSON lines out, through the
/// same adapter and book code the node runs. A bad line becomes an <c>error</c> line and processing goes on.
/// </summary>
public static class FrameCommands
{
    public static int Decode(IVenueModule module, TextReader input, TextWriter output, TimeProvider clock)
    {
        var lines = new JsonLines(output, module.Venue, module.Market);
        var sink = new LineSink(lines, onData: lines.Data);
        ParseAll(module, input, sink, clock);
        return 0;
    }

    public static int Book(IVenueModule module, string symbol, TextReader input, byte[]? snapshotBody, int depth, TextWriter output, TimeProvider clock)
    {
        var lines = new JsonLines(output, module.Venue, module.Market);
        var book = new OrderBook();
        var waiting = false;

        // The book can no longer be trusted: name the event, then say why a new snapshot is needed.
        void Resync(string name, BookEvent result, string reason)
        {
            waiting = true;
            lines.BookEvent(symbol, name, result.Sequence, result.Kind == BookEventKind.Gap ? result.Expected : null);
            lines.BookEvent(symbol, "resync", result.Sequence, reason: reason + ": a new snapshot is needed");
        }

        void Report(BookEvent result)
        {
            switch (result.Kind)
            {
                case BookEventKind.Synced:
                    waiting = false;
                    lines.BookEvent(symbol, "synced", result.Sequence);
                    break;
                case BookEventKind.Buffered when !waiting:
                    waiting = true;
                    lines.BookEvent(symbol, "resync", result.Sequence, reason: "no snapshot yet: buffering deltas");
                    break;
                case BookEventKind.Gap:
                    Resync("gap", result, "sequence gap");
                    break;
                case BookEventKind.Crossed:
                    Resync("crossed", result, "crossed book");
                    break;
                case BookEventKind.Invalid:
                    Resync("invalid", result, "a level with a price not above zero or a negative size");
                    break;
                case BookEventKind.Conflict:
                    Resync("conflict", result, "a sequence came twice with different levels");
                    break;
                case BookEventKind.Duplicate:
                    lines.BookEvent(symbol, "duplicate", result.Sequence, reason: "applied already: ignored");
                    break;
                case BookEventKind.Backwards:
                    lines.BookEvent(symbol, "backwards", result.Sequence, result.Expected, reason: "older than the book: ignored");
                    break;
            }
        }

        if (snapshotBody is not null)
        {
            try
            {
                var snapshot = module.ParseSnapshotBody(snapshotBody, new Core.Ids.Symbol(symbol), clock.GetUtcNow().ToUnixTimeMilliseconds());
                Report(book.Apply(snapshot));
            }
            catch (ExchangeException e)
            {
                lines.Error(e.Error, 0, symbol);
            }
        }

        var sink = new LineSink(lines, onData: message =>
        {
            if (message is not OrderBookUpdate update || update.Symbol.Value != symbol)
            {
                return;
            }

            var result = book.Apply(update);
            if (result.Kind == BookEventKind.Invalidated)
            {
                Resync("invalidated", result, update.Reason ?? "the venue's integrity check failed");
                return;
            }

            Report(result);
        });
        ParseAll(module, input, sink, clock);

        if (!book.IsSynced)
        {
            lines.BookEvent(symbol, "stale", book.Sequence < 0 ? null : book.Sequence,
                reason: book.Sequence < 0 ? "never synced: no snapshot" : $"not synced at end of input ({book.BufferedCount} deltas buffered)");
        }

        lines.BookState(symbol, book.Sequence, book.Bids.Top(depth), book.Asks.Top(depth));
        return 0;
    }

    private static void ParseAll(IVenueModule module, TextReader input, LineSink sink, TimeProvider clock)
    {
        var parser = module.CreateFeedAdapter(new VenueEndpoints(module.DefaultRestBase)).CreateParser();
        string? text;
        while ((text = input.ReadLine()) is not null)
        {
            sink.LineNumber++;
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            parser.Parse(Encoding.UTF8.GetBytes(text), clock.GetUtcNow().ToUnixTimeMilliseconds(), sink);
        }
    }

    private sealed class LineSink(JsonLines lines, Action<DataMessage> onData) : IFrameSink
    {
        public long LineNumber { get; set; }

        public void OnData(DataMessage message) => onData(message);

        public void OnControl(in ControlEvent control) => lines.Control(control);

        public void OnError(ExchangeError error) => lines.Error(error, LineNumber);
    }
}
