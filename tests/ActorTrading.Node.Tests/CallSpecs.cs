using System.CommandLine;
using System.Text.Json;
using ActorTrading.Node.Cli;
using ActorTrading.TestExchange;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using Xunit;

namespace ActorTrading.Node.Tests;

public sealed class CallSpecs : IDisposable
{
    private readonly FakeKuCoinRest _venue = new();

    private (int Exit, string Output) Call(params string[] args)
    {
        var credentials = new Dictionary<string, string?> { ["KC_KEY"] = "key", ["KC_SECRET"] = "secret", ["KC_PASSPHRASE"] = "pass" };
        var environment = new CliEnvironment(credentials.GetValueOrDefault, new Dictionary<string, string?>
        {
            ["Venues:0:RestBaseUrl"] = _venue.BaseUri.ToString(),
            ["Venues:1:Venue"] = "kucoin",
            ["Venues:1:Market"] = "spot",
            ["Venues:1:Enabled"] = "false",
            ["Venues:1:RestBaseUrl"] = _venue.BaseUri.ToString(),
        });
        return Cli.Run(environment, ["call", "kucoin", .. args]);
    }

    [Fact]
    public void Public_operation_prints_the_typed_result_with_decimal_strings()
    {
        _venue.ServeJson("/api/v1/ticker", Fixtures.KuCoin("futures_rest_GET_api_v1_ticker.response"));
        var (exit, output) = Call("get-ticker", "--param", "symbol=XBTUSDM");
        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(output);
        Assert.Equal("67158.4", json.RootElement.GetProperty("price").GetString());
        Assert.Equal("67169.7", json.RootElement.GetProperty("bestAskPrice").GetString());
        Assert.Equal("sell", json.RootElement.GetProperty("side").GetString());
        Assert.Equal(1729163001780L, json.RootElement.GetProperty("ts").GetInt64());
        Assert.Equal("/api/v1/ticker", Assert.Single(_venue.Server.LogEntries).RequestMessage.Path);
    }

    [Fact]
    public void The_unified_operations_speak_kucoins_endpoints_with_the_common_names_and_parameters()
    {
        _venue.Server.Given(Request.Create().WithPath("/api/v1/orders").UsingPost())
            .RespondWith(Response.Create().WithBody("""{"code":"200000","data":{"orderId":"78","clientOid":"unified-1"}}"""));
        var (exit, _) = Call("place-order", "--param", "symbol=XBTUSDTM", "--param", "side=sell", "--param", "price=60000.5", "--param", "size=2",
            "--param", "clientOrderId=unified-1");
        Assert.Equal(0, exit);
        Assert.Contains("\"clientOid\":\"unified-1\"", Assert.Single(_venue.Server.LogEntries).RequestMessage.Body, StringComparison.Ordinal);

        _venue.Server.ResetLogEntries();
        _venue.ServeJson("/api/v1/kline/query", """{"code":"200000","data":[[1700000000000,60000,60010,59990,60005,120]]}""");
        (exit, _) = Call("get-klines", "--param", "symbol=XBTUSDTM", "--param", "interval=4h", "--param", "startTime=1700000000000");
        Assert.Equal(0, exit);
        Assert.Equal("?symbol=XBTUSDTM&granularity=240&from=1700000000000", Assert.Single(_venue.Server.LogEntries).RequestMessage.RawQuery);

        _venue.Server.ResetLogEntries();
        _venue.ServeJson("/api/v1/accounts", Fixtures.KuCoin("spot_rest_GET_api_v1_accounts.response"));
        var (spotExit, balances) = Call("get-balances", "--market", "spot", "--param", "currency=USDT");
        Assert.Equal(0, spotExit);
        var rows = JsonDocument.Parse(balances).RootElement.EnumerateArray().ToArray();
        Assert.Equal(("trade", "26.66759503", "0"), (rows[0].GetProperty("type").GetString(), rows[0].GetProperty("available").GetString(), rows[0].GetProperty("holds").GetString()));
        var sent = Assert.Single(_venue.Server.LogEntries).RequestMessage;
        Assert.Equal(("/api/v1/accounts", "?currency=USDT"), (sent.Path, sent.RawQuery));
        Assert.True(sent.Headers!.ContainsKey("KC-API-SIGN"));

        var (badExit, bad) = Call("get-klines", "--param", "symbol=XBTUSDTM", "--param", "interval=fortnight");
        Assert.Equal(1, badExit);
        Assert.Contains("interval 'fortnight': a number and m, h, d or w", bad, StringComparison.Ordinal);
    }

