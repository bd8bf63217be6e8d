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
        FundingSettlement => "fundingSettlement",
        RiskLimitChange => "riskLimit",
        StopOrderUpdate => "stopOrder",
        MarginPosition => "marginPosition",
        CallAuction => "callAuction",
        LendingUpdate => "lending",
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
                w.WriteString("kind", b.Kind switch
                {
                    BookUpdateKind.Snapshot => "snapshot",
                    BookUpdateKind.Delta => "delta",
                    _ => "invalidated",
                });
                if (b.Reason is not null)
                {
                    w.WriteString("reason", b.Reason);
                }

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
            case FundingSettlement f:
                Dec(w, "quantity", f.Quantity);
                Dec(w, "settlementPrice", f.SettlementPrice);
                Dec(w, "rate", f.Rate);
                Dec(w, "fee", f.Fee);
                w.WriteString("settleCurrency", f.SettleCurrency);
                w.WriteNumber("fundingTime", f.FundingTs);
                break;
            case RiskLimitChange r:
                w.WriteBoolean("succeeded", r.Succeeded);
                w.WriteNumber("level", r.Level);
                w.WriteString("reason", r.Reason);
                break;
            case StopOrderUpdate o:
                w.WriteString("orderId", o.OrderId);
                w.WriteString("side", SideName(o.Side));
                w.WriteString("event", JsonNamingPolicy.CamelCase.ConvertName(o.Event.ToString()));
                w.WriteString("trigger", o.Trigger);
                Dec(w, "stopPrice", o.StopPrice);
                w.WriteString("stopPriceType", o.StopPriceType);
                Dec(w, "price", o.OrderPrice);
                Dec(w, "size", o.Size);
                w.WriteNumber("createdTs", o.CreatedTs);
                break;
            case MarginPosition m:
                w.WriteString("status", m.Status);
                w.WriteString("statusCause", m.StatusCause);
                Dec(w, "debtRatio", m.DebtRatio);
                Dec(w, "totalAssetBtc", m.TotalAssetBtc);
                Dec(w, "totalDebtBtc", m.TotalDebtBtc);
                Dec(w, "accumulatedPrincipal", m.AccumulatedPrincipal);
                w.WriteStartArray("balances");
                foreach (var b in m.Balances)
                {
                    w.WriteStartObject();
                    w.WriteString("currency", b.Currency);
                    Dec(w, "total", b.Total);
                    Dec(w, "available", b.Available);
                    Dec(w, "hold", b.Hold);
                    Dec(w, "liabilityPrincipal", b.LiabilityPrincipal);
                    Dec(w, "liabilityInterest", b.LiabilityInterest);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteStartObject("debts");
                foreach (var d in m.Debts)
                {
                    Dec(w, d.Currency, d.Amount);
                }

                w.WriteEndObject();
                break;
            case CallAuction a:
                Dec(w, "estimatedPrice", a.EstimatedPrice);
                Dec(w, "estimatedSize", a.EstimatedSize);
                Dec(w, "sellLow", a.SellLow);
                Dec(w, "sellHigh", a.SellHigh);
                Dec(w, "buyLow", a.BuyLow);
                Dec(w, "buyHigh", a.BuyHigh);
                break;
            case LendingUpdate l:
                w.WriteString("subject", l.Subject);
                w.WriteString("side", l.Side);
                w.WriteString("orderId", l.OrderId);
                Number(w, "sequence", l.Sequence);
                Dec(w, "dailyRate", l.DailyRate);
                Dec(w, "annualRate", l.AnnualRate);
                Number(w, "termDays", l.TermDays);
                Dec(w, "size", l.Size);
                Dec(w, "lentSize", l.LentSize);
                w.WriteString("reason", l.Reason);
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
