using System.Text;
using System.Text.Json;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Market;
using ActorTrading.Exchanges.KuCoin;
using ActorTrading.Exchanges.KuCoin.Auth;
using ActorTrading.Exchanges.KuCoin.Rest;
using ActorTrading.TestExchange;
using Xunit;

namespace ActorTrading.Exchanges.Tests;

/// <summary>Answers each request path with a fixture's <c>data</c>, recording what was asked.</summary>
internal sealed class FixtureRest(Func<RestRequest, string> fixtureFor) : IRestExecutor
{
    public List<RestRequest> Requests { get; } = [];

    public Task<JsonElement> SendAsync(RestRequest request, CancellationToken cancellationToken)
    {
        Requests.Add(request);
        var outcome = new KuCoinRestAdapter(KuCoinVenue.FuturesRestBase).Unwrap(200, Encoding.UTF8.GetBytes(Fixtures.KuCoin(fixtureFor(request))), null);
        return outcome.IsSuccess ? Task.FromResult(outcome.Data) : throw new ExchangeException(outcome.Error!);
    }
}

/// <summary>Answers every request with the given <c>data</c> JSON.</summary>
internal sealed class InlineRest(string data) : IRestExecutor
{
    public RestRequest? Last { get; private set; }

    public Task<JsonElement> SendAsync(RestRequest request, CancellationToken cancellationToken)
    {
        Last = request;
        using var doc = JsonDocument.Parse(data);
        return Task.FromResult(doc.RootElement.Clone());
    }
}

public sealed class KuCoinRestSpecs
{
    [Fact]
    public void Official_sdk_vector_signs()
    {
        Assert.Equal("jie/gxS38wLFFaBwl/cAzFbAzlI8MIny96jSXrB+iP4=", KuCoinSigner.Sign("test_api_secret", "test_plain"));
    }

    [Fact]
    public void Derived_vectors_sign_passphrase_post_get_and_unencoded_query()
    {
        var credentials = new KuCoinCredentials("test_api_key", "test_api_secret", "test_passphrase");
        Assert.Equal("Ikr9KjwgA4urCb5Az1TNKgQELW10z84iOq+wsZsRRz0=", KuCoinSigner.SignPassphrase(credentials));
        const string body = """{"clientOid":"5c52e11203aa677f33e493fb","side":"buy","symbol":"XBTUSDTM","leverage":3,"type":"limit","remark":"order remarks","reduceOnly":false,"marginMode":"ISOLATED","price":"0.1","size":1,"timeInForce":"GTC"}""";
        Assert.Equal("n9aXyWbky2UdnS/XZHI6LXGvSm2LHnNMuIYGKa6955Y=", KuCoinSigner.Sign("test_api_secret", KuCoinSigner.Prehash(1234567890000, "post", "/api/v1/orders", body)));
        var get = RestRequest.Get("/api/v1/position", "futures", 2, ("symbol", "XBTUSDTM"));
        Assert.Equal("DuB20zCDYGO7CPcdb5ZPgnbzsyq4qKYubQxNNP6BipM=", KuCoinSigner.Sign("test_api_secret", KuCoinSigner.Prehash(1234567890000, "GET", get.UnencodedPathAndQuery, null)));
        var encoded = RestRequest.Get("/api/v1/sub/api-key", "management", 1, ("apiKey", "67b3"), ("subName", "test"), ("passphrase", "abc!@#11"));
        Assert.Equal("/api/v1/sub/api-key?apiKey=67b3&subName=test&passphrase=abc%21%40%2311", encoded.EncodedPathAndQuery);
        Assert.Equal("AhD0TuA7sQ1SJKr/283vgusEGyOVMKGKQAR7Tlj/JuM=", KuCoinSigner.Sign("test_api_secret", KuCoinSigner.Prehash(1234567890000, "GET", encoded.UnencodedPathAndQuery, null)));
    }

