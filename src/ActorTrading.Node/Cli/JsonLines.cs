using System.Globalization;
using System.Text.Json;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;

namespace ActorTrading.Node.Cli;

/// <summary>
/// The CLI's line schema (docs/cli.md): every line has <c>type</c>, <c>venue</c>, <c>market</c>, <c>symbol</c>;
/// decimals are JSON strings holding the venue's value exactly; <c>ts</c> is exchange time in Unix ms.
/// </summary>
public sealed class JsonLines(TextWriter output, VenueId venue, MarketKind market)
{
    private readonly MemoryStream _buffer = new();

    public void Data(DataMessage message) => Line(message switch
    {
        Trade => "trade",
        Ticker => "ticker",
        OrderBookUpdate => "book",
        Candle => "candle",
        FundingRate => "funding",
        OrderUpdate => "order",
        PositionChange => "position",
        BalanceUpdate => "balance",
        MarketStatistics => "statistics",
        VenueNotice => "notice",
        AccountSetting => "accountSetting",
        _ => "data",
    }, message.Symbol.Value, w => WriteBody(w, message));

    public void Control(in ControlEvent control)
    {
        var (kind, id, detail) = (control.Kind, control.Id, control.Detail);
        Line("control", null, w =>
        {
            w.WriteString("event", kind switch
            {
                ControlKind.TokenRejected => "tokenRejected",
                _ => JsonNamingPolicy.CamelCase.ConvertName(kind.ToString()),
            });
            w.WriteString("id", id);
            if (detail is not null)
            {
                w.WriteString("detail", detail);
            }
        });
    }

    public void Error(ExchangeError error, long line, string? symbol = null) => Line("error", symbol, w =>
    {
        w.WriteString("code", error.Code);
        w.WriteString("message", error.Message);
        w.WriteNumber("line", line);
    });

    public void BookEvent(string symbol, string name, long? seq, long? expected = null, string? reason = null) => Line("bookEvent", symbol, w =>
    {
        w.WriteString("event", name);
        Number(w, "seq", seq);
        Number(w, "expected", expected);
        if (reason is not null)
        {
            w.WriteString("reason", reason);
        }
    });

    public void BookState(string symbol, long seq, IReadOnlyList<BookLevel> bids, IReadOnlyList<BookLevel> asks) => Line("bookState", symbol, w =>
    {
        w.WriteNumber("seq", seq);
        Levels(w, "bids", bids);
        Levels(w, "asks", asks);
    });

    private static void WriteBody(Utf8JsonWriter w, DataMessage message)
    {
        switch (message)
        {
            case Trade t:
                w.WriteString("tradeId", t.TradeId);
                w.WriteString("side", SideName(t.Side));
                Dec(w, "price", t.Price);
                Dec(w, "size", t.Size);
                break;
            case Ticker t:
                Dec(w, "bid", t.BidPrice);
                Dec(w, "bidSize", t.BidSize);
                Dec(w, "ask", t.AskPrice);
                Dec(w, "askSize", t.AskSize);
                Dec(w, "last", t.LastPrice);
                break;
            case OrderBookUpdate b:
                w.WriteString("kind", b.Kind == BookUpdateKind.Snapshot ? "snapshot" : "delta");
                w.WriteNumber("seqFirst", b.FirstSequence);
                w.WriteNumber("seqLast", b.LastSequence);
                Levels(w, "bids", b.Bids);
                Levels(w, "asks", b.Asks);
                break;
            case Candle c:
                w.WriteString("interval", c.Interval);
                w.WriteNumber("openTs", c.OpenTs);
                Dec(w, "open", c.Open);
                Dec(w, "high", c.High);
                Dec(w, "low", c.Low);
                Dec(w, "close", c.Close);
                Dec(w, "volume", c.Volume);
                w.WriteBoolean("closed", c.IsClosed);
                break;
            case FundingRate f:
                Dec(w, "rate", f.Rate);
                Dec(w, "predictedRate", f.PredictedRate);
                Dec(w, "markPrice", f.MarkPrice);
                Dec(w, "indexPrice", f.IndexPrice);
                Number(w, "nextFundingTs", f.NextFundingTs);
                break;
            case OrderUpdate o:
                w.WriteString("orderId", o.OrderId);
                w.WriteString("clientOrderId", o.ClientOrderId?.Value);
                w.WriteString("side", SideName(o.Side));
                w.WriteString("status", JsonNamingPolicy.CamelCase.ConvertName(o.Status.ToString()));
                Dec(w, "price", o.Price);
                Dec(w, "size", o.Size);
                Dec(w, "filledSize", o.FilledSize);
                if (o.Fill is { } fill)
                {
                    w.WriteStartObject("fill");
                    w.WriteString("tradeId", fill.TradeId);
                    Dec(w, "price", fill.Price);
                    Dec(w, "size", fill.Size);
                    w.WriteString("liquidity", fill.Liquidity?.ToString().ToLowerInvariant());
                    w.WriteEndObject();
                }

                break;
            case PositionChange p:
                Dec(w, "quantity", p.Quantity);
                Dec(w, "entryPrice", p.EntryPrice);
                Dec(w, "markPrice", p.MarkPrice);
                Dec(w, "unrealizedPnl", p.UnrealizedPnl);
                Dec(w, "realizedPnl", p.RealizedPnl);
                break;
            case BalanceUpdate b:
                Dec(w, "total", b.Total);
                Dec(w, "available", b.Available);
                Dec(w, "hold", b.Hold);
                break;
            case MarketStatistics m:
                Dec(w, "last", m.LastPrice);
                Dec(w, "high", m.High);
                Dec(w, "low", m.Low);
                Dec(w, "volume", m.Volume);
                Dec(w, "turnover", m.Turnover);
                Dec(w, "changePrice", m.ChangePrice);
                Dec(w, "changeRate", m.ChangeRate);
                break;
            case AccountSetting a:
                w.WriteString("marginMode", a.MarginMode);
                Dec(w, "crossLeverage", a.CrossLeverage);
                break;
            case VenueNotice n:
                w.WriteString("subject", n.Subject);
                Number(w, "fundingTime", n.FundingTime);
                Dec(w, "fundingRate", n.FundingRate);
                break;
        }

        w.WriteNumber("ts", message.ExchangeTs);
    }

    private void Line(string type, string? symbol, Action<Utf8JsonWriter> body)
    {
        _buffer.SetLength(0);
        using (var w = new Utf8JsonWriter(_buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("type", type);
            w.WriteString("venue", venue.Value);
            w.WriteString("market", market.ToWire());
            w.WriteString("symbol", symbol);
            body(w);
            w.WriteEndObject();
        }

        output.WriteLine(System.Text.Encoding.UTF8.GetString(_buffer.GetBuffer(), 0, (int)_buffer.Length));
    }

    private static void Levels(Utf8JsonWriter w, string name, IEnumerable<BookLevel> levels)
    {
        w.WriteStartArray(name);
        foreach (var level in levels)
        {
            w.WriteStartArray();
            w.WriteStringValue(D(level.Price));
            w.WriteStringValue(D(level.Size));
            w.WriteEndArray();
        }

        w.WriteEndArray();
    }

    private static void Dec(Utf8JsonWriter w, string name, decimal? value)
    {
        if (value is { } v)
        {
            w.WriteString(name, D(v));
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static void Number(Utf8JsonWriter w, string name, long? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static string D(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    private static string SideName(Side side) => side == Side.Buy ? "buy" : "sell";
}
