namespace ActorTrading.Exchanges.KuCoin.Ws;

/// <summary>
/// KuCoin WebSocket topic names, shared by the adapter (which builds subscriptions) and the parser (which recognises
/// pushes), so the two cannot drift apart. Names ending in <c>:</c> are prefixes followed by the symbol.
/// </summary>
public static class KuCoinTopics
{
    public static class Futures
    {
        public const string Execution = "/contractMarket/execution:";
        public const string TickerV2 = "/contractMarket/tickerV2:";
        public const string Ticker = "/contractMarket/ticker:";
        public const string Level2 = "/contractMarket/level2:";
        public const string Level2Depth5 = "/contractMarket/level2Depth5:";
        public const string Level2Depth50 = "/contractMarket/level2Depth50:";
        public const string Candle = "/contractMarket/limitCandle:";
        public const string Instrument = "/contract/instrument:";
        public const string TradeOrders = "/contractMarket/tradeOrders:";
        public const string AllTradeOrders = "/contractMarket/tradeOrders";
        public const string Position = "/contract/position:";
        public const string AllPositions = "/contract/positionAll";
        public const string Wallet = "/contractAccount/wallet";
        public const string Snapshot = "/contractMarket/snapshot:";
        /// <summary>Subscribed per symbol (<c>/contract/announcement:XBTUSDTM</c>); pushed under the bare name.</summary>
        public const string Announcement = "/contract/announcement";
        public const string AnnouncementOf = "/contract/announcement:";
        public const string MarginMode = "/contract/marginMode";
        public const string CrossLeverage = "/contract/crossLeverage";
        public const string AdvancedOrders = "/contractMarket/advancedOrders";
    }

    public static class Spot
    {
        public const string Match = "/market/match:";
        public const string Ticker = "/market/ticker:";
        public const string Level2 = "/market/level2:";
        public const string Level2Depth5 = "/spotMarket/level2Depth5:";
        public const string Level2Depth50 = "/spotMarket/level2Depth50:";
        public const string Candles = "/market/candles:";
        public const string TradeOrders = "/spotMarket/tradeOrdersV2";
        public const string Balance = "/account/balance";
        public const string Level1 = "/spotMarket/level1:";
        public const string Snapshot = "/market/snapshot:";
        public const string IndexPrice = "/indicator/index:";
        public const string MarkPrice = "/indicator/markPrice:";
        /// <summary>Every symbol's ticker; each push names its symbol in <c>subject</c>.</summary>
        public const string TickerAll = "/market/ticker:all";
        public const string CallAuction = "/callauction/callauctionData:";
        public const string AdvancedOrders = "/spotMarket/advancedOrders";
        public const string MarginPosition = "/margin/position";
        public const string IsolatedMarginPosition = "/margin/isolatedPosition:";
        public const string FundingBook = "/margin/fundingBook:";
        public const string Loan = "/margin/loan:";
    }
}
