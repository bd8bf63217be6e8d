using System.Text;
using System.Text.Json;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Exchanges.Binance;
using ActorTrading.Exchanges.Binance.Auth;
using ActorTrading.Exchanges.Binance.Rest;
using ActorTrading.TestExchange;
using Xunit;

namespace ActorTrading.Exchanges.Tests;

public sealed class BinanceRestSpecs
{
    // The example key pair of rest-api.md "SIGNED Endpoint Examples for POST /api/v3/order".
    private const string ApiKey = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A";
    private const string Secret = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";

    private static readonly BinanceCredentials Credentials = new(ApiKey, Secret);

    [Theory]
    [InlineData("symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559",
        "c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71")]
    [InlineData("symbol=%EF%BC%91%EF%BC%92%EF%BC%93%EF%BC%94%EF%BC%95%EF%BC%96&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559",
        "e1353ec6b14d888f1164ae9af8228a3dbd508bc82eb867db8ab6046442f33ef3")]
    [InlineData("symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTCquantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559",
        "0fd168b8ddb4876a0358a8d14d0c9f3da0e9b20c5d52b2a00fcf7d1c602f9a77")]
    public void The_documented_rest_signatures_are_reproduced(string payload, string expected) =>
        Assert.Equal(expected, BinanceSigner.Sign(Secret, payload));

    [Theory]
    [InlineData("apiKey=vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A&price=52000.00&quantity=0.01000000&recvWindow=100&side=SELL&symbol=BTCUSDT&timeInForce=GTC&timestamp=1645423376532&type=LIMIT",
        "aa1b5712c094bc4e57c05a1a5c1fd8d88dcd628338ea863fec7b88e59fe2db24")]
    [InlineData("apiKey=vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A&price=0.10000000&quantity=1.00000000&recvWindow=5000&side=BUY&symbol=１２３４５６&timeInForce=GTC&timestamp=1645423376532&type=LIMIT",
        "b33892ae8e687c939f4468c6268ddd4c40ac1af18ad19a064864c47bae0752cd")]
    public void The_documented_websocket_api_signatures_are_reproduced(string payload, string expected) =>
        Assert.Equal(expected, BinanceSigner.Sign(Secret, payload));

    [Fact]
    public void A_signed_request_is_rewritten_to_the_percent_encoded_query_with_timing_and_its_signature()
    {
        var adapter = new BinanceRestAdapter(MarketKind.Spot, BinanceVenue.SpotRestBase, Credentials);
        var request = new RestRequest(HttpMethod.Post, "/api/v3/order",
            RestRequest.BuildQuery([("symbol", "１２３４５６"), ("side", "BUY"), ("type", "LIMIT"), ("timeInForce", "GTC"), ("quantity", "1"), ("price", "0.1")]),
            null, BinanceVenue.Pools.Orders, 1, Signed: true);

        var wire = adapter.Prepare(request, 1499827319559);

        // The docs' non-ASCII example, byte for byte: signed after percent-encoding (since 2026-01-15).
        Assert.Equal(
            "/api/v3/order?symbol=%EF%BC%91%EF%BC%92%EF%BC%93%EF%BC%94%EF%BC%95%EF%BC%96&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559"
            + "&signature=e1353ec6b14d888f1164ae9af8228a3dbd508bc82eb867db8ab6046442f33ef3",
            wire.PathAndQuery);
        Assert.Null(wire.Body);
        Assert.Equal([KeyValuePair.Create("X-MBX-APIKEY", ApiKey)], wire.Headers);
        Assert.Contains(ApiKey, wire.Secrets);
        Assert.Contains("e1353ec6b14d888f1164ae9af8228a3dbd508bc82eb867db8ab6046442f33ef3", wire.Secrets);
        Assert.DoesNotContain(Secret, wire.PathAndQuery);
    }