    [Fact]
    public void Place_order_builds_the_documented_body_from_params_and_signs_it()
    {
        _venue.Server.Given(Request.Create().WithPath("/api/v1/orders").UsingPost())
            .RespondWith(Response.Create().WithBody("""{"code":"200000","data":{"orderId":"77","clientOid":"my-order-1"}}"""));
        var (exit, output) = Call("place-order", "--param", "symbol=XBTUSDTM", "--param", "side=buy", "--param", "price=60000.5",
            "--param", "size=3", "--param", "leverage=5", "--param", "timeInForce=IOC", "--param", "marginMode=CROSS", "--param", "clientOid=my-order-1");
        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(output);
        Assert.Equal("77", json.RootElement.GetProperty("orderId").GetString());
        var request = Assert.Single(_venue.Server.LogEntries).RequestMessage;
        Assert.Equal("""{"clientOid":"my-order-1","side":"buy","symbol":"XBTUSDTM","leverage":5,"type":"limit","marginMode":"CROSS","price":"60000.5","size":3,"timeInForce":"IOC"}""", request.Body);
        Assert.Equal("key", request.Headers!["KC-API-KEY"][0]);
    }

    [Fact]
    public void Venue_errors_exit_1_with_the_venue_code_and_message()
    {
        _venue.ServeJson("/api/v1/position", """{"code":"400003","msg":"KC-API-KEY not exists"}""", status: 401);
        var (exit, output) = Call("get-position", "--param", "symbol=XBTUSDTM");
        Assert.Equal(1, exit);
        Assert.Equal("""{"type":"error","code":"authentication","venueCode":"400003","message":"KC-API-KEY not exists"}""", output.Trim());
        Assert.DoesNotContain("secret", output);
    }

