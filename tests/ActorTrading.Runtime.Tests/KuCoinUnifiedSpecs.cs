using ActorTrading.Core.Errors;
using ActorTrading.Exchanges.KuCoin.Rest;
using Xunit;

namespace ActorTrading.Runtime.Tests;

public sealed class KuCoinUnifiedSpecs : SignedKuCoinVenue
{
    private readonly KuCoinUnified _api;

    public KuCoinUnifiedSpecs()
    {
        _api = new KuCoinUnified(Client);
    }

    [Fact]
    public async Task Account_mode_names_unified_and_classic_sub_accounts()
    {
        Serve("GET", "/api/ua/v2/account/mode", """{"selfAccountMode":"UNIFIED","unifiedSubAccount":[240118001],"classicSubAccount":[]}""");
        var mode = await _api.GetAccountModeAsync();
        Assert.Equal(("UNIFIED", 240118001L), (mode.SelfAccountMode, Assert.Single(mode.UnifiedSubAccount!)));
        Assert.Empty(mode.ClassicSubAccount!);
        SignedRequest("GET", "/api/ua/v2/account/mode");
    }

    [Fact]
    public async Task Balance_and_overview_decode_string_decimals()
    {
        Serve("GET", "/api/ua/v2/unified/account/balance",
            """{"accountType":"UNIFIED","ts":1732003456789,"accounts":[{"currencies":[{"currency":"USDT","equity":"1050.25","hold":"20","balance":"1030.25","available":"1010.25","liability":"0","potentialBorrow":"5000","collateralStatus":"ENABLED"},{"currency":"BTC","equity":"-0.001","hold":"0","balance":"0","available":"0","liability":"0.001","potentialBorrow":"0.05","collateralStatus":"ENABLED"}]}]}""");
        var balance = await _api.GetAccountBalanceAsync();
        var currencies = Assert.Single(balance.Accounts).Currencies;
        Assert.Equal(("UNIFIED", 1732003456789L, 2), (balance.AccountType, balance.Ts, currencies.Count));
        Assert.Equal(new UnifiedCurrencyBalance("USDT", 1050.25m, 20m, 1030.25m, 1010.25m, 0m, 5000m, "ENABLED"), currencies[0]);
        Assert.Equal((-0.001m, 0.001m), (currencies[1].Equity, currencies[1].Liability));
        SignedRequest("GET", "/api/ua/v2/unified/account/balance");

        Serve("GET", "/api/ua/v2/unified/account/overview",
            """{"accountType":"UNIFIED","riskRatio":"0.0523","equity":"1050.25","adjustedEquity":"1001.7","liability":"61.3","availableMargin":"880.4","im":"121.3","mm":"52.4"}""");
        Assert.Equal(new UnifiedAccountOverview("UNIFIED", 0.0523m, 1050.25m, 1001.7m, 61.3m, 880.4m, 121.3m, 52.4m), await _api.GetAccountOverviewAsync());
        SignedRequest("GET", "/api/ua/v2/unified/account/overview");
    }

    [Fact]
    public async Task Open_positions_carry_margin_and_pnl_and_page_in_the_query()
    {
        Serve("GET", "/api/ua/v2/unified/position/open-list",
            """[{"symbol":"XBTUSDTM","id":"500000000000988255","marginMode":"CROSS","size":"-2","entryPrice":"97000.5","positionValue":"-194.001","positionMargin":"19.4","markPrice":"97000.5","leverage":"10","unrealizedPnL":"-0.12","realizedPnL":"-0.0582","initialMargin":"19.4001","mmr":"0.004","maintenanceMargin":"0.776","creationTime":1732003456789,"liquidationPrice":"140000.2","riskRatio":"0.05","adlPercentage":"0.2","updateTime":1732003459999}]""");
        var position = Assert.Single(await _api.GetOpenPositionsAsync("XBTUSDTM", pageNumber: 1, pageSize: 50));
        Assert.Equal(("XBTUSDTM", "500000000000988255", "CROSS", -2m, 97000.5m, 10m), (position.Symbol, position.Id, position.MarginMode, position.Size, position.EntryPrice, position.Leverage));
        Assert.Equal((-0.12m, 0.004m, 140000.2m, 1732003459999L), (position.UnrealizedPnL, position.Mmr, position.LiquidationPrice, position.UpdateTime));
        SignedRequest("GET", "/api/ua/v2/unified/position/open-list?symbol=XBTUSDTM&pageNumber=1&pageSize=50");
    }

    [Fact]
    public async Task A_wrong_shape_is_a_protocol_error_naming_the_path()
    {
        Serve("GET", "/api/ua/v2/unified/account/overview", "[1,2]");
        var e = await Assert.ThrowsAsync<ExchangeException>(() => _api.GetAccountOverviewAsync());
        var error = Assert.IsType<ProtocolError>(e.Error);
        Assert.Contains("/api/ua/v2/unified/account/overview", error.Message);
    }
}
