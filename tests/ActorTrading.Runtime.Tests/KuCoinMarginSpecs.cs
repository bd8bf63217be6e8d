using ActorTrading.Core.Errors;
using ActorTrading.Core.Market;
using ActorTrading.Exchanges.KuCoin.Rest;
using Xunit;

namespace ActorTrading.Runtime.Tests;

public sealed class KuCoinMarginSpecs : SignedKuCoinVenue
{
    private readonly KuCoinMargin _api;

    public KuCoinMarginSpecs()
    {
        _api = new KuCoinMargin(Client);
    }

    [Fact]
    public async Task Margin_order_uses_the_hf_v3_endpoint_and_reports_the_borrowing()
    {
        ServeFixture("POST", "/api/v3/hf/margin/order", "margin_rest_POST_api_v3_hf_margin_order.response");
        var ack = await _api.PlaceOrderAsync(new SpotOrderRequest
        {
            Symbol = "BTC-USDT",
            Side = Side.Buy,
            Price = 50000m,
            Size = 0.00001m,
            ClientOid = "5c52e11203aa677f33e493fb",
            Remark = "order remarks",
        });
        Assert.Equal(new MarginOrderAck("671663e02188630007e21c9c", "5c52e11203aa677f33e1493fb", 10.2m, "600656d9a33ac90009de4f6f"), ack);
        SignedRequest("POST", "/api/v3/hf/margin/order", """{"type":"limit","symbol":"BTC-USDT","side":"buy","price":"50000","size":"0.00001","clientOid":"5c52e11203aa677f33e493fb","remark":"order remarks"}""");

        ServeFixture("POST", "/api/v3/hf/margin/order/test", "margin_rest_POST_api_v3_hf_margin_order.response");
        await _api.PlaceTestOrderAsync(new SpotOrderRequest
        {
            Type = FuturesOrderType.Market,
            Symbol = "ETH-USDT",
            Side = Side.Sell,
            Size = 0.5m,
            ClientOid = "iso-1",
            IsIsolated = true,
            AutoBorrow = true,
            AutoRepay = true,
        });
        SignedRequest("POST", "/api/v3/hf/margin/order/test", """{"type":"market","symbol":"ETH-USDT","side":"sell","size":"0.5","clientOid":"iso-1","isIsolated":true,"autoBorrow":true,"autoRepay":true}""");
    }

    [Fact]
    public async Task Spot_orders_may_not_carry_margin_fields()
    {
        var e = await Assert.ThrowsAsync<ExchangeException>(() => new KuCoinSpot(Client).PlaceOrderAsync(
            new SpotOrderRequest { Symbol = "X", Side = Side.Buy, Price = 1m, Size = 1m, ClientOid = "c", AutoBorrow = true }));
        Assert.Equal("configuration: spot order: isIsolated, autoBorrow and autoRepay belong to margin orders", e.Error.ToString());
    }

    [Fact]
    public async Task Margin_lists_cancels_and_fills_carry_the_trade_type()
    {
        Serve("GET", "/api/v3/hf/margin/orders/active", "[]");
        Assert.Empty(await _api.GetOpenOrdersAsync("BTC-USDT", "MARGIN_ISOLATED_TRADE"));
        SignedRequest("GET", "/api/v3/hf/margin/orders/active?symbol=BTC-USDT&tradeType=MARGIN_ISOLATED_TRADE");

        Serve("DELETE", "/api/v3/hf/margin/orders", "\"success\"");
        Assert.Equal("success", await _api.CancelAllOrdersAsync("BTC-USDT", "MARGIN_TRADE"));
        SignedRequest("DELETE", "/api/v3/hf/margin/orders?symbol=BTC-USDT&tradeType=MARGIN_TRADE");

        Serve("DELETE", "/api/v3/hf/margin/orders/671663e02188630007e21c9c", """{"orderId":"671663e02188630007e21c9c"}""");
        Assert.Equal("671663e02188630007e21c9c", (await _api.CancelOrderAsync("BTC-USDT", "671663e02188630007e21c9c")).OrderId);
        SignedRequest("DELETE", "/api/v3/hf/margin/orders/671663e02188630007e21c9c?symbol=BTC-USDT");

        Serve("GET", "/api/v3/hf/margin/fills", """{"items":[],"lastId":0}""");
        Assert.Empty((await _api.GetFillsAsync("BTC-USDT", "MARGIN_TRADE", orderId: "o-1", limit: 50)).Items);
        SignedRequest("GET", "/api/v3/hf/margin/fills?tradeType=MARGIN_TRADE&symbol=BTC-USDT&orderId=o-1&limit=50");

        Serve("GET", "/api/v3/hf/margin/orders/done", """{"items":[],"lastId":7}""");
        Assert.Equal(7L, (await _api.GetDoneOrdersAsync("BTC-USDT", "MARGIN_TRADE", side: Side.Sell)).LastId);
        SignedRequest("GET", "/api/v3/hf/margin/orders/done?tradeType=MARGIN_TRADE&symbol=BTC-USDT&side=sell");
    }

