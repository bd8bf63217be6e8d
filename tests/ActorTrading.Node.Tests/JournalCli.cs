using Microsoft.Extensions.Hosting;
using Xunit;

namespace ActorTrading.Node.Tests;

/// <summary>The command line on one journal, as the order flow specs read what a run left: its rows without the header, or the exit code and output.</summary>
internal sealed class JournalCli(string journal)
{
    public string[] Rows(params string[] args) => Run(args).Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToArray();

    public (int Exit, string Output) Run(params string[] args) => Cli.Run(null, [.. args, "--journal", journal]);

    /// <summary>
    /// The order flow specs' last act: <paramref name="fillWhileDown"/> fills <paramref name="orderId"/> at the venue while
    /// no node runs; a node started again (<paramref name="node"/>) journals it as <paramref name="tradeId"/> by
    /// reconciliation, the order ends Filled, and the journal verifies. The fills before it are <paramref name="fillsBefore"/>.
    /// </summary>
    public async Task FillWhileDownComesAtNextStartAsync(Func<IHost> node, Func<Task> fillWhileDown, string orderId, string tradeId, int fillsBefore)
    {
        await fillWhileDown();
        using (var host = node())
        {
            await host.StartAsync();
            try
            {
                await Eventually.Until(() => Rows("audit", "fills", "--format", "csv").Length == fillsBefore + 1, 30);
            }
            finally
            {
                await host.StopAsync();
            }
        }

        var fills = Rows("audit", "fills", "--format", "csv");
        Assert.Equal(fillsBefore + 1, fills.Length);
        Assert.Contains(fills, f => f.Contains($",{tradeId},", StringComparison.Ordinal));
        Assert.Contains(",Filled", Assert.Single(Rows("audit", "orders", "--format", "csv"), r => r.StartsWith(orderId + ",", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Equal(0, Run("audit", "verify").Exit);
    }
}

/// <summary>Waiting for something a running node does by itself, up to a limit; the assertions after it say what was expected.</summary>
/// <summary>What a node's status lines say about its books.</summary>
internal static class StatusLines
{
    /// <summary>
    /// Each book of <paramref name="venue"/> (<c>kraken.spot</c>) named in <paramref name="symbols"/> stays Synced once it
    /// is: it starts as Resyncing, and a resync after that would show in a later line.
    /// </summary>
    public static void BooksStaySyncedOnceSynced(string output, string venue, params string[] symbols)
    {
        foreach (var symbol in symbols)
        {
            var lines = output.Split('\n').Where(l => l.Contains($" symbol {venue}/{symbol} ", StringComparison.Ordinal)).ToArray();
            Assert.All(lines.SkipWhile(l => !l.Contains("book=Synced", StringComparison.Ordinal)), l => Assert.Contains("book=Synced", l, StringComparison.Ordinal));
        }
    }
}

internal static class Eventually
{
    public static async Task Until(Func<Task<bool>> done, int seconds)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(seconds);
        while (DateTimeOffset.UtcNow < deadline && !await done())
        {
            await Task.Delay(300);
        }
    }

    public static Task Until(Func<bool> done, int seconds) => Until(() => Task.FromResult(done()), seconds);

    /// <summary>The first answer of <paramref name="ask"/> that <paramref name="good"/> accepts; the last one in the failure when none did in time.</summary>
    public static async Task<T> Answer<T>(Func<Task<T>> ask, Func<T, bool> good, int seconds)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(seconds);
        var answer = await ask();
        while (!good(answer))
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new Xunit.Sdk.XunitException($"no good answer within {seconds} s; the last: {answer}");
            }

            await Task.Delay(300);
            answer = await ask();
        }

        return answer;
    }
}
