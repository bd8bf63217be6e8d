using System.Text.Json;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Core.Orders;
using ActorTrading.Exchanges.CryptoCom;
using ActorTrading.Exchanges.CryptoCom.Auth;
using ActorTrading.Exchanges.CryptoCom.Ws;
using Xunit;

namespace ActorTrading.Exchanges.Tests;

/// <summary>Crypto.com's order entry over the user socket: the login, the requests (the REST method and params), replies and refusals as the docs show them.</summary>
public sealed class CryptoComTradingSocketSpecs
{
    private static readonly CryptoComCredentials Credentials = new("YOUR_API_KEY", "SECRET_KEY");

    private readonly CryptoComTradingSocket _socket = new(MarketKind.Futures, Credentials, new Uri("ws://127.0.0.1:9"));

    [Fact]
    public async Task The_socket_is_the_user_stream_logged_in_by_public_auth_with_an_integer_id_after_the_venues_pause()
    {
        var endpoint = await _socket.ResolveEndpointAsync(null!, CancellationToken.None);
        Assert.Equal("ws://127.0.0.1:9/exchange/v1/user", endpoint.Uri.ToString());
        Assert.Equal(TimeSpan.Zero, endpoint.PingInterval);   // the server's heartbeats, answered, keep it alive
        Assert.Equal(TimeSpan.FromSeconds(1), _socket.ReadyDelay);

        var login = _socket.LoginFrame("login-3", DateTimeOffset.FromUnixTimeMilliseconds(1587846358253))!;
        Assert.Equal("3", login.Id);   // the ack echoes 3, and the client matches it by this id
        using var frame = JsonDocument.Parse(login.Text);
        Assert.Equal((3L, "public/auth", "YOUR_API_KEY", 1587846358253L), (frame.RootElement.GetProperty("id").GetInt64(), frame.RootElement.GetProperty("method").GetString(),
            frame.RootElement.GetProperty("api_key").GetString(), frame.RootElement.GetProperty("nonce").GetInt64()));
        Assert.Equal(CryptoComSigner.Sign(Credentials, "public/auth", 3, null, 1587846358253), frame.RootElement.GetProperty("sig").GetString());
        Assert.Contains(frame.RootElement.GetProperty("sig").GetString(), login.Secrets);

        var parser = _socket.CreateParser();
        var sink = new CollectingSink();
        parser.Parse("""{"id":3,"method":"public/auth","code":0}"""u8, 0, sink);
        parser.Parse("""{"id":1733030400001,"method":"public/heartbeat","code":0}"""u8, 0, sink);
        Assert.Equal([new ControlEvent(ControlKind.Ack, "3"), new ControlEvent(ControlKind.Ping, "1733030400001")], sink.Controls);
        Assert.Equal("""{"id":1733030400001,"method":"public/respond-heartbeat"}""", _socket.AnswerFrame(sink.Controls[1]));
    }

    [Fact]
    public void Orders_go_as_the_rest_method_with_its_params_unsigned_and_replies_are_read_by_their_id()
    {
        var adapter = new CryptoComOrderEntryAdapter(MarketKind.Futures);
        var id = new ClientOrderId("c5f682ed-7108-4f1c-b755-972fcdca0f02");
        var place = adapter.Place([new OrderTicket(id, new Symbol("BTCUSD-PERP"), Side.Sell, OrderType.Limit, 1m, 50000.5m) { PostOnly = true }]);
        Assert.Equal("private/create-order", place.WsOperation);
        Assert.Equal(place.Rest.Body, place.WsArgs);

        using var request = JsonDocument.Parse(_socket.RequestFrame("7", place.WsOperation!, place.WsArgs!));
        var root = request.RootElement;
        Assert.Equal((7L, "private/create-order"), (root.GetProperty("id").GetInt64(), root.GetProperty("method").GetString()));
        Assert.Equal("""{"instrument_name":"BTCUSD-PERP","side":"SELL","type":"LIMIT","price":"50000.5","quantity":"1","client_oid":"c5f682ed-7108-4f1c-b755-972fcdca0f02","time_in_force":"GOOD_TILL_CANCEL","exec_inst":["POST_ONLY"]}""",
            root.GetProperty("params").GetRawText());
        Assert.True(root.GetProperty("nonce").GetInt64() > 1_700_000_000_000);
        Assert.False(root.TryGetProperty("sig", out _));

        var cancel = adapter.Cancel([new CancelTicket(id, new Symbol("BTCUSD-PERP"), "18342311")]);
        Assert.Equal(("private/cancel-order", """{"order_id":"18342311"}"""), (cancel.WsOperation, cancel.WsArgs));
        var amend = adapter.Amend(new AmendTicket(id, new Symbol("BTCUSD-PERP"), 82000m, 0.0002m, "6530219466236720401"));
        Assert.Equal("private/amend-order", amend.WsOperation);
        Assert.Equal(amend.Rest.Body, amend.WsArgs);

        // The docs' answers: the code as a string, the id as a string.
        var accepted = _socket.ParseReply("""{"id":"7","method":"private/create-order","code":"0","result":{"client_oid":"c5f682ed-7108-4f1c-b755-972fcdca0f02","order_id":"18342311"}}""");
        Assert.Equal(("7", true, (string?)null), (accepted.RequestId, accepted.IsSuccess, accepted.VenueCode));
        Assert.Equal(new OrderAccepted(id, "18342311"), Assert.Single(adapter.ReadAnswer(place, accepted.Data)));

        var canceled = _socket.ParseReply("""{"id":8,"method":"private/cancel-order","code":0,"message":"NO_ERROR","result":{"client_oid":"c5f682ed-7108-4f1c-b755-972fcdca0f02","order_id":"18342311"}}""");
        Assert.Equal(new OrderAccepted(id, "18342311"), Assert.Single(adapter.ReadAnswer(cancel, canceled.Data)));
    }

    [Fact]
    public void Refusals_mean_what_they_mean_over_rest_and_a_reply_that_is_no_reply_is_a_protocol_error()
    {
        var bad = _socket.ParseReply("""{"id":"1","method":"private/create-order","code":"40001","message":"BAD_REQUEST"}""");
        Assert.Equal(("1", false, "40001"), (bad.RequestId, bad.IsSuccess, bad.VenueCode));
        Assert.Equal(new ApiError("40001", "BAD_REQUEST", 0), _socket.ErrorOf(bad));
        Assert.Equal(new ApiError("204", "DUPLICATE_CLORDID", 0), _socket.ErrorOf(_socket.ParseReply("""{"id":2,"method":"private/create-order","code":204,"message":"DUPLICATE_CLORDID"}""")));

        var unauthorized = Assert.IsType<AuthenticationError>(_socket.ErrorOf(_socket.ParseReply("""{"id":"1","method":"private/create-order","code":"40101","message":"UNAUTHORIZED"}""")));
        Assert.Equal("40101", unauthorized.VenueCode);
        var pace = Assert.IsType<RateLimitedError>(_socket.ErrorOf(_socket.ParseReply("""{"id":"1","method":"private/create-order","code":"42901","message":"TOO_MANY_REQUESTS"}""")));
        Assert.Equal(TimeSpan.FromSeconds(1), pace.RetryAfter);

        Assert.IsType<ProtocolError>(Assert.Throws<ExchangeException>(() => _socket.ParseReply("""{"id":1,"method":"private/create-order"}""")).Error);
        Assert.IsType<ProtocolError>(Assert.Throws<ExchangeException>(() => _socket.ParseReply("""{"id":1,"method":"private/create""")).Error);
    }
}
