using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Xunit;

namespace ActorTrading.Node.Tests;

/// <summary>
/// Every mistake a user can make on the command line or in the settings, run as the real executable: exactly one
/// <c>error:</c> line on stderr naming what is wrong, a non-zero exit, and never a stack trace or a hang.
/// </summary>
public sealed class CliErrorSpecs : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("actortrading-cli-errors-").FullName;

    public static TheoryData<string[], string[], int, string> Mistakes() => new()
    {
        { ["run", "--duration", "0"], [], 1, "error: configuration: --duration 0: a number of seconds above zero" },
        { ["run", "--duration", "-5"], [], 1, "error: configuration: --duration -5: a number of seconds above zero" },
        { ["run", "--duration", "abc"], [], 2, "error: --duration 'abc' is not a number" },
        { ["run", "--offline", "--simulate"], [], 1, "error: configuration: --offline and --simulate exclude each other" },
        { ["run", "--offline", "--config", "{folder}/broken.json"], [], 1, "error: configuration: config file '{folder}/broken.json' is not valid JSON: " },
        { ["run", "--offline", "--journal", "sqlite:{folder}/afile/x.db"], [], 1, "error: configuration: journal {folder}/afile/x.db cannot be used: '{folder}/afile' is a file, not a folder" },
        { ["run", "--offline", "--journal", "sqlite:{folder}/random.db"], [], 1, "error: configuration: journal {folder}/random.db cannot be used: not a SQLite database" },
        // A folder no one may write to, even root (the specs run as root in CI, where chmod does not stop anyone).
        { ["run", "--offline", "--journal", "sqlite:/proc/actortrading-journal.db"], [], 1, "error: configuration: journal /proc/actortrading-journal.db cannot be used: the file cannot be opened (is its folder writable?)" },
        { ["audit", "verify", "--journal", "sqlite:{folder}/truncated.db"], [], 1, "error: configuration: journal {folder}/truncated.db cannot be used: the database file is damaged" },
        { ["audit", "orders", "--journal", "sqlite:{folder}/typo.db"], [], 1, "error: configuration: journal {folder}/typo.db does not exist" },
        { ["run", "--offline", "--journal", "postgres"], ["ACTORTRADING_POSTGRES=Host=127.0.0.1;Port=1;Username=u;Password=hunter2"], 1, "error: configuration: journal postgres://127.0.0.1:1/ cannot be reached: " },
        { ["journal-drill", "--journal", "postgres"], ["ACTORTRADING_POSTGRES=Host=127.0.0.1;Port=1;Username=u;Password=hunter2"], 1, "error: configuration: journal postgres://127.0.0.1:1/ cannot be reached: " },
        { ["audit", "orders", "--journal", "postgres"], ["ACTORTRADING_POSTGRES=this is not;;a connection string"], 1, "error: configuration: journal postgres: ACTORTRADING_POSTGRES is not a PostgreSQL connection string" },
        { ["replay", "--capture", "{folder}/broken.json"], [], 1, "error: configuration: capture '{folder}/broken.json' line 1: not a capture record: " },
        { ["book", "--venue", "kucoin", "--symbol", "XBTUSDTM", "--input", "{folder}/broken.json", "--depth", "-1"], [], 1, "error: configuration: --depth -1: at least 1 level" },
        { ["journal-drill", "--orders", "0"], [], 1, "error: configuration: --orders and --fills-per-order must be at least 1 (got 0 and 3)" },
        { ["journal-drill", "--orders", "-4"], [], 1, "error: configuration: --orders and --fills-per-order must be at least 1 (got -4 and 3)" },
        { ["run", "--offline"], ["ACTORTRADING__Node__StatusIntervalSeconds=0"], 1, "error: configuration: Node.StatusIntervalSeconds = 0 must be above zero" },
        { ["run", "--offline"], ["ACTORTRADING__Strategies__0__Parameters__Size=abc"], 1, "error: configuration: strategy quoter: parameter Size = 'abc' is not a number" },
        { ["run", "--offline"], ["ACTORTRADING__Strategies__0__Parameters__TickSize=0"], 1, "error: configuration: strategy quoter: parameter TickSize = 0 must be above zero" },
        { ["run", "--offline"], ["ACTORTRADING__Venues__0__Feed__BackoffMinSeconds=soon"], 1, "error: configuration: Venues:0:Feed:BackoffMinSeconds = 'soon' is not a number" },
        { ["run", "--offline"], ["ACTORTRADING__Venues__0__Feed__BackoffMaxSeconds=0.1"], 1, "error: configuration: venue kucoin futures: Feed.BackoffMaxSeconds (0.1) is below Feed.BackoffMinSeconds (0.5)" },
        { ["run", "--offline"], ["ACTORTRADING__Paper__LatencyMs=-1"], 1, "error: configuration: Paper.LatencyMs = -1 must be zero or more" },
        { ["order", "place", "kucoin", "--symbol", "XBTUSDTM", "--side", "buy", "--size", "1", "--stop", "sideways", "--stop-price", "1"], [], 1, "error: configuration: --stop must be rises-to or falls-to, not 'sideways'" },
        { ["order", "place", "kucoin", "--symbol", "XBTUSDTM", "--side", "buy", "--size", "1", "--stop-price", "1"], [], 1, "error: configuration: --stop-price needs --stop rises-to or falls-to" },
        { ["order", "place", "kucoin", "--symbol", "XBTUSDTM", "--side", "buy", "--size", "1", "--stop", "rises-to"], [], 1, "error: configuration: --stop needs a positive --stop-price" },
        { ["order", "place", "kucoin", "--symbol", "XBTUSDTM", "--side", "buy", "--size", "1", "--stop", "rises-to", "--stop-price", "1", "--stop-source", "vibes"], [], 1, "error: configuration: --stop-source must be last, mark or index, not 'vibes'" },
        { ["run", "--offline"], ["ACTORTRADING__Strategies__0__Risk__MaxOrderSize=0"], 1, "error: configuration: strategy quoter: Risk.MaxOrderSize = 0 must be above zero (leave it out for no limit)" },
        { ["status"], ["ACTORTRADING__Node__AddressFile={folder}/node.address"], 1, "error: configuration: no running node found: {folder}/node.address does not exist (start one with `run`, or pass --node akka.tcp://actortrading@host:port)" },
        { ["status", "--node", "akka.tcp://actortrading@127.0.0.1:1"], [], 1, "error: timeout: no node answered at akka.tcp://actortrading@127.0.0.1:1 within 5 s" },
        { ["status", "--node", "nonsense"], [], 1, "error: configuration: --node 'nonsense' is not a node address (akka.tcp://actortrading@host:port)" },
        { ["run", "--duration", "1"], ["ACTORTRADING__Cluster__SeedNodes__0=akka.tcp://actortrading@10.0.0.1:4053"], 1, "error: configuration: a node that joins other nodes (Cluster:SeedNodes) needs the PostgreSQL journal" },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public async Task A_mistake_is_one_error_line_and_a_non_zero_exit(string[] args, string[] environment, int exit, string line)
    {
        Prepare();
        var (code, stdout, stderr) = await RunAsync(args.Select(Here).ToArray(), environment.Select(Here).ToArray(), _folder);

        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"stderr had {lines.Length} lines:\n{stderr}");
        Assert.StartsWith(Here(line), lines[0], StringComparison.Ordinal);
        Assert.Equal(exit, code);
        Assert.DoesNotContain("   at ", stdout + stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", stdout + stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_folder, "typo.db")));
    }

    [Fact]
    public async Task Running_where_data_is_a_file_says_so()
    {
        File.WriteAllText(Path.Combine(_folder, "data"), "not a folder");
        var (code, _, stderr) = await RunAsync(["run", "--offline", "--duration", "1"], [], _folder);
        Assert.Equal(1, code);
        Assert.Matches($"^error: configuration: journal {_folder}/data/replays/[0-9a-z]{{10}}\\.db cannot be used: '{_folder}/data' is a file, not a folder\n$", stderr);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private string Here(string text) => text.Replace("{folder}", _folder, StringComparison.Ordinal);

    /// <summary>The files the mistakes point at: broken JSON, a file where a folder should be, random bytes, a torn journal.</summary>
    private void Prepare()
    {
        File.WriteAllText(Path.Combine(_folder, "broken.json"), "{ \"Journal\": ");
        File.WriteAllText(Path.Combine(_folder, "afile"), "a file");
        File.WriteAllBytes(Path.Combine(_folder, "random.db"), Enumerable.Range(0, 5000).Select(i => (byte)(i * 7919 % 251)).ToArray());
        var truncated = Path.Combine(_folder, "truncated.db");
        using (var connection = new SqliteConnection($"Data Source={truncated};Pooling=false"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = string.Concat(Enumerable.Range(0, 40).Select(i => $"CREATE TABLE t{i} (id INTEGER PRIMARY KEY, text TEXT); INSERT INTO t{i} VALUES (1, '{new string('x', 400)}');"));
            command.ExecuteNonQuery();
        }

        using (var file = File.OpenWrite(truncated))
        {
            file.SetLength(3000);
        }
    }

    /// <summary>The built executable as a user runs it, in <paramref name="folder"/>, with a hard limit so a hang fails the spec.</summary>
    internal static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(string[] args, string[] environment, string folder)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "actortrading.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var variable in environment)
        {
            var (name, value) = (variable[..variable.IndexOf('=', StringComparison.Ordinal)], variable[(variable.IndexOf('=', StringComparison.Ordinal) + 1)..]);
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"actortrading {string.Join(' ', args)} did not finish within 60 s");
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
