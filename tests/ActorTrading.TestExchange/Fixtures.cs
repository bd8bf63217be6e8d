namespace ActorTrading.TestExchange;

/// <summary>Reads files of <c>tests/fixtures</c>, copied next to each test assembly. Names may leave out ".json".</summary>
public static class Fixtures
{
    public static string Path(string venue, string name)
    {
        var path = System.IO.Path.Combine(AppContext.BaseDirectory, "fixtures", venue, name);
        return File.Exists(path) ? path : path + ".json";
    }

    public static string Text(string venue, string name) => File.ReadAllText(Path(venue, name));

    public static string KuCoin(string name) => Text("kucoin", name);

    public static string Binance(string name) => Text("binance", name);

    public static string Bybit(string name) => Text("bybit", name);

    public static string Kraken(string name) => Text("kraken", name);

    public static string CryptoCom(string name) => Text("cryptocom", name);
}
