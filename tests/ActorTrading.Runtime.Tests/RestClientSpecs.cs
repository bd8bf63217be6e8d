using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Exchanges.KuCoin;
using ActorTrading.Exchanges.KuCoin.Rest;
using ActorTrading.Runtime.Rest;
using ActorTrading.TestExchange;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using Xunit;

namespace ActorTrading.Runtime.Tests;

public sealed class RestClientSpecs : IDisposable
{
    private static readonly RestRequest Ticker = RestRequest.Get("/api/v1/ticker", KuCoinVenue.Pools.Public, 2, ("symbol", "XBTUSDTM"));
    private readonly FakeKuCoinRest _venue = new();
    private readonly HttpClient _http = new();

    private RestClient Client(TimeSpan? attemptTimeout = null) => new(_http, new KuCoinRestAdapter(_venue.BaseUri), new RestClientOptions
    {
        BaseDelay = TimeSpan.FromMilliseconds(20),
        MaxDelay = TimeSpan.FromMilliseconds(100),
        AttemptTimeout = attemptTimeout ?? TimeSpan.FromSeconds(5),
    });

    private void Sequence(params (int Status, string Body, string? ResetMs)[] responses)
    {
        for (var i = 0; i < responses.Length; i++)
        {
            var (status, body, reset) = responses[i];
            var response = Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body);
            if (reset is not null)
            {
                response = response.WithHeader("gw-ratelimit-reset", reset);
            }

            var request = _venue.Server.Given(Request.Create().WithPath("/api/v1/ticker")).InScenario("seq");
            request = i == 0 ? request.WhenStateIs(null!) : request.WhenStateIs(i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            request.WillSetStateTo((i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)).RespondWith(response);
        }
    }

    private int Calls => _venue.Server.LogEntries.Count(e => e.RequestMessage.Path == "/api/v1/ticker");

    [Fact]
    public async Task Success_unwraps_the_data()
    {
        _venue.ServeJson("/api/v1/ticker", Fixtures.KuCoin("futures_rest_GET_api_v1_ticker.response"));
        var ticker = await new KuCoinFuturesMarketData(Client()).GetTickerAsync("XBTUSDM");
        Assert.Equal(67158.4m, ticker.Price);
        Assert.Equal("/api/v1/ticker?symbol=XBTUSDM", _venue.Server.LogEntries.Single().RequestMessage.Url[_venue.BaseUri.ToString().TrimEnd('/').Length..]);
    }

    [Fact]
    public async Task Envelope_error_codes_become_typed_errors_without_retry()
    {
        _venue.ServeJson("/api/v1/ticker", """{"code":"100001","msg":"Unsupported symbol"}""", status: 400);
        var e = await Assert.ThrowsAsync<ExchangeException>(() => Client().SendAsync(Ticker, default));
        var api = Assert.IsType<ApiError>(e.Error);
        Assert.Equal("100001", api.VenueCode);
        Assert.Equal("Unsupported symbol", api.Message);
        Assert.Equal(400, api.HttpStatus);
        Assert.Equal(1, Calls);
    }

    [Fact]
    public async Task Http_200_with_error_code_is_an_api_error()
    {
        _venue.ServeJson("/api/v1/ticker", """{"code":"300000","msg":"Order does not exist"}""");
        var e = await Assert.ThrowsAsync<ExchangeException>(() => Client().SendAsync(Ticker, default));
        Assert.Equal("300000", Assert.IsType<ApiError>(e.Error).VenueCode);
    }

    [Fact]
    public async Task Http_429_waits_exactly_the_reset_window_then_succeeds()
    {
        Sequence(
            (429, """{"code":"429000","msg":"Too Many Requests"}""", "400"),
            (200, Fixtures.KuCoin("futures_rest_GET_api_v1_ticker.response"), null));
        var data = await Client().SendAsync(Ticker, default);
        Assert.Equal("67158.4", data.GetProperty("price").GetString());
        var times = _venue.Server.LogEntries.Select(e => e.RequestMessage.DateTime).OrderBy(t => t).ToArray();
        Assert.Equal(2, times.Length);
        Assert.InRange((times[1] - times[0]).TotalMilliseconds, 390, 1500);
    }

    [Fact]
    public async Task Server_errors_are_retried_then_reported_typed()
    {
        _venue.ServeJson("/api/v1/ticker", "<html>bad gateway</html>", status: 502);
        var e = await Assert.ThrowsAsync<ExchangeException>(() => Client().SendAsync(Ticker, default));
        Assert.Equal("http-502", Assert.IsType<ApiError>(e.Error).VenueCode);
        Assert.Equal(4, Calls);
    }

    [Fact]
    public async Task A_transient_server_error_is_retried_to_success()
    {
        Sequence((503, "{}", null), (500, "{}", null), (200, Fixtures.KuCoin("futures_rest_GET_api_v1_ticker.response"), null));
        var data = await Client().SendAsync(Ticker, default);
        Assert.Equal(1697895100310L, data.GetProperty("sequence").GetInt64());
        Assert.Equal(3, Calls);
    }

