using System.Collections.Concurrent;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;

namespace ActorTrading.Exchanges.Kraken;

/// <summary>
/// A pair's names. The node uses the WebSocket v2 name (<c>BTC/USD</c>); Kraken's REST takes the pair's <c>altname</c>
/// (<c>XBTUSD</c>) and answers with it (order descriptions) or with the pair id (<c>XXBTZUSD</c>, trades). v2 renamed
/// two assets (XBT is BTC, XDG is DOGE); the oldest assets keep four-letter ids (<c>XXBT</c>, <c>ZUSD</c>) which a pair
/// id joins only when both of its assets have one. <see cref="SymbolOf"/> maps a REST name back to the v2 symbol for
/// every pair the node has named (<see cref="Learn"/>); another pair keeps its REST name.
/// </summary>
public sealed class KrakenPairs
{
    private static readonly Dictionary<string, string> V2ToRestAsset = new(StringComparer.Ordinal) { ["BTC"] = "XBT", ["DOGE"] = "XDG" };

    /// <summary>Assets listed before Kraken's current naming: their asset ids carry an X (crypto) or Z (fiat) prefix.</summary>
    private static readonly Dictionary<string, string> LegacyIds = new(StringComparer.Ordinal)
    {
        ["XBT"] = "XXBT",
        ["ETH"] = "XETH",
        ["LTC"] = "XLTC",
        ["XRP"] = "XXRP",
        ["XLM"] = "XXLM",
        ["XMR"] = "XXMR",
        ["ZEC"] = "XZEC",
        ["ETC"] = "XETC",
        ["REP"] = "XREP",
        ["MLN"] = "XMLN",
        ["XDG"] = "XXDG",
        ["USD"] = "ZUSD",
        ["EUR"] = "ZEUR",
        ["GBP"] = "ZGBP",
        ["CAD"] = "ZCAD",
        ["JPY"] = "ZJPY",
    };

    private readonly ConcurrentDictionary<string, Symbol> _byRestName = new(StringComparer.Ordinal);

    /// <summary><c>BTC/USD</c> → (<c>BTC</c>, <c>USD</c>); anything else is a configuration error.</summary>
    public static (string Base, string Quote) Split(Symbol symbol)
    {
        var slash = symbol.Value.IndexOf('/');
        return slash > 0 && slash < symbol.Value.Length - 1 && symbol.Value.IndexOf('/', slash + 1) < 0
            ? (symbol.Value[..slash], symbol.Value[(slash + 1)..])
            : throw new ExchangeException(new ConfigurationError($"Kraken symbols are BASE/QUOTE as WebSocket v2 names them (BTC/USD), not '{symbol.Value}'"));
    }

    /// <summary><c>BTC/USD</c> → <c>XBTUSD</c>: what REST requests name the pair by.</summary>
    public static string RestName(Symbol symbol)
    {
        var (b, q) = Split(symbol);
        return RestAsset(b) + RestAsset(q);
    }

    /// <summary><c>BTC/USD</c> → <c>XXBTZUSD</c>; a pair of newer assets is its altname (<c>SOLUSD</c>).</summary>
    public static string PairId(Symbol symbol)
    {
        var (b, q) = Split(symbol);
        var (restBase, restQuote) = (RestAsset(b), RestAsset(q));
        return LegacyIds.TryGetValue(restBase, out var baseId) && LegacyIds.TryGetValue(restQuote, out var quoteId) ? baseId + quoteId : restBase + restQuote;
    }

    /// <summary>The quote asset of a v2 symbol (fees on Kraken spot are charged in it unless the order asked otherwise).</summary>
    public static string Quote(Symbol symbol) => Split(symbol).Quote;

    /// <summary>A v1 or REST asset name as v2 spells it (<c>XBT</c> → <c>BTC</c>).</summary>
    public static string V2Asset(string asset) => asset switch
    {
        "XBT" or "XXBT" => "BTC",
        "XDG" or "XXDG" => "DOGE",
        _ => asset,
    };

    /// <summary>Remembers the REST names of a symbol the node trades, so that answers naming it map back.</summary>
    public Symbol Learn(Symbol symbol)
    {
        _byRestName.TryAdd(RestName(symbol), symbol);
        _byRestName.TryAdd(PairId(symbol), symbol);
        _byRestName.TryAdd(symbol.Value, symbol);
        return symbol;
    }

    /// <summary>The v2 symbol of a REST pair name, when the node has named the pair; the REST name otherwise.</summary>
    public Symbol SymbolOf(string restName) => _byRestName.TryGetValue(restName, out var symbol) ? symbol : new Symbol(restName);

    private static string RestAsset(string v2) => V2ToRestAsset.TryGetValue(v2, out var rest) ? rest : v2;
}
