using System.Text;
using System.Text.Json;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Exchanges.CryptoCom;
using ActorTrading.Exchanges.CryptoCom.Auth;
using ActorTrading.Exchanges.CryptoCom.Rest;
using ActorTrading.Exchanges.CryptoCom.Ws;
using ActorTrading.TestExchange;
using Xunit;

namespace ActorTrading.Exchanges.Tests;

/// <summary>Crypto.com Exchange v1 REST (the envelope, typed errors, private calls signed as sent) and the feed's frames (login, subscriptions, heartbeat answers).</summary>
public sealed class CryptoComRestSpecs
{
    private readonly CryptoComCredentials _credentials = new("api-key-1", "secret-1");

    private CryptoComRestAdapter Adapter() => new(new Uri("https://api.crypto.com"), _credentials);

    private RestOutcome Unwrap(string body, int status = 200) => Adapter().Unwrap(status, Encoding.UTF8.GetBytes(body), null);

    [Fact]
    public void The_envelope_gives_the_result_with_numeric_or_string_codes_and_refusals_are_typed()
    {
        var book = Unwrap(Fixtures.CryptoCom("rest_public_get-book.response"));
        Assert.True(book.IsSuccess);
        Assert.Equal("BTCUSD-PERP", book.Data.GetProperty("instrument_name").GetString());

        Assert.Equal(new AuthenticationError("40101 UNAUTHORIZED", "40101"), Unwrap(Fixtures.CryptoCom("rest_private_create-order.error_401"), 401).Error);
        var adapter = Adapter();
        Assert.True(adapter.IsClockSkew(Unwrap("""{"id":1,"method":"private/user-balance","code":40102,"message":"INVALID_NONCE"}""").Error!));
        Assert.IsType<RateLimitedError>(Unwrap(Fixtures.CryptoCom("rest_public_get-book.error_429"), 429).Error);
        Assert.True(adapter.IsThrottled(200, Encoding.UTF8.GetBytes(Fixtures.CryptoCom("rest_public_get-book.error_429"))));
        Assert.Equal(new ApiError("204", "DUPLICATE_CLORDID", 200), Unwrap("""{"id":1,"method":"private/create-order","code":204,"message":"DUPLICATE_CLORDID"}""").Error);
        Assert.IsType<ProtocolError>(Unwrap("<html>gateway</html>").Error);
        Assert.True(Unwrap("""{"id":1,"method":"private/cancel-order","code":0}""").IsSuccess);
    }

    [Fact]
    public void A_private_call_is_a_signed_json_body_with_a_fresh_id_and_the_nonce()
    {
        var request = CryptoComRestAdapter.Private("private/create-order", CryptoComVenue.Pools.Orders, json =>
        {
            json.WriteString("instrument_name", "BTCUSD-PERP");
            json.WriteString("side", "SELL");
            json.WriteString("type", "LIMIT");
            json.WriteString("price", "50000.5");
            json.WriteString("quantity", "1");
        });
        var adapter = Adapter();

        var wire = adapter.Prepare(request, 1_610_905_028_000);

        Assert.Equal("/exchange/v1/private/create-order", wire.PathAndQuery);
        using var body = JsonDocument.Parse(wire.Body!);
        var root = body.RootElement;
        Assert.Equal((1L, "private/create-order", "api-key-1", 1_610_905_028_000L),
            (root.GetProperty("id").GetInt64(), root.GetProperty("method").GetString(), root.GetProperty("api_key").GetString(), root.GetProperty("nonce").GetInt64()));
        Assert.Equal(CryptoComSigner.Sign(_credentials, "private/create-order", 1, root.GetProperty("params"), 1_610_905_028_000), root.GetProperty("sig").GetString());
        Assert.Equal(ApiKeyAuth.HmacSha256Hex("secret-1", "private/create-order1api-key-1instrument_nameBTCUSD-PERPprice50000.5quantity1sideSELLtypeLIMIT1610905028000"),
            root.GetProperty("sig").GetString());
        Assert.Contains(root.GetProperty("sig").GetString(), wire.Secrets);
        Assert.Equal(2, JsonDocument.Parse(adapter.Prepare(request, 1_610_905_028_001).Body!).RootElement.GetProperty("id").GetInt64());

        var unsigned = new CryptoComRestAdapter(new Uri("https://api.crypto.com"));
        Assert.Contains("CRYPTOCOM_API_KEY", Assert.Throws<ExchangeException>(() => unsigned.Prepare(request, 1)).Error.Message);
    }