    [Fact]
    public void Credentials_never_show_their_secrets()
    {
        var credentials = new KuCoinCredentials("key-123456", "super-secret", "pass-phrase");
        Assert.DoesNotContain("super-secret", credentials.ToString());
        Assert.DoesNotContain("pass-phrase", credentials.ToString());
        Assert.DoesNotContain("123456", credentials.ToString());
    }

    [Theory]
    [InlineData(200, """{"code":"400003","msg":"KC-API-KEY not exists."}""", typeof(AuthenticationError), "KC-API-KEY not exists.")]
    [InlineData(429, """{"code":"429000","msg":"Too Many Requests"}""", typeof(RateLimitedError), "429000 Too Many Requests")]
    [InlineData(200, """{"code":"200002","msg":"Too many requests in a short period of time, please retry later"}""", typeof(RateLimitedError), "200002 Too many requests in a short period of time, please retry later")]
    [InlineData(400, """{"code":"100001","msg":"Invalid parameter"}""", typeof(ApiError), "Invalid parameter")]
    [InlineData(200, """{"data":1}""", typeof(ProtocolError), "response has no 'code' field")]
    [InlineData(200, "<html>", typeof(ProtocolError), "response body is not JSON")]
    [InlineData(200, """{"code":"200000","data":{"orderId":"1"}""", typeof(ProtocolError), "response body is not JSON")]   // cut short
    [InlineData(200, """{"code":"200000","data":{}} {"code":"200000"}""", typeof(ProtocolError), "response body is not JSON")]   // two documents
    [InlineData(502, "<html>bad gateway</html>", typeof(ApiError), "HTTP 502")]
    public void Envelope_errors_are_typed(int status, string body, Type errorType, string message)
    {
        var outcome = new KuCoinRestAdapter(KuCoinVenue.FuturesRestBase).Unwrap(status, Encoding.UTF8.GetBytes(body), null);
        Assert.False(outcome.IsSuccess);
        Assert.IsType(errorType, outcome.Error);
        Assert.Equal(message, outcome.Error!.Message);
        if (outcome.Error is ApiError api && status == 400)
        {
            Assert.Equal("100001", api.VenueCode);
        }
    }

    [Fact]
    public void Rate_limit_headers_are_read_in_milliseconds()
    {
        var headers = new Dictionary<string, string> { ["gw-ratelimit-limit"] = "2000", ["gw-ratelimit-remaining"] = "1997", ["gw-ratelimit-reset"] = "29990" };
        var adapter = new KuCoinRestAdapter(KuCoinVenue.FuturesRestBase);
        var observation = adapter.ObserveRateLimit("public", h => headers.GetValueOrDefault(h));
        Assert.Equal(new RateLimitObservation("public", 2000, 1997, TimeSpan.FromMilliseconds(29990)), observation);
        Assert.Equal(TimeSpan.FromMilliseconds(29990), adapter.RetryAfter(h => headers.GetValueOrDefault(h)));
    }