    [Fact]
    public void A_venue_that_echoes_the_request_headers_gets_no_credential_into_the_output()
    {
        string[] sent = [];
        _venue.Server.Given(Request.Create().WithPath("/api/v1/position").UsingGet()).RespondWith(Response.Create().WithCallback(request =>
        {
            sent = new[] { "KC-API-KEY", "KC-API-SIGN", "KC-API-PASSPHRASE" }.Select(h => request.Headers![h].Single()).ToArray();
            var echo = string.Join(", ", request.Headers!.Where(h => h.Key.StartsWith("KC-API", StringComparison.Ordinal)).Select(h => $"{h.Key}={h.Value.Single()}"));
            return new WireMock.ResponseMessage
            {
                StatusCode = 400,
                BodyData = new WireMock.Util.BodyData { BodyAsString = JsonSerializer.Serialize(new { code = "400001", msg = "bad request: " + echo }), DetectedBodyType = WireMock.Types.BodyType.String },
            };
        }));
        var credentials = new Dictionary<string, string?> { ["KC_KEY"] = "6555f1d2e6b7c30001ab12cd", ["KC_SECRET"] = "0f5e4a1b-2c3d-4e5f-8a9b-0c1d2e3f4a5b", ["KC_PASSPHRASE"] = "my passphrase 1" };
        var stdout = new StringWriter();
        var exit = Program.BuildCommandLine(stdout, TextWriter.Null, new CliEnvironment(credentials.GetValueOrDefault, new Dictionary<string, string?> { ["Venues:0:RestBaseUrl"] = _venue.BaseUri.ToString() }))
            .Parse(["call", "kucoin", "get-position", "--param", "symbol=XBTUSDTM"]).Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });

        Assert.Equal(1, exit);
        Assert.Equal(3, sent.Length);
        Assert.All(sent.Append("6555f1d2e6b7c30001ab12cd").Append("my passphrase 1"), secret => Assert.DoesNotContain(secret, stdout.ToString(), StringComparison.Ordinal));
        Assert.Contains("KC-API-KEY=[redacted], KC-API-SIGN=[redacted]", stdout.ToString(), StringComparison.Ordinal);
        Assert.Contains("KC-API-KEY-VERSION=3", stdout.ToString(), StringComparison.Ordinal);   // what is no secret stays
    }

    [Fact]
    public void Bad_parameters_are_refused_before_any_request()
    {
        var (exit, output) = Call("place-order", "--param", "symbol=XBTUSDTM", "--param", "side=up", "--param", "size=1", "--param", "price=1");
        Assert.Equal(1, exit);
        Assert.Contains("side 'up' must be one of buy, sell", output);
        Assert.Empty(_venue.Server.LogEntries);
    }

    [Fact]
    public void List_without_a_market_lists_every_market_and_with_one_only_it()
    {
        var stdout = new StringWriter();
        Assert.Equal(0, Program.BuildCommandLine(stdout, TextWriter.Null).Parse(["call", "kucoin", "--list"]).Invoke());
        var markets = stdout.ToString().Split('\n').Where(l => l.Length > 0 && !l.StartsWith(' ')).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]).ToHashSet();
        Assert.Equal(["futures", "margin", "spot", "unified"], markets.Order());

        stdout.GetStringBuilder().Clear();
        Assert.Equal(0, Program.BuildCommandLine(stdout, TextWriter.Null).Parse(["call", "kucoin", "--list", "--market", "spot"]).Invoke());
        Assert.Equal(["spot"], stdout.ToString().Split('\n').Where(l => l.Length > 0 && !l.StartsWith(' ')).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]).ToHashSet());
    }

    [Fact]
    public void List_names_every_futures_operation_of_the_seed()
    {
        var (exit, output) = Call("--list");
        Assert.Equal(0, exit);
        string[] seed =
        [
            "get-balance", "get-account-overview", "get-account-overview-all", "get-position", "get-all-positions", "add-position-margin",
            "set-auto-deposit", "set-risk-limit-level", "get-risk-limit-levels", "fetch-klines", "fetch-klines-extended", "get-orderbook-snapshot",
            "get-funding-rate", "get-funding-history", "get-mark-price", "get-active-contracts", "get-contract", "get-ticker", "calc-contracts",
            "place-order", "close-position", "cancel-order", "cancel-all-orders", "get-open-orders", "get-done-orders", "get-order",
            "get-recent-fills", "place-stop-order", "cancel-stop-order", "cancel-all-stop-orders", "get-open-stop-orders",
        ];
        var listed = output.Split('\n').Where(l => l.Length > 0 && !l.StartsWith(' ')).Select(l => l.Split(' ')[0]).ToHashSet();
        Assert.All(seed, name => Assert.Contains(name, listed));
    }

    [Fact]
    public void Transfers_use_the_universal_transfer_on_the_spot_host()
    {
        _venue.Server.Given(Request.Create().WithPath("/api/v3/accounts/universal-transfer").UsingPost())
            .RespondWith(Response.Create().WithBody("""{"code":"200000","data":{"orderId":"6705f7248c6954000733ecac"}}"""));
        var (exit, output) = Call("transfer-to-main", "--param", "currency=USDT", "--param", "amount=12.5", "--param", "clientOid=t-1");
        Assert.Equal(0, exit);
        Assert.Equal("6705f7248c6954000733ecac", JsonDocument.Parse(output).RootElement.GetProperty("orderId").GetString());
        Assert.Equal("""{"clientOid":"t-1","currency":"USDT","amount":"12.5","fromAccountType":"CONTRACT","type":"INTERNAL","toAccountType":"MAIN"}""",
            Assert.Single(_venue.Server.LogEntries).RequestMessage.Body);

        _venue.Server.ResetLogEntries();
        Call("transfer-to-futures", "--param", "currency=USDT", "--param", "amount=3", "--param", "from=TRADE", "--param", "clientOid=t-2");
        Assert.Equal("""{"clientOid":"t-2","currency":"USDT","amount":"3","fromAccountType":"TRADE","type":"INTERNAL","toAccountType":"CONTRACT"}""",
            Assert.Single(_venue.Server.LogEntries).RequestMessage.Body);
    }

    [Fact]
    public void Transfer_list_reads_the_futures_records()
    {
        _venue.ServeJson("/api/v1/transfer-list", """{"code":"200000","data":{"currentPage":1,"pageSize":50,"totalNum":1,"totalPage":1,"items":[{"applyId":"620a0bbefeaa6a000110e833","currency":"USDT","recRemark":"","recSystem":"KUCOIN","status":"SUCCESS","amount":"0.01","reason":"","offset":1519769124134806,"createdAt":1644825534000,"remark":""}]}}""");
        var (exit, output) = Call("get-transfer-list", "--param", "currency=USDT", "--param", "status=SUCCESS");
        Assert.Equal(0, exit);
        var item = JsonDocument.Parse(output).RootElement.GetProperty("items")[0];
        Assert.Equal(("620a0bbefeaa6a000110e833", "0.01", "SUCCESS"), (item.GetProperty("applyId").GetString(), item.GetProperty("amount").GetString(), item.GetProperty("status").GetString()));
        Assert.Equal("/api/v1/transfer-list", Assert.Single(_venue.Server.LogEntries).RequestMessage.Path);
    }

    [Fact]
    public void Spot_operations_run_on_the_spot_host()
    {
        _venue.Server.Given(Request.Create().WithPath("/api/v1/hf/orders").UsingPost())
            .RespondWith(Response.Create().WithBody(Fixtures.KuCoin("spot_rest_POST_api_v1_hf_orders.response")));
        var (exit, output) = Call("place-order", "--market", "spot", "--param", "symbol=BTC-USDT", "--param", "side=buy", "--param", "price=50000",
            "--param", "size=0.00001", "--param", "clientOid=5c52e11203aa677f33e493fb", "--param", "remark=order remarks");
        Assert.Equal(0, exit);
        Assert.Equal("670fd33bf9406e0007ab3945", JsonDocument.Parse(output).RootElement.GetProperty("orderId").GetString());
        Assert.Equal("""{"type":"limit","symbol":"BTC-USDT","side":"buy","price":"50000","size":"0.00001","clientOid":"5c52e11203aa677f33e493fb","remark":"order remarks"}""",
            Assert.Single(_venue.Server.LogEntries).RequestMessage.Body);

        var (listExit, list) = Call("--list", "--market", "spot");
        Assert.Equal(0, listExit);
        Assert.Contains("get-orderbook-snapshot", list);
        Assert.DoesNotContain("get-position", list);
    }

    [Fact]
    public void Margin_operations_use_the_hf_margin_endpoints()
    {
        _venue.Server.Given(Request.Create().WithPath("/api/v3/hf/margin/order").UsingPost())
            .RespondWith(Response.Create().WithBody(Fixtures.KuCoin("margin_rest_POST_api_v3_hf_margin_order.response")));
        var (exit, output) = Call("place-margin-order", "--market", "margin", "--param", "symbol=BTC-USDT", "--param", "side=buy", "--param", "price=50000",
            "--param", "size=0.00001", "--param", "clientOid=m-1", "--param", "isolated=true", "--param", "autoBorrow=true");
        Assert.Equal(0, exit);
        Assert.Equal("10.2", JsonDocument.Parse(output).RootElement.GetProperty("borrowSize").GetString());
        Assert.Equal("""{"type":"limit","symbol":"BTC-USDT","side":"buy","price":"50000","size":"0.00001","clientOid":"m-1","isIsolated":true,"autoBorrow":true}""",
            Assert.Single(_venue.Server.LogEntries).RequestMessage.Body);
    }

    [Fact]
    public void Batch_and_modify_operations_take_orders_as_json_and_answer_per_order()
    {
        _venue.Server.Given(Request.Create().WithPath("/api/v1/orders/multi").UsingPost()).RespondWith(Response.Create().WithBody(
            """{"code":"200000","data":[{"orderId":"1","clientOid":"a","symbol":"XBTUSDTM","code":"200000","msg":"success"},{"orderId":null,"clientOid":"b","symbol":"XBTUSDTM","code":"300003","msg":"Balance insufficient"}]}"""));
        var (exit, output) = Call("place-multiple-orders", "--param",
            """orders=[{"clientOid":"a","side":"buy","symbol":"XBTUSDTM","leverage":3,"price":"0.1","size":1},{"clientOid":"b","side":"sell","symbol":"XBTUSDTM","leverage":3,"type":"market","size":2}]""");
        Assert.Equal(0, exit);
        var results = JsonDocument.Parse(output).RootElement;
        Assert.Equal(("200000", "300003"), (results[0].GetProperty("code").GetString(), results[1].GetProperty("code").GetString()));
        Assert.Equal("""[{"clientOid":"a","side":"buy","symbol":"XBTUSDTM","leverage":3,"type":"limit","price":"0.1","size":1},{"clientOid":"b","side":"sell","symbol":"XBTUSDTM","leverage":3,"type":"market","size":2}]""",
            Assert.Single(_venue.Server.LogEntries).RequestMessage.Body);
        _venue.Server.ResetLogEntries();

        _venue.Server.Given(Request.Create().WithPath("/api/v1/orders/multi-cancel").UsingDelete()).RespondWith(Response.Create().WithBody(
            """{"code":"200000","data":[{"orderId":"1","clientOid":"a","code":"200","msg":"success"}]}"""));
        Assert.Equal(0, Call("cancel-multiple-orders", "--param", "clientOids=XBTUSDTM:a").Exit);
        Assert.Equal("""{"clientOidsList":[{"symbol":"XBTUSDTM","clientOid":"a"}]}""", Assert.Single(_venue.Server.LogEntries).RequestMessage.Body);
        _venue.Server.ResetLogEntries();

        _venue.Server.Given(Request.Create().WithPath("/api/v1/hf/orders/alter").UsingPost()).RespondWith(Response.Create().WithBody(
            """{"code":"200000","data":{"newOrderId":"67112258f9406e0007408827","clientOid":"s-1"}}"""));
        (exit, output) = Call("modify-order", "--market", "spot", "--param", "symbol=BTC-USDT", "--param", "clientOid=s-1", "--param", "newPrice=30100.5");
        Assert.Equal(0, exit);
        Assert.Equal("67112258f9406e0007408827", JsonDocument.Parse(output).RootElement.GetProperty("newOrderId").GetString());
        Assert.Equal("""{"symbol":"BTC-USDT","clientOid":"s-1","newPrice":"30100.5"}""", Assert.Single(_venue.Server.LogEntries).RequestMessage.Body);

        (exit, _) = Call("place-multiple-orders", "--param", "orders=[{not json");
        Assert.Equal(1, exit);
    }

    [Fact]
    public void Borrow_reads_the_loan_parameters_into_the_documented_body()
    {
        _venue.Server.Given(Request.Create().WithPath("/api/v3/margin/borrow").UsingPost())
            .RespondWith(Response.Create().WithBody("""{"code":"200000","data":{"orderNo":"67187162c0d6990007717b15","actualSize":"0.25"}}"""));
        var (exit, output) = Call("borrow", "--market", "margin", "--param", "currency=BTC", "--param", "size=0.25", "--param", "timeInForce=IOC",
            "--param", "symbol=BTC-USDT", "--param", "isolated=true");
        Assert.Equal(0, exit);
        Assert.Equal("0.25", JsonDocument.Parse(output).RootElement.GetProperty("actualSize").GetString());
        Assert.Equal("""{"currency":"BTC","size":0.25,"timeInForce":"IOC","symbol":"BTC-USDT","isIsolated":true}""",
            Assert.Single(_venue.Server.LogEntries).RequestMessage.Body);
    }

    [Fact]
    public void Unified_margin_reads_the_uta_overview_on_the_spot_host()
    {
        _venue.Server.Given(Request.Create().WithPath("/api/ua/v2/unified/account/overview").UsingGet())
            .RespondWith(Response.Create().WithBody(
                """{"code":"200000","data":{"accountType":"UNIFIED","riskRatio":"0.0523","equity":"1050.25","adjustedEquity":"1001.7","liability":"61.3","availableMargin":"880.4","im":"121.3","mm":"52.4"}}"""));
        var (exit, output) = Call("get-unified-margin", "--market", "unified");
        Assert.Equal(0, exit);
        var overview = JsonDocument.Parse(output).RootElement;
        Assert.Equal(("1050.25", "52.4"), (overview.GetProperty("equity").GetString(), overview.GetProperty("mm").GetString()));
        Assert.Equal("/api/ua/v2/unified/account/overview", Assert.Single(_venue.Server.LogEntries).RequestMessage.Path);
    }

    /// <summary>
    /// KuCoin's own response examples whose fields are null (its universal-SDK specification): each typed call reads
    /// them, and the null stays null in what it prints, never a made-up 0 or "".
    /// </summary>
    [Theory]
    [InlineData("futures", "get-contract", "symbol=XBTUSDTM", "/api/v1/contracts/XBTUSDTM", "futures_rest_GET_api_v1_contracts_symbol", "expireDate")]
    [InlineData("futures", "get-active-contracts", "", "/api/v1/contracts/active", "futures_rest_GET_api_v1_contracts_active", "settlementFee")]
    [InlineData("futures", "get-open-orders", "", "/api/v1/orders", "futures_rest_GET_api_v1_orders", "endAt")]
    [InlineData("futures", "get-done-orders", "", "/api/v1/orders", "futures_rest_GET_api_v1_orders", "remark")]
    [InlineData("futures", "cancel-multiple-orders", "orderIds=250445104152670209", "/api/v1/orders/multi-cancel", "futures_rest_DELETE_api_v1_orders_multi-cancel", "clientOid")]
    [InlineData("futures", "get-open-stop-orders", "", "/api/v1/stopOrders", "futures_rest_GET_api_v1_stopOrders", "stopPrice")]
    [InlineData("futures", "get-order", "orderId=236655147005071361", "/api/v1/orders/236655147005071361", "futures_rest_GET_api_v1_orders_order-id", "endAt")]
    [InlineData("futures", "get-recent-fills", "", "/api/v1/recentFills", "futures_rest_GET_api_v1_recentFills", "subTradeType")]
    [InlineData("futures", "get-fills", "", "/api/v1/fills", "futures_rest_GET_api_v1_fills", "subTradeType")]
    [InlineData("margin", "get-borrow-history", "currency=BNB", "/api/v3/margin/borrow", "margin_rest_GET_api_v3_margin_borrow", "symbol")]
    [InlineData("margin", "get-repay-history", "currency=BNB", "/api/v3/margin/repay", "margin_rest_GET_api_v3_margin_repay", "symbol")]
    [InlineData("margin", "get-margin-order", "symbol=BTC-USDT;orderId=671667306afcdb000723107f", "/api/v3/hf/margin/orders/671667306afcdb000723107f", "margin_rest_GET_api_v3_hf_margin_orders_orderId", "stp")]
    [InlineData("margin", "get-margin-open-orders", "symbol=BTC-USDT", "/api/v3/hf/margin/orders/active", "margin_rest_GET_api_v3_hf_margin_orders_active", "tags")]
    [InlineData("margin", "get-margin-done-orders", "symbol=BTC-USDT", "/api/v3/hf/margin/orders/done", "margin_rest_GET_api_v3_hf_margin_orders_done", "remark")]
    [InlineData("spot", "get-symbols", "", "/api/v2/symbols", "spot_rest_GET_api_v2_symbols", "callauctionPriceFloor")]
    [InlineData("spot", "get-order", "symbol=BTC-USDT;orderId=6717422bd51c29000775ea03", "/api/v1/hf/orders/6717422bd51c29000775ea03", "spot_rest_GET_api_v1_hf_orders_orderId", "stp")]
    [InlineData("spot", "get-open-orders", "symbol=BTC-USDT", "/api/v1/hf/orders/active", "spot_rest_GET_api_v1_hf_orders_active", "stp")]
    [InlineData("spot", "get-done-orders", "symbol=BTC-USDT", "/api/v1/hf/orders/done", "spot_rest_GET_api_v1_hf_orders_done", "tags")]
    public void Every_documented_response_with_nulls_reads_into_its_typed_model_and_the_nulls_stay_null(
        string market, string operation, string parameters, string path, string fixture, string nullField)
    {
        _venue.Server.Given(Request.Create().WithPath(path)).RespondWith(Response.Create().WithBody(Fixtures.KuCoin(fixture + ".response")));
        string[] args = [operation, "--market", market, .. parameters.Split(';', StringSplitOptions.RemoveEmptyEntries).SelectMany(p => new[] { "--param", p })];
        var (exit, output) = Call(args);
        Assert.True(exit == 0, $"{operation} on KuCoin's example exited {exit}: {output}");
        using var json = JsonDocument.Parse(output);
        Assert.True(HasNull(json.RootElement, nullField), $"{operation}: '{nullField}' should print as null in {output}");
    }

    private static bool HasNull(JsonElement element, string name) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().Any(p => (p.Name == name && p.Value.ValueKind == JsonValueKind.Null) || HasNull(p.Value, name)),
        JsonValueKind.Array => element.EnumerateArray().Any(e => HasNull(e, name)),
        _ => false,
    };

    public void Dispose() => _venue.Dispose();
}
