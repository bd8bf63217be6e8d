using System.Net.WebSockets;
using System.Text;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Exchanges.CryptoCom.Ws;
using ActorTrading.Runtime.Books;
using ActorTrading.Simulator;
using Xunit;

namespace ActorTrading.Runtime.Tests;

/// <summary>The simulated Crypto.com market of <c>run --simulate cryptocom</c>, read through the venue's own parser: its books keep their chain and depth, its heartbeats need answers.</summary>
public sealed class SimulatedCryptoComSpecs
{
    [Theory]
    [InlineData(10)]
    [InlineData(50)]
    public async Task A_book_subscription_is_a_snapshot_and_then_updates_that_each_continue_the_chain_within_its_depth(int depth)
    {
        await using var venue = await SimulatedCryptoComSpot.StartAsync(TimeSpan.FromMilliseconds(20));
        using var socket = await ConnectAsync(venue);
        await SendAsync(socket, $$"""{"id":1,"method":"subscribe","params":{"channels":["book.BTC_USDT.{{depth}}","trade.BTC_USDT"]},"nonce":1}""");

        var parser = new CryptoComFrameParser(MarketKind.Spot);
        var sink = new Sink();
        var book = new OrderBook();
        var events = new List<BookEventKind>();
        while (sink.Books.Count < 60)
        {
            var before = sink.Books.Count;
            parser.Parse(Encoding.UTF8.GetBytes(await ReceiveAsync(socket)), 0, sink);
            foreach (var update in sink.Books.Skip(before))
            {
                events.Add(book.Apply(update).Kind);
                Assert.InRange(book.Bids.Count, 1, Math.Min(depth, 20));
                Assert.InRange(book.Asks.Count, 1, Math.Min(depth, 20));
            }
        }

        Assert.Empty(sink.Errors);
        Assert.Equal(new ControlEvent(ControlKind.Ack, "1"), sink.Controls[0]);
        Assert.Equal(BookUpdateKind.Snapshot, sink.Books[0].Kind);
        Assert.Equal(BookEventKind.Synced, events[0]);
        Assert.All(events.Skip(1), kind => Assert.Contains(kind, new[] { BookEventKind.Applied, BookEventKind.Dropped }));
        Assert.True(book.Bids.Best!.Value.Price < book.Asks.Best!.Value.Price);
        Assert.NotEmpty(sink.Trades);
        Assert.All(sink.Trades, t => Assert.Equal(("BTC_USDT", 0m), (t.Symbol.Value, t.Size * 10_000 % 1)));   // whole steps of 0.0001
    }

    [Fact]
    public async Task A_connection_that_answers_the_heartbeats_stays_and_one_that_does_not_is_closed()
    {
        await using var venue = await SimulatedCryptoComSpot.StartAsync(heartbeat: TimeSpan.FromMilliseconds(300));
        using var answering = await ConnectAsync(venue);
        using var silent = await ConnectAsync(venue);

        var heartbeats = 0;
        var parser = new CryptoComFrameParser(MarketKind.Spot);
        var adapter = new CryptoComFeedAdapter(MarketKind.Spot);
        while (heartbeats < 5)
        {
            var sink = new Sink();
            parser.Parse(Encoding.UTF8.GetBytes(await ReceiveAsync(answering)), 0, sink);
            foreach (var ping in sink.Controls.Where(c => c.Kind == ControlKind.Ping))
            {
                heartbeats++;
                await SendAsync(answering, adapter.AnswerFrame(ping)!);
            }
        }

        Assert.Equal(WebSocketState.Open, answering.State);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            while (true)
            {
                await ReceiveAsync(silent, deadline.Token);
            }
        });
        Assert.False(deadline.IsCancellationRequested, "the silent connection was not closed");
    }

    private static async Task<ClientWebSocket> ConnectAsync(SimulatedCryptoComSpot venue)
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri(venue.StreamBase, "/exchange/v1/market"), CancellationToken.None);
        return socket;
    }

    private static Task SendAsync(ClientWebSocket socket, string text) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    private static async Task<string> ReceiveAsync(ClientWebSocket socket, CancellationToken cancellationToken = default)
    {
        var buffer = new byte[64 * 1024];
        var length = 0;
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer, length, buffer.Length - length), cancellationToken);
            length += result.Count;
        }
        while (!result.EndOfMessage);

        return result.MessageType == WebSocketMessageType.Close ? throw new WebSocketException("closed by the server") : Encoding.UTF8.GetString(buffer, 0, length);
    }

    private sealed class Sink : IFrameSink
    {
        public List<OrderBookUpdate> Books { get; } = [];

        public List<Trade> Trades { get; } = [];

        public List<ControlEvent> Controls { get; } = [];

        public List<ExchangeError> Errors { get; } = [];

        public void OnData(DataMessage message)
        {
            switch (message)
            {
                case OrderBookUpdate book:
                    Books.Add(book);
                    break;
                case Trade trade:
                    Trades.Add(trade);
                    break;
            }
        }

        public void OnControl(in ControlEvent control) => Controls.Add(control);

        public void OnError(ExchangeError error) => Errors.Add(error);
    }
}
