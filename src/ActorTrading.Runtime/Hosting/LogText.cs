namespace ActorTrading.Runtime.Hosting;

/// <summary>How a log line names an exception: on one line, never with a stack trace (the node's text log, Akka's fallback logger).</summary>
public static class LogText
{
    /// <summary>An exception and its causes as <c>Type: message ← Type: message</c>, on one line (at most five deep).</summary>
    public static string Describe(Exception exception)
    {
        var parts = new List<string>();
        for (var e = exception; e is not null && parts.Count < 5; e = e.InnerException)
        {
            parts.Add($"{e.GetType().Name}: {OneLine(e.Message)}");
        }

        return string.Join(" ← ", parts);
    }

    /// <summary><paramref name="text"/> with its line breaks as spaces.</summary>
    public static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}
