using System.CommandLine;
using System.Text.Json;
using ActorTrading.TestExchange;
using Xunit;

namespace ActorTrading.Node.Tests;

public sealed class CliSpecs
{
    private static (int Exit, string[] Lines, string Errors) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = Program.BuildCommandLine(stdout, stderr).Parse(args).Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        return (exit, stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray(), stderr.ToString());
    }

    private static string Cli(string name) => Fixtures.Path("cli", name);

    [Fact]
    public void Decode_prints_one_documented_line_per_message_and_an_error_line_for_the_bad_one()
    {
        var (exit, lines, _) = Run("decode", "--venue", "kucoin", "--market", "futures", "--input", Cli("kucoin_futures_frames.jsonl"));
        Assert.Equal(0, exit);
        Assert.Equal(10, lines.Length);
        Assert.Equal("""{"type":"control","venue":"kucoin","market":"futures","symbol":null,"event":"welcome","id":"hQvf8jkno"}""", lines[0]);
        Assert.Equal("""{"type":"trade","venue":"kucoin","market":"futures","symbol":"XBTUSDTM","tradeId":"1794100537695","side":"buy","price":"90503.9","size":"2","ts":1731898619520}""", lines[2]);
        Assert.Equal("""{"type":"ticker","venue":"kucoin","market":"futures","symbol":"XBTUSDTM","bid":"88987.4","bidSize":"713","ask":"88987.5","askSize":"1037","last":null,"ts":1731665526461}""", lines[3]);
        Assert.Equal("""{"type":"book","venue":"kucoin","market":"futures","symbol":"XBTUSDTM","kind":"delta","seqFirst":1709400450243,"seqLast":1709400450243,"bids":[],"asks":[["90631.2","2"]],"ts":1731897467182}""", lines[4]);
        using (var error = JsonDocument.Parse(lines[5]))
        {
            Assert.Equal("error", error.RootElement.GetProperty("type").GetString());
            Assert.Equal("protocol", error.RootElement.GetProperty("code").GetString());
            Assert.Equal(6, error.RootElement.GetProperty("line").GetInt32());
            Assert.StartsWith("malformed JSON", error.RootElement.GetProperty("message").GetString());
        }

        Assert.Equal("""{"type":"candle","venue":"kucoin","market":"futures","symbol":"XBTUSDTM","interval":"1min","openTs":1731898200000,"open":"90638.6","high":"90638.6","low":"90638.6","close":"90638.6","volume":"21.0","closed":false,"ts":1731898208357}""", lines[7]);
        Assert.Equal("""{"type":"funding","venue":"kucoin","market":"futures","symbol":"XBTUSDTM","rate":null,"predictedRate":null,"markPrice":"90445.02","indexPrice":"90445.02","nextFundingTs":null,"ts":1731899129000}""", lines[8]);
        Assert.Equal("""{"type":"control","venue":"kucoin","market":"futures","symbol":null,"event":"pong","id":"1545910590801"}""", lines[9]);
    }

    [Fact]
    public void Book_replays_the_docs_worked_example_to_the_documented_book()
    {
        var (exit, lines, _) = Run("book", "--venue", "kucoin", "--market", "futures", "--symbol", "XBTUSDTM",
            "--input", Cli("kucoin_futures_l2_worked_example.jsonl"), "--snapshot", Cli("kucoin_futures_l2_snapshot_seq16.json"), "--depth", "5");
        Assert.Equal(0, exit);
        Assert.Equal(
        [
            """{"type":"bookEvent","venue":"kucoin","market":"futures","symbol":"XBTUSDTM","event":"synced","seq":16,"expected":null}""",
            """{"type":"bookState","venue":"kucoin","market":"futures","symbol":"XBTUSDTM","seq":18,"bids":[["3988.51","56"],["3988.50","44"],["3988.49","100"],["3988.48","10"]],"asks":[["3988.59","3"],["3988.60","47"],["3988.62","8"]]}""",
        ], lines);
    }

    [Fact]
    public void Book_reports_a_gap_with_expected_and_actual_sequence()
    {
        var (_, lines, _) = Run("book", "--venue", "kucoin", "--symbol", "XBTUSDTM",
            "--input", Cli("kucoin_futures_l2_gap.jsonl"), "--snapshot", Cli("kucoin_futures_l2_snapshot_seq16.json"), "--depth", "2");
        var events = lines.Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.Equal(["synced", "gap", "resync", "stale"], events.Where(e => e.GetProperty("type").GetString() == "bookEvent").Select(e => e.GetProperty("event").GetString()));
        Assert.Equal(19, events[1].GetProperty("seq").GetInt64());
        Assert.Equal(18, events[1].GetProperty("expected").GetInt64());
        Assert.Equal(17, events[^1].GetProperty("seq").GetInt64());
    }

    [Fact]
    public void Book_without_snapshot_syncs_from_venue_depth_snapshots()
    {
        var path = Path.GetTempFileName();
        File.WriteAllText(path, Fixtures.KuCoin("futures_ws_contractMarket_level2Depth5_symbol").ReplaceLineEndings(string.Empty) + "\n");
        var (_, lines, _) = Run("book", "--venue", "kucoin", "--symbol", "XBTUSDTM", "--input", path, "--depth", "1");
        Assert.Equal(
        [
            """{"type":"bookEvent","venue":"kucoin","market":"futures","symbol":"XBTUSDTM","event":"synced","seq":1709294294670,"expected":null}""",
            """{"type":"bookState","venue":"kucoin","market":"futures","symbol":"XBTUSDTM","seq":1709294294670,"bids":[["89720.9","513"]],"asks":[["89721","906"]]}""",
        ], lines);
    }

    [Fact]
    public void Missing_input_exits_2_with_a_message()
    {
        var (exit, lines, errors) = Run("decode", "--venue", "kucoin", "--input", "/no/such/file");
        Assert.Equal(2, exit);
        Assert.Empty(lines);
        Assert.Contains("'/no/such/file' not found", errors);
    }

    [Fact]
    public void Unknown_venue_is_a_configuration_error()
    {
        var e = Assert.Throws<ActorTrading.Core.Errors.ExchangeException>(() => Run("decode", "--venue", "nowhere", "--input", "-"));
        Assert.Equal("configuration: no adapter for venue 'nowhere' market 'futures' (available: kucoin futures, kucoin spot, binance spot, binance futures, bybit spot, bybit futures, kraken spot, cryptocom spot, cryptocom futures)", e.Error.ToString());
    }
}