    [Fact]
    public void Unsigned_requests_go_as_they_are_and_the_listen_key_carries_the_key_alone()
    {
        var adapter = new BinanceRestAdapter(MarketKind.Futures, BinanceVenue.FuturesRestBase, Credentials);
        var plain = adapter.Prepare(RestRequest.Get("/fapi/v1/depth", BinanceVenue.Pools.Weight, 20, ("symbol", "BTCUSDT"), ("limit", "1000")), 1);
        Assert.Equal("/fapi/v1/depth?symbol=BTCUSDT&limit=1000", plain.PathAndQuery);
        Assert.Empty(plain.Headers);

        var listenKey = adapter.Prepare(Binance.Ws.BinanceUserDataAdapter.CreateListenKey, 1);
        Assert.Equal("/fapi/v1/listenKey", listenKey.PathAndQuery);
        Assert.Equal([KeyValuePair.Create("X-MBX-APIKEY", ApiKey)], listenKey.Headers);
    }

    [Fact]
    public void Without_credentials_a_signed_request_names_the_variables_to_set()
    {
        var adapter = new BinanceRestAdapter(MarketKind.Spot, BinanceVenue.SpotRestBase);
        var error = Assert.Throws<ExchangeException>(() => adapter.Prepare(new RestRequest(HttpMethod.Get, "/api/v3/account", [], null, "weight", 20, Signed: true), 1));
        Assert.IsType<AuthenticationError>(error.Error);
        Assert.Contains("BINANCE_API_KEY", error.Error.Message);

        var missing = Assert.Throws<ExchangeException>(() => BinanceCredentials.FromEnvironment(name => name == "BINANCE_API_KEY" ? "k" : null));
        Assert.Equal("configuration", missing.Error.Code);
        Assert.Contains("BINANCE_API_SECRET", missing.Error.Message);
        Assert.DoesNotContain("BINANCE_API_KEY,", missing.Error.Message);
        Assert.Equal("BinanceCredentials(key=vmPU****)", Credentials.ToString());
    }

    [Theory]
    [InlineData(400, """{"code":-1121,"msg":"Invalid symbol."}""", typeof(ApiError), "-1121")]
    [InlineData(400, """{"code":-2010,"msg":"Account has insufficient balance for requested action."}""", typeof(ApiError), "-2010")]
    [InlineData(401, """{"code":-2015,"msg":"Invalid API-key, IP, or permissions for action."}""", typeof(AuthenticationError), "-2015")]
    [InlineData(400, """{"code":-1022,"msg":"Signature for this request is not valid."}""", typeof(AuthenticationError), "-1022")]
    [InlineData(400, """{"code":-1021,"msg":"Timestamp for this request is outside of the recvWindow."}""", typeof(AuthenticationError), "-1021")]
    [InlineData(429, """{"code":-1003,"msg":"Too many requests."}""", typeof(RateLimitedError), null)]
    [InlineData(418, """{"code":-1003,"msg":"Way too much request weight used; IP banned until 1659146400000."}""", typeof(IpBannedError), null)]
    [InlineData(403, "<html>forbidden</html>", typeof(ApiError), "waf")]
    [InlineData(502, "Bad Gateway", typeof(ApiError), "http-502")]
    public void Error_answers_become_typed_errors(int status, string body, Type expected, string? venueCode)
    {
        var outcome = new BinanceRestAdapter(MarketKind.Spot, BinanceVenue.SpotRestBase).Unwrap(status, Encoding.UTF8.GetBytes(body), TimeSpan.FromSeconds(7));
        Assert.False(outcome.IsSuccess);
        Assert.IsType(expected, outcome.Error);
        switch (outcome.Error)
        {
            case ApiError api:
                Assert.Equal(venueCode, api.VenueCode);
                Assert.Equal(status, api.HttpStatus);
                break;
            case AuthenticationError auth:
                Assert.Equal(venueCode, auth.VenueCode);
                break;
            case RateLimitedError limited:
                Assert.Equal(TimeSpan.FromSeconds(7), limited.RetryAfter);
                break;
            case IpBannedError banned:
                Assert.Equal(TimeSpan.FromSeconds(7), banned.RetryAfter);
                break;
        }
    }