    [Fact]
    public async Task Cross_and_isolated_accounts_decode()
    {
        Serve("GET", "/api/v3/margin/accounts", """{"totalAssetOfQuoteCurrency":"40.8648372","totalLiabilityOfQuoteCurrency":"0","debtRatio":"0","status":"EFFECTIVE","accounts":[{"currency":"USDT","total":"38.68855864","available":"20.01916691","hold":"18.66939173","liability":"0","liabilityPrincipal":"0","liabilityInterest":"0","maxBorrowSize":"163","borrowEnabled":true,"transferInEnabled":true}]}""");
        var cross = await _api.GetCrossAccountAsync("USDT", "MARGIN");
        Assert.Equal((40.8648372m, "EFFECTIVE", 20.01916691m, 163m), (cross.TotalAssetOfQuoteCurrency, cross.Status, cross.Accounts[0].Available, cross.Accounts[0].MaxBorrowSize));
        SignedRequest("GET", "/api/v3/margin/accounts?quoteCurrency=USDT&queryType=MARGIN");

        Serve("GET", "/api/v3/isolated/accounts", """{"totalAssetOfQuoteCurrency":"4.97047372","totalLiabilityOfQuoteCurrency":"0","timestamp":1729151545023,"assets":[{"symbol":"BTC-USDT","status":"EFFECTIVE","debtRatio":"0","baseAsset":{"currency":"BTC","borrowEnabled":true,"transferInEnabled":true,"liability":"0","liabilityPrincipal":"0","liabilityInterest":"0","total":"0","available":"0","hold":"0","maxBorrowSize":"0"},"quoteAsset":{"currency":"USDT","borrowEnabled":true,"transferInEnabled":true,"liability":"0","liabilityPrincipal":"0","liabilityInterest":"0","total":"4.97047372","available":"4.97047372","hold":"0","maxBorrowSize":"44"}}]}""");
        var isolated = await _api.GetIsolatedAccountsAsync("BTC-USDT");
        var pair = Assert.Single(isolated.Assets);
        Assert.Equal(("BTC-USDT", "USDT", 4.97047372m, 44m), (pair.Symbol, pair.QuoteAsset.Currency, pair.QuoteAsset.Available, pair.QuoteAsset.MaxBorrowSize));
        SignedRequest("GET", "/api/v3/isolated/accounts?symbol=BTC-USDT");
    }
    [Fact]
    public async Task Borrow_and_repay_send_the_documented_bodies_and_read_the_actual_size()
    {
        Serve("POST", "/api/v3/margin/borrow", """{"orderNo":"67187162c0d6990007717b15","actualSize":"10"}""");
        var borrowed = await _api.BorrowAsync(new MarginLoanRequest("USDT", 10m) { TimeInForce = "FOK", IsHf = true });
        Assert.Equal(new MarginBorrowAck("67187162c0d6990007717b15", 10m), borrowed);
        SignedRequest("POST", "/api/v3/margin/borrow", """{"currency":"USDT","size":10,"timeInForce":"FOK","isHf":true}""");

        Serve("POST", "/api/v3/margin/repay", """{"timestamp":1729655606816,"orderNo":"671873361d5bd400075f2c6e","actualSize":"0.5"}""");
        var repaid = await _api.RepayAsync(new MarginLoanRequest("BTC", 0.5m) { Symbol = "BTC-USDT", IsIsolated = true });
        Assert.Equal(new MarginRepayAck(1729655606816, "671873361d5bd400075f2c6e", 0.5m), repaid);
        SignedRequest("POST", "/api/v3/margin/repay", """{"currency":"BTC","size":0.5,"symbol":"BTC-USDT","isIsolated":true}""");
    }