    [Fact]
    public async Task Slow_responses_time_out_typed_after_retries()
    {
        _venue.Server.Given(Request.Create().WithPath("/api/v1/ticker"))
            .RespondWith(Response.Create().WithDelay(TimeSpan.FromMilliseconds(600)).WithBody("{}"));
        var e = await Assert.ThrowsAsync<ExchangeException>(() => Client(TimeSpan.FromMilliseconds(100)).SendAsync(Ticker, default));
        var network = Assert.IsType<NetworkError>(e.Error);
        Assert.True(network.IsTimeout);
        Assert.Equal("timeout", network.Code);
    }

    [Fact]
    public async Task An_order_post_that_times_out_is_never_sent_twice()
    {
        // A second POST after a timeout could place a second order: report the doubt instead.
        _venue.Server.Given(Request.Create().WithPath("/api/v1/orders").UsingPost())
            .RespondWith(Response.Create().WithDelay(TimeSpan.FromMilliseconds(600)).WithBody("{}"));
        var post = new RestRequest(HttpMethod.Post, "/api/v1/orders", [], """{"clientOid":"c"}""", KuCoinVenue.Pools.Futures, 2);
        var e = await Assert.ThrowsAsync<ExchangeException>(() => Client(TimeSpan.FromMilliseconds(100)).SendAsync(post, default));
        Assert.True(Assert.IsType<NetworkError>(e.Error).IsTimeout);
        await Task.Delay(700);
        Assert.Single(_venue.Server.LogEntries);
    }

    [Fact]
    public async Task An_order_post_answered_by_a_server_error_is_not_repeated()
    {
        _venue.Server.Given(Request.Create().WithPath("/api/v1/orders").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(502).WithBody("<html>bad gateway</html>"));
        var post = new RestRequest(HttpMethod.Post, "/api/v1/orders", [], """{"clientOid":"c"}""", KuCoinVenue.Pools.Futures, 2);
        var e = await Assert.ThrowsAsync<ExchangeException>(() => Client().SendAsync(post, default));
        Assert.Equal("http-502", Assert.IsType<ApiError>(e.Error).VenueCode);
        Assert.Single(_venue.Server.LogEntries);
    }

    [Fact]
    public async Task A_long_answer_is_read_whole_with_its_length_without_it_and_not_past_the_limit()
    {
        var items = string.Join(",", Enumerable.Range(0, 5000).Select(i => $$"""{"symbol":"S{{i}}","lot":{{i}}}"""));
        _venue.ServeJson("/api/v1/ticker", $$"""{"code":"200000","data":[{{items}}]}""");
        void AssertWhole(System.Text.Json.JsonElement data)
        {
            Assert.Equal(5000, data.GetArrayLength());
            Assert.Equal("S4999", data[4999].GetProperty("symbol").GetString());
            Assert.Equal(4999, data[4999].GetProperty("lot").GetInt32());
        }

        AssertWhole(await Client().SendAsync(Ticker, default));   // Content-Length given: one array of its size

        // A body of unknown length (chunked, or decompressed) is read through pooled buffers that grow.
        using var unknownLength = new HttpClient(new WithoutLength(new HttpClientHandler()));
        AssertWhole(await new RestClient(unknownLength, new KuCoinRestAdapter(_venue.BaseUri)).SendAsync(Ticker, default));

        using var small = new HttpClient { MaxResponseContentBufferSize = 10_000 };
        var e = await Assert.ThrowsAsync<ExchangeException>(() => new RestClient(small, new KuCoinRestAdapter(_venue.BaseUri), new RestClientOptions { MaxRetries = 1, BaseDelay = TimeSpan.FromMilliseconds(10) })
            .SendAsync(Ticker, default));
        Assert.Contains("over the 10000-byte limit", Assert.IsType<NetworkError>(e.Error).Message);
    }

    [Fact]
    public async Task Unreachable_host_is_a_network_error()
    {
        var port = _venue.Server.Port;
        _venue.Dispose();
        var client = new RestClient(_http, new KuCoinRestAdapter(new Uri($"http://127.0.0.1:{port}")), new RestClientOptions { MaxRetries = 1, BaseDelay = TimeSpan.FromMilliseconds(10) });
        var e = await Assert.ThrowsAsync<ExchangeException>(() => client.SendAsync(Ticker, default));
        Assert.IsType<NetworkError>(e.Error);
    }

    [Fact]
    public async Task Signed_request_without_credentials_is_an_authentication_error_naming_the_variables()
    {
        var signed = Ticker with { Signed = true };
        var e = await Assert.ThrowsAsync<ExchangeException>(() => Client().SendAsync(signed, default));
        Assert.Contains("KC_KEY", Assert.IsType<AuthenticationError>(e.Error).Message);
        Assert.Equal(0, Calls);
    }

    public void Dispose()
    {
        _venue.Dispose();
        _http.Dispose();
    }

    /// <summary>Passes the venue's answer on as a stream of unknown length, as a chunked or decompressed answer comes.</summary>
    private sealed class WithoutLength(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            response.Content = new StreamContent(await response.Content.ReadAsStreamAsync(cancellationToken));
            Assert.Null(response.Content.Headers.ContentLength);
            return response;
        }
    }
}