    [Fact]
    public void Timestamp_refusal_is_clock_skew_and_success_needs_json()
    {
        var adapter = new BinanceRestAdapter(MarketKind.Futures, BinanceVenue.FuturesRestBase);
        Assert.True(adapter.IsClockSkew(new AuthenticationError("outside recvWindow", "-1021")));
        Assert.False(adapter.IsClockSkew(new AuthenticationError("bad key", "-2015")));
        Assert.IsType<ProtocolError>(adapter.Unwrap(200, "not json"u8, null).Error);
        var ok = adapter.Unwrap(200, """{"serverTime":1499827319559}"""u8, null);
        Assert.Equal(1499827319559, adapter.ParseServerTime(ok.Data));
        Assert.Equal("/fapi/v1/time", adapter.ServerTimeRequest.Path);
    }

    [Fact]
    public void Weight_and_order_count_headers_are_observed_per_window_and_418_is_a_ban_for_its_retry_after()
    {
        var adapter = new BinanceRestAdapter(MarketKind.Spot, BinanceVenue.SpotRestBase);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["X-MBX-USED-WEIGHT-1M"] = "1200",
            ["X-MBX-ORDER-COUNT-10S"] = "3",
            ["X-MBX-ORDER-COUNT-1D"] = "57",
            ["Retry-After"] = "120",
        };
        var observations = adapter.ObserveRateLimits("orders", h => headers.GetValueOrDefault(h));
        Assert.Equal(
            [
                new RateLimitObservation("weight", null, null, null, 1200, TimeSpan.FromMinutes(1)),
                new RateLimitObservation("orders", null, null, null, 3, TimeSpan.FromSeconds(10)),
                new RateLimitObservation("orders", null, null, null, 57, TimeSpan.FromDays(1)),
            ],
            observations);
        Assert.Equal(TimeSpan.FromSeconds(120), adapter.BanDuration(418, h => headers.GetValueOrDefault(h)));
        Assert.Equal(BinanceRestAdapter.MinimumBan, adapter.BanDuration(418, _ => null));
        Assert.Null(adapter.BanDuration(429, h => headers.GetValueOrDefault(h)));
    }

    [Fact]
    public async Task Depth_snapshot_reads_the_documented_body_as_a_snapshot_at_lastUpdateId()
    {
        var rest = new InlineRest(Fixtures.Binance("spot_rest_GET_api_v3_depth.response"));
        var book = await new BinanceMarketData(rest, MarketKind.Spot).GetOrderBookAsync("BNBBTC", 1000, receivedTs: 77);
        Assert.Equal("/api/v3/depth?symbol=BNBBTC&limit=1000", rest.Last!.EncodedPathAndQuery);
        Assert.Equal(50, rest.Last.Weight);
        Assert.Equal(BookUpdateKind.Snapshot, book.Kind);
        Assert.Equal(1027024L, book.LastSequence);
        Assert.Equal([new BookLevel(4.00000000m, 431.00000000m)], book.Bids.ToArray());
        Assert.Equal([new BookLevel(4.00000200m, 12.00000000m)], book.Asks.ToArray());
        Assert.Equal(77L, book.ExchangeTs);

        var module = new BinanceModule(MarketKind.Spot);
        var fromBody = module.ParseSnapshotBody(Encoding.UTF8.GetBytes(Fixtures.Binance("spot_rest_GET_api_v3_depth.response")), new Symbol("BNBBTC"), 77);
        Assert.Equal(book.Bids.ToArray(), fromBody.Bids.ToArray());
        var error = Assert.Throws<ExchangeException>(() => module.ParseSnapshotBody(Encoding.UTF8.GetBytes(Fixtures.Binance("rest_error_generic")), new Symbol("X"), 1));
        Assert.Equal("-1121", Assert.IsType<ApiError>(error.Error).VenueCode);
    }

    [Fact]
    public async Task Klines_and_premium_index_read_the_documented_answers()
    {
        var klines = await new BinanceMarketData(new InlineRest(Fixtures.Binance("spot_rest_GET_api_v3_klines.response")), MarketKind.Spot).GetKlinesAsync("LTCBTC", "1d");
        var k = Assert.Single(klines);
        Assert.Equal(1499040000000L, k.OpenTime);
        Assert.Equal((0.01634790m, 0.80000000m, 0.01575800m, 0.01577100m), (k.Open, k.High, k.Low, k.Close));
        Assert.Equal(308L, k.Trades);

        var premium = await new BinanceMarketData(new InlineRest(Fixtures.Binance("futures_rest_GET_fapi_v1_premiumIndex.response")), MarketKind.Futures).GetPremiumIndexAsync("BTCUSDT");
        Assert.Equal(11793.63104562m, premium.MarkPrice);
        Assert.Equal(0.00038246m, premium.LastFundingRate);
        Assert.Equal(1597392000000L, premium.NextFundingTime);

        var wrongMarket = await Assert.ThrowsAsync<ExchangeException>(() => new BinanceMarketData(new InlineRest("{}"), MarketKind.Spot).GetPremiumIndexAsync("BTCUSDT"));
        Assert.Contains("--market futures", wrongMarket.Error.Message);
        var badInterval = await Assert.ThrowsAsync<ExchangeException>(() => new BinanceMarketData(new InlineRest("[]"), MarketKind.Futures).GetKlinesAsync("BTCUSDT", "1s"));
        Assert.Contains("kline interval '1s'", badInterval.Error.Message);
    }

    [Fact]
    public async Task A_premium_index_without_its_mark_price_is_an_error_not_a_zero()
    {
        var error = await Assert.ThrowsAsync<ExchangeException>(() => new BinanceMarketData(
            new InlineRest("""{"symbol":"BTCUSDT","indexPrice":"1","nextFundingTime":1,"time":2}"""), MarketKind.Futures).GetPremiumIndexAsync("BTCUSDT"));
        Assert.IsType<ProtocolError>(error.Error);
        Assert.Contains("premiumIndex", error.Error.Message);
    }

    [Fact]
    public void Exchange_info_gives_each_symbols_tick_lot_and_notional_rules()
    {
        const string body = """
            {"timezone":"UTC","serverTime":1,"rateLimits":[],"symbols":[
              {"symbol":"BTCUSDT","status":"TRADING","baseAsset":"BTC","quoteAsset":"USDT","filters":[
                {"filterType":"PRICE_FILTER","minPrice":"0.01000000","maxPrice":"1000000.00000000","tickSize":"0.01000000"},
                {"filterType":"LOT_SIZE","minQty":"0.00001000","maxQty":"9000.00000000","stepSize":"0.00001000"},
                {"filterType":"NOTIONAL","minNotional":"5.00000000","applyMinToMarket":true,"maxNotional":"9000000.00000000"}]},
              {"symbol":"ETHUSDT","contractStatus":"TRADING","contractType":"PERPETUAL","baseAsset":"ETH","quoteAsset":"USDT","pricePrecision":2,"quantityPrecision":3,"filters":[
                {"filterType":"PRICE_FILTER","minPrice":"39.86","maxPrice":"306177","tickSize":"0.01"},
                {"filterType":"LOT_SIZE","minQty":"0.001","maxQty":"10000","stepSize":"0.001"},
                {"filterType":"MIN_NOTIONAL","notional":"20"}]}]}
            """;
        var instruments = BinanceMarketData.ParseExchangeInfo(JsonDocument.Parse(body).RootElement);
        Assert.Equal(
            new BinanceInstrument("BTCUSDT", "TRADING", "BTC", "USDT", 0.01m, 0.01m, 1000000m, 0.00001m, 0.00001m, 9000m, 5m, null, null, null),
            instruments[0]);
        Assert.Equal(20m, instruments[1].MinNotional);
        Assert.Equal(3, instruments[1].QuantityPrecision);
        Assert.Equal("PERPETUAL", instruments[1].ContractType);
        Assert.True(instruments[1].IsTrading);
    }
}