    [Fact]
    public void The_user_stream_logs_in_with_a_signed_auth_frame_and_subscribes_orders_with_their_fills()
    {
        var feed = new CryptoComFeedAdapter(MarketKind.Futures, new Uri("ws://127.0.0.1:9"), _credentials);
        Assert.Equal(TimeSpan.FromSeconds(1), feed.ReadyDelay);

        var login = feed.LoginFrame("1", DateTimeOffset.FromUnixTimeMilliseconds(1_587_846_358_253))!;
        var signature = CryptoComSigner.Sign(_credentials, "public/auth", 1, null, 1_587_846_358_253);
        Assert.Equal($$"""{"id":1,"method":"public/auth","api_key":"api-key-1","sig":"{{signature}}","nonce":1587846358253}""", login.Text);
        Assert.Contains(signature, login.Secrets);

        var ids = 1;
        var frames = feed.SubscriptionFrames([new Subscription(DataChannel.Orders, new Symbol("BTCUSD-PERP")), new Subscription(DataChannel.Balances, new Symbol("*"))], true, () => (++ids).ToString());
        var frame = Assert.Single(frames);
        var channels = JsonDocument.Parse(frame.Text).RootElement.GetProperty("params").GetProperty("channels").EnumerateArray().Select(c => c.GetString()!).ToArray();
        Assert.Equal(["user.order.BTCUSD-PERP", "user.trade.BTCUSD-PERP", "user.balance"], channels);
        Assert.Equal(2, frame.Subscriptions.Count);

        Assert.Equal("""{"id":1587523073344,"method":"public/respond-heartbeat"}""", feed.AnswerFrame(new ControlEvent(ControlKind.Ping, "1587523073344")));
    }

    [Fact]
    public void Market_data_books_ask_for_snapshots_and_updates_and_symbols_follow_the_market()
    {
        var spot = new CryptoComFeedAdapter(MarketKind.Spot, new Uri("ws://127.0.0.1:9"));
        Assert.Null(spot.LoginFrame("1", DateTimeOffset.UtcNow));

        var frames = spot.SubscriptionFrames([new Subscription(DataChannel.BookDelta, new Symbol("BTC_USDT"), "10"), new Subscription(DataChannel.Trades, new Symbol("BTC_USDT"))], true, () => "7");
        Assert.Equal(2, frames.Count);
        var book = JsonDocument.Parse(frames.Single(f => f.Text.Contains("book.", StringComparison.Ordinal)).Text).RootElement.GetProperty("params");
        Assert.Equal(("book.BTC_USDT.10", "SNAPSHOT_AND_UPDATE", 10), (book.GetProperty("channels")[0].GetString(), book.GetProperty("book_subscription_type").GetString(), book.GetProperty("book_update_frequency").GetInt32()));

        Assert.Throws<ExchangeException>(() => spot.SubscriptionFrames([new Subscription(DataChannel.Trades, new Symbol("BTCUSD-PERP"))], true, () => "8"));
        Assert.Throws<ExchangeException>(() => spot.SubscriptionFrames([new Subscription(DataChannel.BookDelta, new Symbol("BTC_USDT"), "25")], true, () => "9"));
        Assert.Throws<ExchangeException>(() => spot.SubscriptionFrames([new Subscription(DataChannel.Candles, new Symbol("BTC_USDT"), "1")], true, () => "9"));
    }
}
