namespace ActorTrading.Node.Http;

/// <summary>The dashboard: one self-contained page (no library, nothing fetched from elsewhere), shipped inside the node.</summary>
public static class DashboardPage
{
    public static readonly string Html = Load();

    private static string Load()
    {
        using var stream = typeof(DashboardPage).Assembly.GetManifestResourceStream("dashboard.html")
            ?? throw new InvalidOperationException("the dashboard page is missing from the node's assembly");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
