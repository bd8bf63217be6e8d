using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ActorTrading.Exchanges.Binance.Auth;
using ActorTrading.Exchanges.Bybit.Auth;
using ActorTrading.Exchanges.CryptoCom.Auth;
using ActorTrading.Exchanges.Kraken.Auth;
using ActorTrading.Exchanges.KuCoin.Auth;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace ActorTrading.Benchmarks;

/// <summary>
/// Signing one limit order the way each venue's adapter signs it (headers or signature, from the request's parts)
/// next to a bare HMAC of the same bytes that venue signs (each category's baseline): what the venue's recipe costs
/// above the MAC itself. Kraken's baseline is the HMAC-SHA512 of its message (path + SHA-256 of nonce and body), the
/// others' an HMAC-SHA256 of the prehash.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class SigningBenchmarks
{
    private const long Timestamp = 1_764_590_400_123;
    private const string Secret = "f03a7bd6-3f8e-4b6e-9f11-0c1d2e3f4a5b";
    private const string OrderBody = """{"clientOid":"quoter-3lyz2nq61y-17","side":"buy","symbol":"XBTUSDTM","type":"limit","price":"89999.9","size":"1","leverage":"3","timeInForce":"GTC"}""";

    private static readonly KuCoinCredentials KuCoin = new("6540c9f2e7b2a80001f1c0de", Secret, "trading-passphrase");
    private static readonly BinanceCredentials Binance = new("vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A", Secret);
    private static readonly BybitCredentials Bybit = new("XXXXXXXXXXXXXXXXXX", Secret);
    private static readonly CryptoComCredentials CryptoCom = new("token1234567890abcdef", Secret);
    private static readonly byte[] KrakenKey = Encoding.UTF8.GetBytes("kraken-private-key-of-sixty-four-bytes-0123456789abcdefghijklmnop");
    private static readonly KrakenCredentials Kraken = new("kraken-key", Convert.ToBase64String(KrakenKey));

    private static readonly KeyValuePair<string, string>[] BinanceOrder =
    [
        new("symbol", "BTCUSDT"), new("side", "BUY"), new("type", "LIMIT"), new("timeInForce", "GTC"), new("quantity", "0.010"), new("price", "89999.90"),
        new("newClientOrderId", "bquoter-3lyz2nq61y-17"),
    ];

    private static readonly JsonElement CryptoComParams = JsonDocument.Parse(
        """{"instrument_name":"BTC_USDT","side":"BUY","type":"LIMIT","price":"89999.99","quantity":"0.0010","client_oid":"cquoter-3lyz2nq61y-17","time_in_force":"GOOD_TILL_CANCEL"}""").RootElement;

    private const string KrakenBody = "nonce=1764590400123000&ordertype=limit&type=buy&volume=0.002&pair=XBTUSD&price=89999.9&cl_ord_id=kq-3lyz2nq61y-17";

    private readonly byte[] _secret = Encoding.UTF8.GetBytes(Secret);
    private byte[] _kucoinPrehash = [];
    private byte[] _binancePayload = [];
    private byte[] _bybitPayload = [];
    private byte[] _cryptoComPayload = [];
    private byte[] _krakenMessage = [];

    [GlobalSetup]
    public void Setup()
    {
        _kucoinPrehash = Encoding.UTF8.GetBytes(KuCoinSigner.Prehash(Timestamp, "POST", "/api/v1/orders", OrderBody));
        _binancePayload = Encoding.UTF8.GetBytes(BinanceSigner.Encode(BinanceSigner.WithTiming(BinanceOrder, Timestamp, 5000)));
        _bybitPayload = Encoding.UTF8.GetBytes($"{Timestamp}{Bybit.ApiKey}{BybitSigner.DefaultRecvWindow}{OrderBody}");
        _cryptoComPayload = Encoding.UTF8.GetBytes(CryptoComSigner.Payload("private/create-order", 17, CryptoCom.ApiKey, CryptoComParams, Timestamp));
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes("1764590400123000" + KrakenBody));
        _krakenMessage = [.. Encoding.UTF8.GetBytes("/0/private/AddOrder"), .. hash];
    }

    [BenchmarkCategory("kucoin"), Benchmark(Baseline = true)]
    public byte[] KuCoinBareHmac() => HMACSHA256.HashData(_secret, _kucoinPrehash);

    [BenchmarkCategory("kucoin"), Benchmark]
    public IReadOnlyList<KeyValuePair<string, string>> KuCoinHeaders() => KuCoinSigner.Headers(KuCoin, Timestamp, "POST", "/api/v1/orders", OrderBody);

    [BenchmarkCategory("binance"), Benchmark(Baseline = true)]
    public byte[] BinanceBareHmac() => HMACSHA256.HashData(_secret, _binancePayload);

    [BenchmarkCategory("binance"), Benchmark]
    public string BinanceSignature() => BinanceSigner.Sign(Binance, BinanceSigner.Encode(BinanceSigner.WithTiming(BinanceOrder, Timestamp, 5000)));

    [BenchmarkCategory("bybit"), Benchmark(Baseline = true)]
    public byte[] BybitBareHmac() => HMACSHA256.HashData(_secret, _bybitPayload);

    [BenchmarkCategory("bybit"), Benchmark]
    public IReadOnlyList<KeyValuePair<string, string>> BybitHeaders() => BybitSigner.Headers(Bybit, Timestamp, BybitSigner.DefaultRecvWindow, OrderBody);

    [BenchmarkCategory("cryptocom"), Benchmark(Baseline = true)]
    public byte[] CryptoComBareHmac() => HMACSHA256.HashData(_secret, _cryptoComPayload);

    [BenchmarkCategory("cryptocom"), Benchmark]
    public string CryptoComSignature() => CryptoComSigner.Sign(CryptoCom, "private/create-order", 17, CryptoComParams, Timestamp);

    [BenchmarkCategory("kraken"), Benchmark(Baseline = true)]
    public byte[] KrakenBareHmac() => HMACSHA512.HashData(KrakenKey, _krakenMessage);

    [BenchmarkCategory("kraken"), Benchmark]
    public string KrakenSignature() => KrakenSigner.Sign(Kraken, "/0/private/AddOrder", 1_764_590_400_123_000, KrakenBody);
}
