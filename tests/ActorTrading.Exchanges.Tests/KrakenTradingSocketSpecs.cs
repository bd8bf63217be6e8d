using System.Text.Json;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Core.Orders;
using ActorTrading.Exchanges.Kraken;
using ActorTrading.Exchanges.Kraken.Ws;
using ActorTrading.TestExchange;
using Xunit;

namespace ActorTrading.Exchanges.Tests;

/// <summary>Kraken's order entry over the account's WebSocket: the requests' params, the token in every frame, replies and refusals.</summary>
public sealed class KrakenTradingSocketSpecs
{
    [Fact]
    public async Task Requests_carry_the_connections_token_and_an_integer_request_id_and_replies_are_read_by_it()
    {
        var socket = new KrakenTradingSocket(new Uri("ws://127.0.0.1:9"));
        Assert.Throws<ExchangeException>(() => socket.RequestFrame("7", "add_order", "{}"));

        var endpoint = await socket.ResolveEndpointAsync(new TokenRest(), CancellationToken.None);
        Assert.Equal("ws://127.0.0.1:9/auth/v2", endpoint.Uri.ToString());
        Assert.Contains("1Dwc4lzSwNWOAwkMdqhssNNFhs1ed606d1WcF3XfEMw", endpoint.Secrets);

        var adapter = new KrakenOrderEntryAdapter();
        var id = new ClientOrderId("kq-8");
        var place = adapter.Place([new OrderTicket(id, new Symbol("BTC/USD"), Side.Buy, OrderType.Limit, 0.01m, 60000.5m) { PostOnly = true }]);
        Assert.Equal("add_order", place.WsOperation);
        Assert.Equal("""{"method":"add_order","params":{"order_type":"limit","side":"buy","order_qty":0.01,"symbol":"BTC/USD","limit_price":60000.5,"time_in_force":"gtc","post_only":true,"cl_ord_id":"kq-8","token":"1Dwc4lzSwNWOAwkMdqhssNNFhs1ed606d1WcF3XfEMw"},"req_id":7}""",
            socket.RequestFrame("7", place.WsOperation!, place.WsArgs!));

        var stop = adapter.Place([new OrderTicket(id, new Symbol("BTC/USD"), Side.Sell, OrderType.Limit, 0.5m, 28900m) { Stop = new StopTrigger(TriggerDirection.FallsTo, 29000m) }]);
        Assert.Equal("""{"order_type":"stop-loss-limit","side":"sell","order_qty":0.5,"symbol":"BTC/USD","limit_price":28900,"triggers":{"reference":"last","price":29000,"price_type":"static"},"time_in_force":"gtc","cl_ord_id":"kq-8"}""", stop.WsArgs);
        Assert.Equal("""{"cl_ord_id":["kq-8"]}""", adapter.Cancel([new CancelTicket(id, new Symbol("BTC/USD"))]).WsArgs);
        Assert.Equal("""{"order_id":"OABC","limit_price":30100}""", adapter.Amend(new AmendTicket(id, new Symbol("BTC/USD"), 30100m, null, "OABC")).WsArgs);

        var accepted = socket.ParseReply("""{"method":"add_order","req_id":7,"result":{"order_id":"OPS23M-VS41G-DDE5Z2","cl_ord_id":"kq-8"},"success":true,"time_in":"2023-09-21T14:15:07.197274Z","time_out":"2023-09-21T14:15:07.205301Z"}""");
        Assert.Equal(("7", true), (accepted.RequestId, accepted.IsSuccess));
        Assert.Equal(new OrderAccepted(id, "OPS23M-VS41G-DDE5Z2"), Assert.Single(adapter.ReadAnswer(place, accepted.Data)));

        var funds = socket.ParseReply("""{"error":"EOrder:Insufficient funds","method":"add_order","req_id":8,"success":false,"time_in":"2023-09-21T14:15:07Z","time_out":"2023-09-21T14:15:07Z"}""");
        Assert.Equal(new ApiError("EOrder:Insufficient funds", "EOrder:Insufficient funds", 0), socket.ErrorOf(funds));
        Assert.IsType<AuthenticationError>(socket.ErrorOf(socket.ParseReply("""{"error":"EAccount:Invalid token","method":"add_order","req_id":9,"success":false}""")));
        Assert.IsType<RateLimitedError>(socket.ErrorOf(socket.ParseReply("""{"error":"EOrder:Rate limit exceeded","method":"add_order","req_id":10,"success":false}""")));
    }

    private sealed class TokenRest : IRestExecutor
    {
        public Task<JsonElement> SendAsync(RestRequest request, CancellationToken cancellationToken) =>
            Task.FromResult(JsonDocument.Parse(Fixtures.Kraken("rest_POST_0_private_GetWebSocketsToken.response")).RootElement.GetProperty("result").Clone());
    }
}
