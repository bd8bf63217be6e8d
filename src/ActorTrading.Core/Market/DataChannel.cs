namespace ActorTrading.Core.Market;

/// <summary>Normalized kinds of market data a feed can carry; the middle segment of a bus topic.</summary>
public enum DataChannel
{
    Trades,
    Ticker,
    /// <summary>Incremental book updates that need a REST snapshot to start from.</summary>
    BookDelta,
    /// <summary>Full top-5 book snapshots pushed by the venue.</summary>
    BookDepth5,
    /// <summary>Full top-50 book snapshots pushed by the venue.</summary>
    BookDepth50,
    Candles,
    Funding,
    /// <summary>A locally maintained book's health and top-of-book, published by the book actor.</summary>
    Book,
    Orders,
    Positions,
    Balances,
    /// <summary>Feed lifecycle events; the topic's symbol segment is the feed name.</summary>
    Feed,
    /// <summary>Signals strategies publish for others (a funding/basis monitor's alerts).</summary>
    Signals,
    /// <summary>Rolling 24-hour statistics per symbol.</summary>
    Statistics,
    /// <summary>Venue announcements (funding settlements).</summary>
    Notices,
    /// <summary>The venue's best bid and offer, pushed as they change (published as tickers).</summary>
    BestQuote,
    /// <summary>An index price (published as funding/reference prices).</summary>
    IndexPrice,
    /// <summary>A mark price (published as funding/reference prices).</summary>
    MarkPrice,
    /// <summary>Account settings per symbol: margin mode, cross leverage, risk-limit level.</summary>
    AccountSettings,
    /// <summary>Stop orders of the account before they trigger: placed, triggered, canceled.</summary>
    StopOrders,
    /// <summary>Margin positions of the account: cross debt ratio and balances, isolated positions, status events.</summary>
    MarginPositions,
    /// <summary>A call auction's estimated price and size, before a symbol opens.</summary>
    Auction,
    /// <summary>The margin lending market: its order book by currency (public) and the account's lend orders (private).</summary>
    Lending,
}

public static class DataChannelNames
{
    public static string ToWire(this DataChannel channel) => channel switch
    {
        DataChannel.Trades => "trades",
        DataChannel.Ticker => "ticker",
        DataChannel.BookDelta => "book-delta",
        DataChannel.BookDepth5 => "book-depth5",
        DataChannel.BookDepth50 => "book-depth50",
        DataChannel.Candles => "candles",
        DataChannel.Funding => "funding",
        DataChannel.Book => "book",
        DataChannel.Orders => "orders",
        DataChannel.Positions => "positions",
        DataChannel.Balances => "balances",
        DataChannel.Feed => "feed",
        DataChannel.Signals => "signals",
        DataChannel.Statistics => "statistics",
        DataChannel.Notices => "notices",
        DataChannel.BestQuote => "best-quote",
        DataChannel.IndexPrice => "index-price",
        DataChannel.MarkPrice => "mark-price",
        DataChannel.AccountSettings => "account-settings",
        DataChannel.StopOrders => "stop-orders",
        DataChannel.MarginPositions => "margin-positions",
        DataChannel.Auction => "auction",
        DataChannel.Lending => "lending",
        _ => throw new ArgumentOutOfRangeException(nameof(channel), channel, "unknown channel"),
    };

    /// <summary>The account's own state (not market data): strategies see it, market statistics do not count it.</summary>
    public static bool IsAccount(this DataChannel channel) => channel is DataChannel.Orders or DataChannel.Positions or DataChannel.Balances
        or DataChannel.AccountSettings or DataChannel.StopOrders or DataChannel.MarginPositions;

    public static bool TryParse(string text, out DataChannel channel)
    {
        foreach (var candidate in Enum.GetValues<DataChannel>())
        {
            if (string.Equals(candidate.ToWire(), text, StringComparison.OrdinalIgnoreCase))
            {
                channel = candidate;
                return true;
            }
        }

        channel = default;
        return false;
    }
}