    [Fact]
    public async Task Ticker_and_snapshot_and_contract_decode_from_the_docs_examples()
    {
        var rest = new FixtureRest(r => r.Path switch
        {
            "/api/v1/ticker" => "futures_rest_GET_api_v1_ticker.response",
            "/api/v1/level2/snapshot" => "futures_rest_GET_api_v1_level2_snapshot.response",
            "/api/v1/contracts/XBTUSDTM" => "futures_rest_GET_api_v1_contracts_symbol.response",
            "/api/v1/mark-price/XBTUSDTM/current" => "futures_rest_GET_api_v1_mark-price_symbol_current.response",
            "/api/v1/funding-rate/XBTUSDTM/current" => "futures_rest_GET_api_v1_funding-rate_symbol_current.response",
            "/api/v1/kline/query" => "futures_rest_GET_api_v1_kline_query.response",
            "/api/v1/timestamp" => "futures_rest_GET_api_v1_timestamp.response",
            _ => throw new InvalidOperationException(r.Path),
        });
        var api = new KuCoinFuturesMarketData(rest);

        var ticker = await api.GetTickerAsync("XBTUSDM");
        Assert.Equal(new FuturesTicker("XBTUSDM", 1697895100310, Side.Sell, 2936m, "1697901180000", 67158.4m, 67169.6m, 32345m, 67169.7m, 7251m, 1729163001780), ticker);

        var snapshot = await api.GetLevel2SnapshotAsync("XBTUSDM");
        Assert.Equal(1697895963339L, snapshot.Sequence);
        Assert.Equal([new BookLevel(66968m, 2m), new BookLevel(66964.8m, 25596m)], snapshot.Bids.ToArray());
        Assert.Equal([new BookLevel(66968.1m, 13501m), new BookLevel(66968.7m, 2032m)], snapshot.Asks.ToArray());
        Assert.Equal(1729168101216L, snapshot.Ts);

        var contract = await api.GetContractAsync("XBTUSDTM");
        Assert.Equal(0.001m, contract.Multiplier);
        Assert.Equal(0.1m, contract.TickSize);
        Assert.False(contract.IsInverse);
        Assert.Equal(6748176m, contract.OpenInterest);
        Assert.Equal(".XBTUSDTMFPI8H", contract.FundingRateSymbol);
        Assert.Equal(28800000L, contract.FundingRateGranularity);

        var mark = await api.GetMarkPriceAsync("XBTUSDTM");
        Assert.Equal(new FuturesMarkPrice("XBTUSDTM", 1000, 1729254307000, 67687.08m, 67683.58m), mark);

        var funding = await api.GetCurrentFundingRateAsync("XBTUSDTM");
        Assert.Equal(new FuturesCurrentFundingRate(".XBTUSDTMFPI8H", 28800000, 1748462400000, 0.000061m, 0.000109m, 0.003m, -0.003m, 0, 1748491200000), funding);

        var klines = await api.GetKlinesAsync("XBTUSDTM", 480, 1728552342000, 1729243542000);
        Assert.Equal(3, klines.Count);
        Assert.Equal(new FuturesKline(1728576000000, 60791.1m, 61035m, 58940m, 60300m, 5501167m), klines[0]);
        Assert.Equal("/api/v1/kline/query?symbol=XBTUSDTM&granularity=480&from=1728552342000&to=1729243542000", rest.Requests[^1].UnencodedPathAndQuery);

        Assert.Equal(1729260030774L, await api.GetServerTimeAsync());
    }

    [Fact]
    public async Task Funding_history_uses_the_public_endpoint_and_decodes_each_settlement()
    {
        var rest = new InlineRest("""[{"symbol":"XBTUSDTM","fundingRate":0.000105,"timepoint":1705982400000},{"symbol":"XBTUSDTM","fundingRate":-2.1e-05,"timepoint":1705953600000}]""");
        var history = await new KuCoinFuturesMarketData(rest).GetFundingHistoryAsync("XBTUSDTM", 1705900000000, 1706000000000);
        Assert.Equal(
            [new FuturesFundingHistoryEntry("XBTUSDTM", 0.000105m, 1705982400000), new FuturesFundingHistoryEntry("XBTUSDTM", -0.000021m, 1705953600000)],
            history);
        Assert.Equal("/api/v1/contract/funding-rates?symbol=XBTUSDTM&from=1705900000000&to=1706000000000", rest.Last!.UnencodedPathAndQuery);
        Assert.Equal((KuCoinVenue.Pools.Public, 5, false), (rest.Last.Pool, rest.Last.Weight, rest.Last.Signed));
    }

