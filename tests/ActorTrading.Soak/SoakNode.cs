using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using ActorTrading.Node.Http;

namespace ActorTrading.Soak;

/// <summary>
/// The node under soak as a user runs it: <c>actortrading run --config soak.json</c> in a process of its own (so its
/// memory is its own, apart from the simulators, fakes and proxies), watched through its HTTP API and <c>/metrics</c>,
/// stopped with SIGTERM as a service manager stops it. Its output goes to <c>node.log</c> beside the configuration.
/// </summary>
public sealed partial class SoakNode : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly Process _process;
    private readonly HttpClient _http;
    private readonly StreamWriter _log;

    private SoakNode(Process process, Uri api, StreamWriter log)
    {
        (_process, _log) = (process, log);
        _http = new HttpClient { BaseAddress = api, Timeout = TimeSpan.FromSeconds(10) };
    }

    /// <summary>A free loopback port for the node's HTTP server (the configuration names it before the node starts).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts the node on <paramref name="configPath"/> and waits until its API answers.</summary>
    /// <param name="configPath">The node's settings (<see cref="SoakVenues.WriteNodeConfiguration"/>).</param>
    /// <param name="httpPort">The port those settings give its HTTP server.</param>
    /// <param name="environment">Variables the node needs (the fakes' API keys), beside the soak's own environment.</param>
    /// <param name="ct">Ends the wait for its API.</param>
    public static async Task<SoakNode> StartAsync(string configPath, int httpPort, IReadOnlyDictionary<string, string?> environment, CancellationToken ct)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(configPath)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "actortrading.dll"), "run", "--config", configPath })
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var log = new StreamWriter(Path.Combine(Path.GetDirectoryName(configPath)!, "node.log")) { AutoFlush = true };
        var process = Process.Start(start) ?? throw new InvalidOperationException("the node's process did not start");
        process.OutputDataReceived += (_, line) => Write(log, line.Data);
        process.ErrorDataReceived += (_, line) => Write(log, line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var node = new SoakNode(process, new Uri($"http://127.0.0.1:{httpPort}/"), log);
        var deadline = Stopwatch.GetTimestamp();
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"the node exited with {process.ExitCode} before its API answered (see {Path.Combine(start.WorkingDirectory, "node.log")})");
            }

            try
            {
                using var live = await node._http.GetAsync("health/live", ct).ConfigureAwait(false);
                if (live.IsSuccessStatusCode)
                {
                    return node;
                }
            }
            catch (HttpRequestException)
            {
            }

            if (Stopwatch.GetElapsedTime(deadline) > TimeSpan.FromSeconds(60))
            {
                await node.DisposeAsync().ConfigureAwait(false);
                throw new InvalidOperationException("the node's API did not answer within 60 s");
            }

            await Task.Delay(250, ct).ConfigureAwait(false);
        }
    }

    /// <summary>The node's process id.</summary>
    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>The node's resident memory now (MB).</summary>
    public double RssMb()
    {
        _process.Refresh();
        return _process.WorkingSet64 / 1048576.0;
    }

    /// <summary>The anonymous part of the node's resident memory (MB; <c>RssAnon</c> in Linux's /proc status), null where there is none.</summary>
    public double? AnonymousMb()
    {
        var status = $"/proc/{_process.Id}/status";
        if (!File.Exists(status))
        {
            return null;
        }

        var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("RssAnon:", StringComparison.Ordinal));
        return line is null ? null : long.Parse(line["RssAnon:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0;
    }

    /// <summary>The node's status as <c>/api/status</c> gives it (null while it has none).</summary>
    public async Task<StatusView?> StatusAsync() => await _http.GetFromJsonAsync<StatusView>("api/status", Json).ConfigureAwait(false);

    /// <summary>One of the node's books (null: it keeps none of that symbol).</summary>
    public async Task<NodeSources.BookJson?> BookAsync(string venue, string symbol, int depth)
    {
        using var response = await _http.GetAsync($"api/book?venue={Uri.EscapeDataString(venue)}&symbol={Uri.EscapeDataString(symbol)}&depth={depth}").ConfigureAwait(false);
        return response.StatusCode == HttpStatusCode.NotFound ? null : await response.Content.ReadFromJsonAsync<NodeSources.BookJson>(Json).ConfigureAwait(false);
    }

    /// <summary>The node's <c>/metrics</c> (Prometheus text).</summary>
    public Task<string> MetricsAsync() => _http.GetStringAsync("metrics");

    /// <summary>The sum of every series of <paramref name="name"/> whose labels contain <paramref name="labels"/> (a Prometheus text scrape).</summary>
    public static double Sum(string metrics, string name, string labels = "")
    {
        var total = 0.0;
        foreach (Match line in SeriesLine().Matches(metrics))
        {
            if (line.Groups["name"].Value == name && line.Groups["labels"].Value.Contains(labels, StringComparison.Ordinal))
            {
                total += double.Parse(line.Groups["value"].Value, CultureInfo.InvariantCulture);
            }
        }

        return total;
    }

    /// <summary>
    /// A histogram's count and quantiles from a scrape, every series summed, each quantile interpolated within its
    /// bucket as Prometheus' <c>histogram_quantile</c> does; the maximum is the upper bound of the highest bucket used.
    /// </summary>
    public static SoakReport.Timing Histogram(string metrics, string name)
    {
        var buckets = SeriesLine().Matches(metrics)
            .Where(m => m.Groups["name"].Value == name + "_bucket")
            .Select(m => (Le: LeOf(m.Groups["labels"].Value), Count: double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture)))
            .GroupBy(b => b.Le).Select(g => (Le: g.Key, Count: g.Sum(b => b.Count))).OrderBy(b => b.Le).ToArray();
        var total = buckets.Length == 0 ? 0 : buckets[^1].Count;
        if (total == 0)
        {
            return new SoakReport.Timing(0, 0, 0, 0);
        }

        double At(double q)
        {
            var rank = q * total;
            var (lower, below) = (0.0, 0.0);
            foreach (var (le, count) in buckets)
            {
                if (count >= rank)
                {
                    return double.IsPositiveInfinity(le) ? lower : lower + ((le - lower) * (rank - below) / Math.Max(1e-9, count - below));
                }

                (lower, below) = (le, count);
            }

            return lower;
        }

        var highest = buckets.First(b => b.Count == total).Le;
        return new SoakReport.Timing((int)total, Math.Round(At(0.5) * 1000), Math.Round(At(0.99) * 1000),
            double.IsPositiveInfinity(highest) ? double.PositiveInfinity : highest * 1000);
    }

    /// <summary>SIGTERM, as a service manager stops the node; killed if it has not stopped within a minute. Returns its exit code.</summary>
    public async Task<int> StopAsync()
    {
        if (!_process.HasExited)
        {
            using (var term = Process.Start(new ProcessStartInfo("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)])))
            {
                await term!.WaitForExitAsync().ConfigureAwait(false);
            }

            using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            try
            {
                await _process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().ConfigureAwait(false);
            }
        }

        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }

        _process.Dispose();
        _http.Dispose();
        await _log.DisposeAsync().ConfigureAwait(false);
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is not null)
        {
            lock (log)
            {
                log.WriteLine(line);
            }
        }
    }

    private static double LeOf(string labels)
    {
        var le = Regex.Match(labels, "le=\"([^\"]+)\"").Groups[1].Value;
        return le == "+Inf" ? double.PositiveInfinity : double.Parse(le, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(?<labels>[^}]*)\})? (?<value>[-+0-9.eE]+)$", RegexOptions.Multiline)]
    private static partial Regex SeriesLine();
}