    [Theory]
    [InlineData(true, "USDT", 1, null, false, null, "margin borrow: timeInForce (IOC or FOK) is required")]
    [InlineData(true, "USDT", 1, "GTC", false, null, "margin borrow: timeInForce must be IOC or FOK")]
    [InlineData(true, "USDT", 0, "IOC", false, null, "margin borrow: size must be positive")]
    [InlineData(false, "BTC", 1, null, true, null, "margin repay: an isolated loan needs its symbol")]
    [InlineData(false, "BTC", 1, "IOC", false, null, "margin repay: timeInForce belongs to borrowing")]
    [InlineData(false, "", 1, null, false, null, "margin repay: currency is required")]
    public async Task Loans_are_checked_before_anything_is_sent(bool borrow, string currency, int size, string? timeInForce, bool isolated, string? symbol, string expected)
    {
        var loan = new MarginLoanRequest(currency, size) { TimeInForce = timeInForce, IsIsolated = isolated, Symbol = symbol };
        var e = await Assert.ThrowsAsync<ExchangeException>(() => borrow ? _api.BorrowAsync(loan) : _api.RepayAsync(loan));
        Assert.Equal("configuration: " + expected, e.Error.ToString());
        Assert.Empty(Venue.Server.LogEntries);
    }

    [Fact]
    public async Task Margin_symbol_lists_are_public_and_typed()
    {
        Serve("GET", "/api/v3/margin/symbols", """{"timestamp":1729665839353,"items":[{"symbol":"BTC-USDT","name":"BTC-USDT","enableTrading":true,"market":"USDS","baseCurrency":"BTC","quoteCurrency":"USDT","baseIncrement":"0.00000001","baseMinSize":"0.00001","baseMaxSize":"10000000000","quoteIncrement":"0.000001","quoteMinSize":"0.1","quoteMaxSize":"99999999","priceIncrement":"0.1","feeCurrency":"USDT","priceLimitRate":"0.1","minFunds":"0.1"}]}""");
        var cross = await _api.GetCrossMarginSymbolsAsync("BTC-USDT");
        var pair = Assert.Single(cross.Items);
        Assert.Equal((1729665839353L, "BTC-USDT", 0.00000001m, 0.1m, 0.1m), (cross.Timestamp, pair.Symbol, pair.BaseIncrement, pair.PriceIncrement, pair.MinFunds));
        var request = Assert.Single(Venue.Server.LogEntries).RequestMessage;
        Assert.Equal("/api/v3/margin/symbols?symbol=BTC-USDT", request.Path + "?" + request.RawQuery.TrimStart('?'));
        Assert.False(request.Headers!.ContainsKey("KC-API-SIGN"));

        Serve("GET", "/api/v1/isolated/symbols", """[{"symbol":"BTC-USDT","symbolName":"BTC-USDT","baseCurrency":"BTC","quoteCurrency":"USDT","maxLeverage":10,"flDebtRatio":"0.97","tradeEnable":true,"autoRenewMaxDebtRatio":"0.96","baseBorrowEnable":true,"quoteBorrowEnable":true,"baseTransferInEnable":true,"quoteTransferInEnable":true,"baseBorrowCoefficient":"1","quoteBorrowCoefficient":"1"}]""");
        var isolated = Assert.Single(await _api.GetIsolatedMarginSymbolsAsync());
        Assert.Equal(("BTC-USDT", 10, 0.97m, 0.96m, true), (isolated.Symbol, isolated.MaxLeverage, isolated.FlDebtRatio, isolated.AutoRenewMaxDebtRatio, isolated.QuoteBorrowEnable));
    }
    [Fact]
    public async Task Borrow_repay_and_interest_histories_page_with_the_documented_filters()
    {
        Serve("GET", "/api/v3/margin/borrow", """{"timestamp":1729657580449,"currentPage":1,"pageSize":50,"totalNum":1,"totalPage":1,"items":[{"orderNo":"67187162c0d6990007717b15","symbol":"","currency":"USDT","size":"10","actualSize":"10","status":"SUCCESS","createdTime":1729655138000}]}""");
        var borrows = await _api.GetBorrowHistoryAsync(new MarginHistoryQuery("USDT", OrderNo: "67187162c0d6990007717b15", PageSize: 50));
        var borrow = Assert.Single(borrows.Items);
        Assert.Equal(("67187162c0d6990007717b15", 10m, "SUCCESS", 1729655138000L, 1), (borrow.OrderNo, borrow.ActualSize, borrow.Status, borrow.CreatedTime, borrows.TotalNum));
        SignedRequest("GET", "/api/v3/margin/borrow?currency=USDT&orderNo=67187162c0d6990007717b15&pageSize=50");

        Serve("GET", "/api/v3/margin/repay", """{"timestamp":1729663471891,"currentPage":1,"pageSize":50,"totalNum":1,"totalPage":1,"items":[{"orderNo":"671873361d5bd400075f2c6e","symbol":"BTC-USDT","currency":"BTC","size":"0.5","principal":"0.49999","interest":"0.00001","status":"SUCCESS","createdTime":1729655606000}]}""");
        var repay = Assert.Single((await _api.GetRepayHistoryAsync(new MarginHistoryQuery("BTC", IsIsolated: true, Symbol: "BTC-USDT", StartTime: 1729650000000))).Items);
        Assert.Equal((0.49999m, 0.00001m, "BTC-USDT"), (repay.Principal, repay.Interest, repay.Symbol));
        SignedRequest("GET", "/api/v3/margin/repay?currency=BTC&isIsolated=true&symbol=BTC-USDT&startTime=1729650000000");

        Serve("GET", "/api/v3/margin/interest", """{"timestamp":1729665170701,"currentPage":2,"pageSize":10,"totalNum":14,"totalPage":2,"items":[{"currency":"USDT","dayRatio":"0.000296","interestAmount":"0.00000001","createdTime":1729663213375}]}""");
        var interest = await _api.GetInterestHistoryAsync(new MarginHistoryQuery(OrderNo: "ignored", CurrentPage: 2, PageSize: 10));
        Assert.Equal((2, 14, 0.000296m, 0.00000001m), (interest.CurrentPage, interest.TotalNum, interest.Items[0].DayRatio, interest.Items[0].InterestAmount));
        SignedRequest("GET", "/api/v3/margin/interest?currentPage=2&pageSize=10");

        var e = await Assert.ThrowsAsync<ExchangeException>(() => _api.GetRepayHistoryAsync(new MarginHistoryQuery()));
        Assert.Equal("configuration: margin history: currency is required", e.Error.ToString());
    }

    [Fact]
    public async Task Leverage_goes_out_as_a_string_and_bad_values_stay_home_while_null_data_is_success()
    {
        Serve("POST", "/api/v3/position/update-user-leverage", "null");
        await _api.ModifyLeverageAsync(5m, "BTC-USDT", true);
        SignedRequest("POST", "/api/v3/position/update-user-leverage", """{"symbol":"BTC-USDT","isIsolated":true,"leverage":"5"}""");

        Serve("POST", "/api/v3/position/update-user-leverage", "\"\"");
        await _api.ModifyLeverageAsync(3.25m);
        SignedRequest("POST", "/api/v3/position/update-user-leverage", """{"leverage":"3.25"}""");

        foreach (var bad in new[] { 1m, 0.5m, 3.333m })
        {
            var e = await Assert.ThrowsAsync<ExchangeException>(() => _api.ModifyLeverageAsync(bad));
            Assert.IsType<ConfigurationError>(e.Error);
        }

        Assert.Empty(Venue.Server.LogEntries);
    }
}
