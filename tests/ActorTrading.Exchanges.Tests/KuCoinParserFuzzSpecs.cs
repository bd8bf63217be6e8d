using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Exchanges.KuCoin.Auth;
using ActorTrading.Exchanges.KuCoin.Ws;
using ActorTrading.TestExchange;
using Xunit;

namespace ActorTrading.Exchanges.Tests;

/// <summary>
/// Property-style fuzzing of every KuCoin socket parser, seeded so a failure replays: each official sample frame is
/// truncated, stripped of a member, given swapped types and extreme numbers, and has members repeated. Whatever comes
/// in, the parser never throws, a frame that errs yields nothing else, and every message it does yield carries all
/// the fields its kind requires, with positive prices and sizes.
/// </summary>
public sealed class KuCoinParserFuzzSpecs
{
    private const int MutationsPerSample = 400;

    private static readonly string[] Extremes =
        ["0", "-1", "\"-5\"", "1e999", "\"1e999\"", "18446744073709552", "79228162514264337593543950336", "\"\"", "null", "true", "[]", "{}", "\"x\"", "-9223372036854775808"];

    public static TheoryData<string, MarketKind> Samples()
    {
        var data = new TheoryData<string, MarketKind>();
        foreach (var path in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "fixtures", "kucoin"), "*_ws_*.json").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileNameWithoutExtension(path);
            if (!name.EndsWith(".request", StringComparison.Ordinal))
            {
                data.Add(name, name.StartsWith("futures_", StringComparison.Ordinal) ? MarketKind.Futures : MarketKind.Spot);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Mutated_frames_never_throw_never_half_emit_and_never_yield_a_message_without_its_fields(string sample, MarketKind market)
    {
        var original = Compact(Fixtures.KuCoin(sample));
        var random = new Random(HashSeed(sample));
        var parser = new KuCoinFrameParser(market);
        Check(parser, original, original, sample);   // the sample itself is whole

        for (var i = 0; i < MutationsPerSample; i++)
        {
            var mutated = Mutate(original, random);
            Check(parser, mutated, original, $"{sample} mutation {i}");
        }
    }

    [Fact]
    public void Trading_socket_frames_never_throw_and_a_welcome_always_has_a_sane_keep_alive()
    {
        var parser = new KuCoinWsApiAdapter(new KuCoinCredentials("k", "s", "p")).CreateParser();
        var random = new Random(7);
        foreach (var sample in new[] { "wsapi_welcome", "wsapi_futures.order.response", "wsapi_error_param", "wsapi_session_challenge" })
        {
            var original = Compact(Fixtures.KuCoin(sample));
            for (var i = 0; i < MutationsPerSample; i++)
            {
                var frame = Mutate(original, random);
                var sink = new CollectingSink();
                var exception = Record.Exception(() => parser.Parse(Encoding.UTF8.GetBytes(frame), 1, sink));
                Assert.True(exception is null, $"{sample}: {frame} threw {exception}");
                foreach (var welcome in sink.Controls.Where(c => c.Kind == ControlKind.Welcome))
                {
                    var parts = welcome.Detail!.Split(',').Select(long.Parse).ToArray();
                    Assert.True(parts.All(ms => ms is >= 100 and <= 600_000), $"{sample}: {frame} gave keep-alive {welcome.Detail}");
                }
            }
        }
    }

    private static void Check(KuCoinFrameParser parser, string frame, string original, string what)
    {
        var sink = new CollectingSink();
        var exception = Record.Exception(() => parser.Parse(Encoding.UTF8.GetBytes(frame), 1700000000000, sink));
        Assert.True(exception is null, $"{what}: {frame} threw {exception}");
        if (sink.Errors.Count > 0)
        {
            Assert.True(sink.Data.Count == 0, $"{what}: {frame} yielded {sink.Data.Count} messages and an error ({sink.Errors[0]})");
            return;
        }

        var data = DataMembers(frame);
        foreach (var message in sink.Data)
        {
            Assert.True(data is not null, $"{what}: {frame} yielded {message.GetType().Name} without a data object");
            foreach (var alternatives in RequiredMembers(message))
            {
                Assert.True(alternatives.Any(data!.Contains), $"{what}: {frame} yielded {message.GetType().Name} though it lacks '{string.Join("' or '", alternatives)}'");
            }

            AssertValid(message, $"{what}: {frame}");
        }

        if (frame == original)
        {
            Assert.True(sink.Data.Count + sink.Controls.Count + sink.Errors.Count > 0, $"{what}: the sample yielded nothing");
        }
    }

    /// <summary>The members a message of this kind cannot be made without (any one of each group).</summary>
    private static IEnumerable<string[]> RequiredMembers(DataMessage message) => message switch
    {
        Trade => [["price"], ["size"], ["side"], ["tradeId"], ["sequence"], ["ts", "time"]],
        Ticker => [["bestBidPrice", "bestBid", "bids"], ["bestBidSize", "bids"], ["bestAskPrice", "bestAsk", "asks"], ["bestAskSize", "asks"], ["sequence", "timestamp"], ["ts", "Time", "time", "timestamp"]],
        MarketStatistics { Market: MarketKind.Spot } => [["data"]],
        MarketStatistics => [["ts"]],
        VenueNotice => [["symbol"], ["timestamp"]],
        AccountSetting => [],   // keyed by symbol: no fixed member
        OrderBookUpdate { Kind: BookUpdateKind.Snapshot } => [["bids"], ["asks"], ["timestamp"]],
        OrderBookUpdate { BidSequences.IsDefaultOrEmpty: false } or OrderBookUpdate { AskSequences.IsDefaultOrEmpty: false } => [["changes"], ["sequenceStart"], ["sequenceEnd"], ["time"]],
        OrderBookUpdate => [["change", "changes"], ["sequence", "sequenceStart"], ["timestamp", "time"]],
        Candle => [["candles"], ["time"]],
        FundingRate { MarkPrice: not null, IndexPrice: not null } => [["markPrice"], ["indexPrice"], ["timestamp", "ts"]],
        FundingRate { Rate: null, PredictedRate: null } => [["value"], ["timestamp"]],
        FundingRate => [["fundingRate"], ["granularity"], ["timestamp", "ts"]],
        OrderUpdate { Fill: not null } => [["orderId"], ["side"], ["type"], ["ts"], ["tradeId"], ["matchPrice"], ["matchSize"]],
        OrderUpdate => [["orderId"], ["side"], ["type"], ["ts"]],
        PositionChange => [["currentTimestamp"]],
        BalanceUpdate => [["currency"], ["walletBalance", "total"], ["availableBalance", "available"], ["holdBalance", "hold"], ["timestamp", "time"]],
        FundingSettlement => [["qty"], ["markPrice"], ["fundingRate"], ["fundingFee"], ["settleCurrency"], ["fundingTime"], ["ts"]],
        RiskLimitChange => [["success"], ["riskLimitLevel"]],
        StopOrderUpdate => [["orderId"], ["symbol"], ["side"], ["type"], ["stop"], ["stopPrice"], ["size"], ["createdAt"], ["ts"]],
        MarginPosition { Status: not null, DebtRatio: null, Symbol.Value: "*" } => [["type"], ["timestamp"]],
        MarginPosition { Symbol.Value: "*" } => [["debtRatio"], ["totalDebt"], ["timestamp"]],
        MarginPosition => [["status"], ["timestamp"]],
        CallAuction => [["estimatedPrice"], ["estimatedSize"], ["sellOrderRangeLowPrice"], ["sellOrderRangeHighPrice"], ["buyOrderRangeLowPrice"], ["buyOrderRangeHighPrice"], ["time"]],
        LendingUpdate { Subject: "funding.update" } => [["currency"], ["side"], ["sequence"], ["dailyIntRate"], ["size"], ["term"], ["ts"]],
        LendingUpdate => [["currency"], ["side"], ["orderId"], ["ts"]],
        _ => throw new Xunit.Sdk.XunitException("a message kind the fuzz spec does not know: " + message.GetType().Name),
    };

    private static void AssertValid(DataMessage message, string what)
    {
        Assert.True(message.ExchangeTs is >= 0 and <= 253_402_300_799_999, $"{what}: time {message.ExchangeTs}");
        switch (message)
        {
            case Trade t:
                Assert.True(t.Price > 0 && t.Size > 0, $"{what}: trade {t.Price} x {t.Size}");
                break;
            case Ticker t:
                Assert.True(t.BidPrice > 0 && t.AskPrice > 0 && t.BidSize > 0 && t.AskSize > 0 && t.LastPrice is null or > 0, $"{what}: ticker {t}");
                break;
            case OrderBookUpdate b:
                Assert.True(b.Bids.Concat(b.Asks).All(l => l.Price > 0 && l.Size >= 0), $"{what}: book levels {string.Join(' ', b.Bids.Concat(b.Asks))}");
                break;
            case Candle c:
                Assert.True(c.Low > 0 && c.Low <= Math.Min(c.Open, c.Close) && c.High >= Math.Max(c.Open, c.Close) && c.Volume >= 0 && c.OpenTs >= 0, $"{what}: candle {c}");
                break;
            case MarketStatistics m:
                Assert.True(m.LastPrice is null or > 0 && m.High is null or > 0 && m.Low is null or > 0 && !(m.High < m.Low), $"{what}: statistics {m}");
                break;
            case FundingRate f:
                Assert.True(f.MarkPrice is null or > 0 && f.IndexPrice is null or > 0, $"{what}: funding {f}");
                break;
            case StopOrderUpdate o:
                Assert.True(o.StopPrice > 0 && o.Size > 0 && o.OrderPrice is null or > 0, $"{what}: stop order {o}");
                break;
            case MarginPosition m:
                Assert.True(m.DebtRatio is null or >= 0 && m.TotalDebtBtc is null or >= 0 && m.Balances.All(b => b.Total >= 0 && b.Hold >= 0) && m.Debts.All(d => d.Amount >= 0), $"{what}: margin {m}");
                break;
            case CallAuction a:
                Assert.True(a.EstimatedPrice > 0 && a.EstimatedSize >= 0 && a.SellLow <= a.SellHigh && a.BuyLow <= a.BuyHigh, $"{what}: auction {a}");
                break;
            case LendingUpdate l:
                Assert.True(l.Size is null or >= 0 && l.DailyRate is null or >= 0 && l.TermDays is null or > 0, $"{what}: lending {l}");
                break;
            case OrderUpdate o:
                Assert.True(o.Fill is null || (o.Fill.Price > 0 && o.Fill.Size > 0), $"{what}: fill {o.Fill}");
                Assert.True(o.Size is null or >= 0 && o.FilledSize is null or >= 0, $"{what}: order sizes {o.Size}/{o.FilledSize}");
                break;
        }
    }

    private static HashSet<string>? DataMembers(string frame)
    {
        try
        {
            using var doc = JsonDocument.Parse(frame);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object
                ? data.EnumerateObject().Select(p => p.Name).ToHashSet()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Mutate(string frame, Random random)
    {
        switch (random.Next(5))
        {
            case 0:
                return frame[..random.Next(frame.Length)];   // truncated
            case 1:
                return Edit(frame, random, (obj, key) => obj.Remove(key));   // a member missing
            case 2:
                return Edit(frame, random, (obj, key) => obj[key] = JsonNode.Parse(Extremes[random.Next(Extremes.Length)]));   // a type swapped or an extreme
            case 3:
                {
                    // A member repeated with another value (JsonNode cannot hold one, so the text is spliced): a second
                    // data object at the end, or a second price at the start of data.
                    var data = frame.IndexOf("\"data\":{", StringComparison.Ordinal);
                    if (data < 0 || !frame.EndsWith('}') || random.Next(2) == 0)
                    {
                        return frame.EndsWith('}') ? frame[..^1] + ",\"data\":{\"price\":\"1\"}}" : frame;
                    }

                    var inside = data + "\"data\":{".Length;
                    return frame[..inside] + "\"price\":\"-3\"," + frame[inside..];
                }

            default:
                return Mutate(Mutate(frame, random), random);   // two at once
        }
    }

    /// <summary>Applies the edit to a random member of a random object in the frame (mostly inside <c>data</c>).</summary>
    private static string Edit(string frame, Random random, Action<JsonObject, string> edit)
    {
        JsonNode? root;
        var objects = new List<JsonObject>();
        try
        {
            root = JsonNode.Parse(frame);
            Collect(root, objects);
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            return frame;   // not JSON, or a member repeated (which JsonObject cannot hold): left as it is
        }

        if (objects.Count == 0)
        {
            return frame;
        }

        var target = root is JsonObject top && top["data"] is JsonObject data && random.Next(4) > 0 ? data : objects[random.Next(objects.Count)];
        if (target.Count == 0)
        {
            return frame;
        }

        edit(target, target.ElementAt(random.Next(target.Count)).Key);
        return root!.ToJsonString();
    }

    private static void Collect(JsonNode? node, List<JsonObject> objects)
    {
        switch (node)
        {
            case JsonObject obj:
                objects.Add(obj);
                foreach (var (_, child) in obj)
                {
                    Collect(child, objects);
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    Collect(child, objects);
                }

                break;
        }
    }

    private static string Compact(string json) => JsonNode.Parse(json)!.ToJsonString();

    private static int HashSeed(string text) => text.Aggregate(17, (hash, c) => unchecked((hash * 31) + c));
}
