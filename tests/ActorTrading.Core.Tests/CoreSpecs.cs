using System.Text;
using System.Text.Json;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Json;
using ActorTrading.Core.Market;
using ActorTrading.Core.Time;
using Xunit;

namespace ActorTrading.Core.Tests;

public sealed class JsonReadingSpecs
{
    private static decimal Read(string json)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
        reader.Read();
        return JsonReading.ReadDecimal(ref reader, "v");
    }

    [Theory]
    [InlineData("\"90503.9\"", "90503.9")]
    [InlineData("90445.02", "90445.02")]
    [InlineData("6.1e-05", "0.000061")]
    [InlineData("\"6.1E-05\"", "0.000061")]
    [InlineData("\"21.0\"", "21.0")]
    [InlineData("-0.002966", "-0.002966")]
    [InlineData("\"0.00000001\"", "0.00000001")]
    public void Decimals_are_read_exactly_from_strings_and_numbers(string json, string expected)
    {
        Assert.Equal(expected, Read(json).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("60000.5")]
    [InlineData("0.00000001")]
    [InlineData("-12.50")]
    [InlineData("0.0100")]
    [InlineData("000123.4500")]
    [InlineData("9999999999999999999")]
    [InlineData("1234567890.123456789")]
    [InlineData("-0.0")]
    [InlineData("0")]
    [InlineData("18446744073709551615")]
    [InlineData("12345678901234567890.5")]
    [InlineData(".5")]
    [InlineData("5.")]
    [InlineData("1e5")]
    [InlineData("+3")]
    [InlineData("1.2.3")]
    [InlineData("-")]
    public void The_fast_decimal_path_gives_the_general_parsers_value_and_scale_or_leaves_the_text_to_it(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var general = System.Buffers.Text.Utf8Parser.TryParse(bytes, out decimal expected, out var consumed) && consumed == bytes.Length;
        if (JsonReading.TryParsePlain(bytes, out var fast))
        {
            Assert.True(general);
            Assert.Equal(expected, fast);
            Assert.Equal(expected.Scale, fast.Scale);
            Assert.Equal(expected.ToString(System.Globalization.CultureInfo.InvariantCulture), fast.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        else
        {
            // Only what the fast path cannot hold goes on: more than 19 digits, or not the plain form.
            Assert.True(text.Count(char.IsAsciiDigit) > 19 || !System.Text.RegularExpressions.Regex.IsMatch(text, @"^-?\d+(\.\d+)?$"));
        }
    }

    [Theory]
    [InlineData("1e999", "field 'v' is out of range")]
    [InlineData("\"12abc\"", "field 'v' is not a decimal")]
    [InlineData("true", "field 'v' must be a number or numeric string, got True")]
    public void Bad_decimals_name_the_field(string json, string message)
    {
        var e = Assert.Throws<FrameFormatException>(() => Read(json));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Integers_may_come_as_strings()
    {
        var reader = new Utf8JsonReader("\"1731898200\""u8);
        reader.Read();
        Assert.Equal(1731898200L, JsonReading.ReadInt64(ref reader, "t"));
    }

    [Fact]
    public void Elements_give_decimals_and_longs()
    {
        using var doc = JsonDocument.Parse("""{"a":"1.50","b":2.25,"c":"17","d":null}""");
        Assert.Equal(1.50m, doc.RootElement.Field("a").GetDecimal("a"));
        Assert.Equal(2.25m, doc.RootElement.Field("b").GetDecimal("b"));
        Assert.Equal(17L, doc.RootElement.Field("c").GetLong("c"));
        Assert.Null(doc.RootElement.Field("d").GetNullableDecimal("d"));
        Assert.Null(doc.RootElement.Field("missing").GetNullableLong("missing"));
        Assert.Equal("missing field 'zz'", Assert.Throws<FrameFormatException>(() => doc.RootElement.Required("zz")).Message);
    }
}

public sealed class ModelSpecs
{
    [Fact]
    public void Venue_time_units_normalize_to_unix_milliseconds()
    {
        Assert.Equal(1731898619520L, UnixTime.FromNanoseconds(1731898619520000000));
        Assert.Equal(1731898619520L, UnixTime.FromMicroseconds(1731898619520000));
        Assert.Equal(1731898200000L, UnixTime.FromSeconds(1731898200));
        Assert.Equal(new DateTimeOffset(2024, 11, 18, 2, 56, 59, 520, TimeSpan.Zero), UnixTime.ToDateTimeOffset(1731898619520));
    }

    [Fact]
    public void Protocol_errors_keep_at_most_256_characters_of_the_frame()
    {
        var frame = Encoding.UTF8.GetBytes(new string('x', 1000));
        var error = ProtocolError.From("bad", frame);
        Assert.Equal(new string('x', 256) + "…", error.Frame);
        Assert.Equal("protocol: bad", error.ToString());
        Assert.Equal("{}", ProtocolError.From("bad", "{}"u8).Frame);
    }

    [Fact]
    public void Errors_render_code_and_message_only()
    {
        Assert.Equal("rate-limited: slow down", new RateLimitedError("slow down", TimeSpan.FromSeconds(3)).ToString());
        Assert.Equal("timeout: took too long", new NetworkError("took too long", IsTimeout: true).ToString());
        Assert.Equal("api: nope", new ApiError("100001", "nope", 400).ToString());
        Assert.Equal("authentication: denied", new AuthenticationError("denied", "400003").ToString());
        Assert.Equal("configuration: bad", new ExchangeException(new ConfigurationError("bad")).Message);
    }

    [Theory]
    [InlineData("futures", MarketKind.Futures)]
    [InlineData("SPOT", MarketKind.Spot)]
    [InlineData("margin", MarketKind.Margin)]
    [InlineData("Unified", MarketKind.Unified)]
    public void Market_names_round_trip(string text, MarketKind market)
    {
        Assert.True(MarketKindNames.TryParse(text, out var parsed));
        Assert.Equal(market, parsed);
        Assert.Equal(text.ToLowerInvariant(), parsed.ToWire());
        Assert.False(MarketKindNames.TryParse("options", out _));
    }

    [Fact]
    public void Every_channel_has_a_wire_name_that_parses_back()
    {
        foreach (var channel in Enum.GetValues<DataChannel>())
        {
            Assert.True(DataChannelNames.TryParse(channel.ToWire(), out var parsed));
            Assert.Equal(channel, parsed);
        }

        Assert.Equal("book-delta", DataChannel.BookDelta.ToWire());
    }

    [Fact]
    public void Messages_report_their_channel()
    {
        var venue = VenueId.KuCoin;
        var symbol = new Symbol("XBTUSDTM");
        Assert.Equal(DataChannel.Trades, new Trade(venue, MarketKind.Futures, symbol, 1, 2, "t", Side.Buy, 1m, 1m, 1).Channel);
        Assert.Equal(DataChannel.BookDepth5, new OrderBookUpdate(venue, MarketKind.Futures, symbol, 1, 2, DataChannel.BookDepth5, BookUpdateKind.Snapshot, 1, 1, [], []).Channel);
        Assert.Equal(DataChannel.Funding, new FundingRate(venue, MarketKind.Futures, symbol, 1, 2, 0.0001m, null, null, null, null).Channel);
    }
}
