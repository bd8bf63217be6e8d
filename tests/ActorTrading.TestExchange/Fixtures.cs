namespace ActorTrading.TestExchange;

/// <summary>Reads files of <c>tests/fixtures</c>, copied next to each test assembly.</summary>
public static class Fixtures
{
    public static string Path(string venue, string name) =>
        System.IO.Path.Combine(AppContext.BaseDirectory, "fixtures", venue, name.EndsWith(".json", StringComparison.Ordinal) ? name : name + ".json");

    public static string Text(string venue, string name) => File.ReadAllText(Path(venue, name));

    public static byte[] Bytes(string venue, string name) => File.ReadAllBytes(Path(venue, name));

    public static string KuCoin(string name) => Text("kucoin", name);
}