    [Fact]
    public async Task Active_contracts_decode_every_contract()
    {
        using var one = JsonDocument.Parse(Fixtures.KuCoin("futures_rest_GET_api_v1_contracts_symbol.response"));
        var contract = one.RootElement.GetProperty("data").GetRawText();
        var inverse = contract.Replace("\"XBTUSDTM\"", "\"XBTUSDM\"", StringComparison.Ordinal).Replace("\"isInverse\": false", "\"isInverse\": true", StringComparison.Ordinal);
        var rest = new InlineRest($"[{contract},{inverse}]");
        var contracts = await new KuCoinFuturesMarketData(rest).GetActiveContractsAsync();
        Assert.Equal(["XBTUSDTM", "XBTUSDM"], contracts.Select(c => c.Symbol));
        Assert.Equal([false, true], contracts.Select(c => c.IsInverse));
        Assert.Equal("/api/v1/contracts/active", rest.Last!.Path);
    }

    [Fact]
    public async Task A_response_missing_a_field_is_a_protocol_error_naming_it()
    {
        var rest = new InlineRest("""{"symbol":"XBTUSDTM","granularity":1000,"timePoint":1729254307000,"value":67687.08}""");
        var e = await Assert.ThrowsAsync<ExchangeException>(() => new KuCoinFuturesMarketData(rest).GetMarkPriceAsync("XBTUSDTM"));
        Assert.Equal("unexpected KuCoin response: missing field 'indexPrice'", Assert.IsType<ProtocolError>(e.Error).Message);
    }

    [Fact]
    public async Task Extended_klines_walk_the_range_in_500_row_windows()
    {
        var rest = new FixtureRest(_ => "futures_rest_GET_api_v1_kline_query.response");
        var api = new KuCoinFuturesMarketData(rest);
        const long from = 1728576000000;
        var to = from + (1200L * 60_000);
        var rows = await api.GetKlinesExtendedAsync("XBTUSDTM", 1, from, to);
        Assert.Equal(3, rest.Requests.Count);
        Assert.Equal("/api/v1/kline/query?symbol=XBTUSDTM&granularity=1&from=1728576000000&to=1728606000000", rest.Requests[0].UnencodedPathAndQuery);
        Assert.Equal("/api/v1/kline/query?symbol=XBTUSDTM&granularity=1&from=1728636000000&to=1728648000000", rest.Requests[2].UnencodedPathAndQuery);
        Assert.Equal([1728576000000L, 1728604800000L, 1728633600000L], rows.Select(r => r.Time).ToArray());
    }

    [Fact]
    public void Calc_contracts_for_linear_and_inverse()
    {
        var linear = Contract(multiplier: 0.001m, inverse: false, lot: 1m);
        Assert.Equal(11m, ContractMath.CalcContracts(linear, notional: 1000m, price: 86378.69m));
        var inverse = Contract(multiplier: -1m, inverse: true, lot: 1m);
        Assert.Equal(1000m, ContractMath.CalcContracts(inverse, notional: 1000.7m, price: 86378.69m));
        Assert.Throws<ExchangeException>(() => ContractMath.CalcContracts(linear, 0m, 1m));
    }

    [Fact]
    public async Task Granularity_outside_the_docs_list_is_rejected_before_any_request()
    {
        var rest = new FixtureRest(_ => throw new InvalidOperationException());
        var e = await Assert.ThrowsAsync<ExchangeException>(() => new KuCoinFuturesMarketData(rest).GetKlinesAsync("XBTUSDTM", 7));
        Assert.IsType<ConfigurationError>(e.Error);
        Assert.Empty(rest.Requests);
    }

    private static FuturesContract Contract(decimal multiplier, bool inverse, decimal lot) => new(
        "X", "USDT", "FFWCSX", null, null, null, "XBT", "USDT", "USDT", 1_000_000m, 1_000_000m, lot, 0.1m, 0.01m, multiplier,
        0.008m, 0.004m, 0m, 0m, 0m, 0.0002m, 0.0006m, 0m, 0m, true, true, inverse, "FairPrice", null, null, null, "Open",
        null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
}
